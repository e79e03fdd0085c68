"""Builders and page readers shared by the mentoring tests."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.numbers import parse_decimal
from sqlalchemy import select

from app.accounts.models import User
from app.core.enums import Mode
from app.core.models import AuditEntry
from app.core.school_years import school_year_of
from app.mentoring.matching import fit
from app.mentoring.models import MentoringRequest, MentorProfile
from tests.principals import sign_in

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def today():
    return datetime.now(UTC).date()


def this_school_year() -> int:
    return school_year_of(today())


def etwinning_school(make, country: str = "TR", **fields):
    """A verified school whose eTwinning School label is valid today."""
    return make.school(country, label_year=this_school_year(), **fields)


def login(app, email: str):
    """A new browser signed in as ``email`` (its session cookie set as a sign-in would)."""
    from app.core.extensions import db

    client = app.test_client()
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    assert user_id is not None, email
    sign_in(client, db.session, user_id)
    return client


def add_mentor(make, session, school, *, email=None, locale=None, name=None, **fields):
    """A member of ``school`` with a mentor profile (fields override the defaults)."""
    names = {"name": name} if name else {}
    user = make.member(school, email=email, locale=locale, **names)
    values = {
        "capacity": 2,
        "load": 0,
        "languages": ["tr"],
        "levels": [],
        "pillars": [],
        "regions": [],
        "modes": ["in_person", "online"],
        "paused": False,
        "region_code": school.region_code,
        **fields,
    }
    profile = MentorProfile(
        user_id=user.id, school_id=school.id, country_code=school.country_code, **values
    )
    session.add(profile)
    session.commit()
    return profile


def add_request(session, school, *, waiting_days: int = 0, requested_by=None, **fields):
    values = {
        "languages": ["tr"],
        "levels": [],
        "pillars": [],
        "mode": Mode.HYBRID,
        "region_code": school.region_code,
        **fields,
    }
    row = MentoringRequest(
        school_id=school.id,
        country_code=school.country_code,
        requested_by_id=requested_by.id if requested_by is not None else None,
        created_at=datetime.now(UTC) - timedelta(days=waiting_days),
        **values,
    )
    session.add(row)
    session.commit()
    return row


def mentor_spec(profile: MentorProfile, held: int | None = None) -> fit.Mentor:
    """The engine's view of a mentor, written here from the stored columns; ``held``:
    the places held, when proposals wait for the mentor's answer besides ``load``."""
    return fit.Mentor(
        id=profile.id,
        country=profile.country_code,
        region=profile.region_code,
        capacity=profile.capacity,
        load=profile.load if held is None else held,
        languages=frozenset(profile.languages),
        levels=frozenset(profile.levels),
        pillars=frozenset(profile.pillars),
        regions=frozenset(profile.regions),
        modes=frozenset(profile.modes),
    )


def request_spec(row: MentoringRequest, waiting_days: int) -> fit.Request:
    return fit.Request(
        id=row.id,
        country=row.country_code,
        region=row.region_code,
        languages=frozenset(row.languages),
        levels=frozenset(row.levels),
        pillars=frozenset(row.pillars),
        mode=row.mode.value,
        waiting_days=waiting_days,
    )


def audit_trail(session, object_type: str, object_id) -> list[tuple[str, int | None, str]]:
    """(action, actor id, country) of the entries about one object, oldest first."""
    rows = session.execute(
        select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.country_code)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
        .order_by(AuditEntry.id)
    )
    return [tuple(row) for row in rows]


# Translations ------------------------------------------------------------------


@cache
def _catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def po_text(locale: str, msgid: str) -> str:
    """``msgid`` as the catalog of ``locale`` translates it (English is the source)."""
    if locale == "en":
        return msgid
    message = _catalog(locale).get(msgid)
    assert message is not None, f"{locale}: {msgid!r} is not in the catalog"
    assert message.string, f"{locale}: {msgid!r} is not translated"
    assert not message.fuzzy, f"{locale}: the translation of {msgid!r} is fuzzy"
    return message.string


# Reading pages -----------------------------------------------------------------

_SCORE_BOX = re.compile(r'<div class="score-box">(.*?)</div>', re.S)
_TOTAL = re.compile(r'<p class="score-total mb-1">(.*?)</p>', re.S)
_METER = re.compile(r'<meter class="fit-meter"[^>]* value="(\d+)"', re.S)
_FACT = re.compile(r"<li>(.*?)</li>", re.S)


def score_boxes(body: str) -> list[tuple[str, list[str]]]:
    """Each fit shown on a page: (the fit line, [the facts in words]); the meter beside
    the line shows the same fit."""
    boxes = []
    for box in _SCORE_BOX.findall(body):
        (total,) = _TOTAL.findall(box)
        (meter,) = _METER.findall(box)
        assert meter in total, (meter, total)
        facts = [html.unescape(fact).strip() for fact in _FACT.findall(box)]
        boxes.append((html.unescape(total).strip(), facts))
    return boxes


def number(text: str, locale: str) -> Decimal:
    return parse_decimal(text.strip(), locale=locale, strict=True)
