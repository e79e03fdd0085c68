"""Digests: the reminders a user chose to get daily or weekly, in one mail; and the
coordinators' weekly summary of their countries."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from app.accounts.models import CoordinatorCountry, User
from app.core.extensions import db
from app.dashboards import figures
from app.dashboards.declaration import WHITE_SPOTS, Period
from app.geography.models import Country, Region
from app.mentoring.enums import RequestStatus
from app.mentoring.models import MentoringRequest
from app.notifications.enums import DAILY_DIGEST, WEEKLY_DIGEST, Frequency, Kind
from app.notifications.models import MailPreference, ReminderLog
from app.notifications.operations import mail, record_once
from app.notifications.queries import BATCH
from app.schools.enums import AmbassadorStatus, LabelStatus, SchoolStatus
from app.schools.models import AmbassadorPeriod, LabelAward, School


def week_of(moment: datetime) -> str:
    year, week, _day = moment.date().isocalendar()
    return f"{year}-W{week:02d}"


def send_digests(frequency: Frequency, now: datetime) -> int:
    """One mail per user with the reminders held for their ``frequency`` digest."""
    kind = DAILY_DIGEST if frequency == Frequency.DAILY else WEEKLY_DIGEST
    period = now.date().isoformat() if frequency == Frequency.DAILY else week_of(now)
    rows = db.session.execute(
        select(ReminderLog, User.email, User.locale)
        .join(User, User.id == ReminderLog.user_id)
        .where(
            ReminderLog.delivery == frequency,
            ReminderLog.digested_at.is_(None),
            User.active.is_(True),
        )
        .order_by(ReminderLog.user_id, ReminderLog.id)
        .limit(BATCH)
    ).all()
    held: dict[int, list] = defaultdict(list)
    for row in rows:
        held[row.ReminderLog.user_id].append(row)
    values = [
        {"kind": kind, "subject_id": user_id, "period": period, "user_id": user_id,
         "delivery": Frequency.IMMEDIATELY, "created_at": now,
         "payload": {"reminders": len(items)}}
        for user_id, items in held.items()
    ]  # fmt: skip
    inserted = record_once(values)
    sent = []
    for user_id, items in held.items():
        if (kind, user_id, period, user_id) not in inserted:
            continue
        first = items[0]
        entries = [(item.ReminderLog.kind, item.ReminderLog.payload) for item in items]
        mail(first.email, first.locale, "digest", kind=kind, key=f"{kind}:{user_id}:{period}",
             user_id=user_id, entries=entries, daily=frequency == Frequency.DAILY)  # fmt: skip
        sent += [item.ReminderLog.id for item in items]
    if sent:
        db.session.execute(
            update(ReminderLog)
            .where(ReminderLog.id.in_(sent))
            .values(digested_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(inserted)


def _per_country(query, countries: set[str]) -> dict[str, int]:
    column = query.selected_columns[0]
    return dict(db.session.execute(query.where(column.in_(countries)).group_by(column)).all())


def _counts(countries: set[str]) -> dict[str, dict[str, int]]:
    """What waits for the coordinators of ``countries``, one GROUP BY per figure."""
    return {
        "schools": _per_country(
            select(School.country_code, func.count()).where(School.status == SchoolStatus.PENDING),
            countries,
        ),
        "ambassadors": _per_country(
            select(School.country_code, func.count())
            .select_from(AmbassadorPeriod)
            .join(School, School.id == AmbassadorPeriod.school_id)
            .where(AmbassadorPeriod.status == AmbassadorStatus.APPLIED),
            countries,
        ),
        "labels": _per_country(
            select(School.country_code, func.count())
            .select_from(LabelAward)
            .join(School, School.id == LabelAward.school_id)
            .where(LabelAward.status == LabelStatus.REQUESTED),
            countries,
        ),
        "requests": _per_country(
            select(MentoringRequest.country_code, func.count()).where(
                MentoringRequest.status == RequestStatus.OPEN
            ),
            countries,
        ),
    }


def _white_spots(countries: set[str], now: datetime) -> dict[str, list[list[str]]]:
    """The white spots of each country's regions as ``[region code, spot]`` pairs."""
    today = now.date()
    spots = {}
    for country in db.session.scalars(select(Country).where(Country.code.in_(countries))):
        period = Period(today - timedelta(days=30), today, country.timezone)
        board = figures.build(country.code, period, today)
        spots[country.code] = sorted(
            [region.code, spot] for region in board.regions for spot in region.white_spots(today)
        )
    return spots


def coordinator_digest(now: datetime) -> int:
    """The weekly summary for each coordinator who wants it: schools to verify,
    applications, waiting requests, and the white spots that changed since last week."""
    period, last_week = week_of(now), week_of(now - timedelta(days=7))
    preference = aliased(MailPreference)
    kind = Kind.COORDINATOR_DIGEST.value
    logged = exists().where(
        ReminderLog.kind == kind,
        ReminderLog.subject_id == User.id,
        ReminderLog.period == period,
    )
    rows = db.session.execute(
        select(User.id, User.email, User.locale, CoordinatorCountry.country_code)
        .join(CoordinatorCountry, CoordinatorCountry.user_id == User.id)
        .outerjoin(preference, and_(preference.user_id == User.id, preference.kind == kind))
        .where(
            User.active.is_(True),
            ~logged,
            or_(preference.frequency.is_(None), preference.frequency != Frequency.NEVER),
        )
        .order_by(User.id, CoordinatorCountry.country_code)
        .limit(BATCH)
    ).all()
    if not rows:
        return 0
    people: dict[int, tuple[str, str | None, list[str]]] = {}
    for user_id, email, locale, country in rows:
        people.setdefault(user_id, (email, locale, []))[2].append(country)
    countries = {row.country_code for row in rows}
    counts = _counts(countries)
    spots = _white_spots(countries, now)
    before = dict(db.session.execute(
        select(ReminderLog.user_id, ReminderLog.payload).where(
            ReminderLog.kind == kind, ReminderLog.period == last_week,
            ReminderLog.user_id.in_(people))).all())  # fmt: skip
    codes = {code for pairs in spots.values() for code, _spot in pairs}
    names = dict(db.session.execute(
        select(Region.code, Region.name).where(Region.code.in_(codes))).all())  # fmt: skip
    values = []
    for user_id, (_email, _locale, mine) in people.items():
        now_spots = [pair for country in mine for pair in spots.get(country, [])]
        previous = before.get(user_id)
        old_spots = previous.get("spots", []) if previous else now_spots
        data = {
            "countries": mine,
            "counts": {name: sum(per.get(c, 0) for c in mine) for name, per in counts.items()},
            "spots": now_spots,
            "spotted": len({code for code, _spot in now_spots}),
            "first": previous is None,
            "new_spots": [[names.get(c, c), s] for c, s in now_spots if [c, s] not in old_spots],
            "gone_spots": [[names.get(c, c), s] for c, s in old_spots if [c, s] not in now_spots],
            "dashboards": [url_for("dashboards.country", cc=c, _external=True) for c in mine],
        }
        values.append({"kind": kind, "subject_id": user_id, "period": period,
                       "user_id": user_id, "delivery": Frequency.IMMEDIATELY,
                       "created_at": now, "payload": data})  # fmt: skip
    inserted = record_once(values)
    for value in values:
        user_id = value["user_id"]
        if (kind, user_id, period, user_id) in inserted:
            email, locale, _mine = people[user_id]
            mail(email, locale, kind, kind=kind, key=f"{kind}:{user_id}:{period}",
                 user_id=user_id, item=value["payload"], white_spots=WHITE_SPOTS)  # fmt: skip
    return len(inserted)
