"""The eTwinning School label as a verified fact.

A school admin requests the label of a school year; a coordinator of the school's country
verifies it or refuses it with a reason (the coordinators' queue). A coordinator's import
records a verified award directly. Every request and decision stays as a row of
``label_award``: the school's label history. ``School.label_year`` is the year of its
latest verified award, kept here and nowhere else; it decides the label's validity
(app.core.school_years) and with it who may mentor (:func:`mentor_eligible`).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, false, func, insert, or_, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from app.accounts.enums import MembershipStatus
from app.accounts.models import Membership, User
from app.core import audit
from app.core.database import utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.core.notify import notify
from app.core.school_years import parse_start, valid_label_years
from app.geography.models import Country
from app.schools.enums import LabelSource, LabelStatus, SchoolStatus
from app.schools.models import AmbassadorPeriod, LabelAward, School
from app.schools.operations import ambassador_on, school_admins


class RequestWaiting(Refused):
    reason = _l("A label request of this school is already waiting for the coordinator.")


class AlreadyVerified(Refused):
    reason = _l("The label of this school year is verified already.")


class AlreadyDecided(Refused):
    reason = _l("This label request has already been decided.")


def requestable_years(school: School, today: date) -> list[int]:
    """The award years a school may ask for: those whose label is still valid."""
    first, last = valid_label_years(today, school.region.country.year_start)
    return list(range(last, first - 1, -1))


def waiting_request(school: School) -> LabelAward | None:
    return db.session.scalar(
        select(LabelAward).where(
            LabelAward.school_id == school.id, LabelAward.status == LabelStatus.REQUESTED
        )
    )


def history(school: School) -> list[LabelAward]:
    """The school's requests and awards, latest first."""
    return list(
        db.session.scalars(
            select(LabelAward)
            .where(LabelAward.school_id == school.id)
            .order_by(LabelAward.award_year.desc(), LabelAward.id.desc())
        )
    )


def _verified(school_id: int, year: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    LabelAward.school_id == school_id,
                    LabelAward.award_year == year,
                    LabelAward.status == LabelStatus.VERIFIED,
                )
            )
        )
    )


def request_label(school: School, year: int, actor: User) -> LabelAward:
    """The school admin asks the coordinators to verify the label of school year ``year``."""
    if waiting_request(school) is not None:
        raise RequestWaiting
    if _verified(school.id, year):
        raise AlreadyVerified
    award = LabelAward(
        school_id=school.id,
        award_year=year,
        status=LabelStatus.REQUESTED,
        source=LabelSource.REQUEST,
        requested_by_id=actor.id,
    )
    db.session.add(award)
    db.session.flush()
    _record("label.request", award, school, actor)
    return award


def decide_label(award: LabelAward, actor: User, verify: bool, reason: str) -> None:
    """A coordinator verifies the requested label, or refuses it with a reason."""
    if award.status is not LabelStatus.REQUESTED:
        raise AlreadyDecided
    school = award.school
    award.status = LabelStatus.VERIFIED if verify else LabelStatus.REFUSED
    award.decided_by_id = actor.id
    award.decided_at = utcnow()
    award.decision_reason = reason.strip()
    db.session.flush()
    if verify:
        school.label_year = latest_verified(school.id)
    _record("label." + ("verify" if verify else "refuse"), award, school, actor)
    notify(
        school_admins(school),
        "label.decided",
        {"award": award.id, "verified": verify},
        "label_decided",
        school=school,
        award=award,
        verified=verify,
    )


def record_imported(awards: dict[int, int], importer: User | None) -> int:
    """Verified awards from a coordinator's import: school id → award year. Years a school
    holds verified already are skipped; returns how many were recorded. Set-based."""
    if not awards:
        return 0
    known = set(
        db.session.execute(
            select(LabelAward.school_id, LabelAward.award_year).where(
                tuple_(LabelAward.school_id, LabelAward.award_year).in_(list(awards.items())),
                LabelAward.status == LabelStatus.VERIFIED,
            )
        ).tuples()
    )
    now = utcnow()
    rows = [
        {
            "school_id": school_id,
            "award_year": year,
            "status": LabelStatus.VERIFIED,
            "source": LabelSource.IMPORT,
            "requested_by_id": importer.id if importer else None,
            "decided_by_id": importer.id if importer else None,
            "decided_at": now,
            "decision_reason": "",
            "created_at": now,
            "updated_at": now,
        }
        for school_id, year in sorted(awards.items())
        if (school_id, year) not in known
    ]
    if rows:
        db.session.execute(insert(LabelAward), rows)
    return len(rows)


def latest_verified(school_id: int) -> int | None:
    """The year of the school's latest verified award: what ``School.label_year`` holds."""
    return db.session.scalar(
        select(func.max(LabelAward.award_year)).where(
            LabelAward.school_id == school_id, LabelAward.status == LabelStatus.VERIFIED
        )
    )


def _record(action: str, award: LabelAward, school: School, actor) -> None:
    audit.record(
        action,
        actor=actor,
        object_type="label_award",
        object_id=award.id,
        country_code=school.country_code,
        school=school.id,
        year=award.award_year,
    )


def mentor_eligible(user_id, school_id, today: date) -> ColumnElement[bool]:
    """SQL: the teacher ``user_id`` may mentor for school ``school_id`` today: an active
    user, an approved member of a verified school that holds a valid label (the label of
    this school year of its country or the last) or ambassador status."""
    starts = db.session.scalars(select(Country.school_year_start).distinct()).all()
    valid_label = exists().where(
        Country.code == School.country_code,
        or_(
            *(
                and_(
                    Country.school_year_start == start,
                    School.label_year.between(*valid_label_years(today, parse_start(start))),
                )
                for start in starts
            ),
            false(),
        ),
    )
    return and_(
        exists().where(User.id == user_id, User.active.is_(True)),
        exists().where(
            Membership.user_id == user_id,
            Membership.school_id == school_id,
            Membership.status == MembershipStatus.APPROVED,
        ),
        exists().where(
            School.id == school_id,
            School.status == SchoolStatus.VERIFIED,
            or_(
                valid_label,
                exists().where(AmbassadorPeriod.school_id == School.id, *ambassador_on(today)),
            ),
        ),
    )
