"""The figures of a country's dashboard, aggregated in SQL.

Each figure family is one GROUP BY query over the whole country, so the number of
queries stays the same however many schools, activities and regions there are.
Nothing here loads rows into Python to count them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, distinct, func, select

from app.extensions import db
from app.models import (
    PILLAR_CODES,
    Activity,
    ActivityPillar,
    ActivityReach,
    Match,
    MentoringRequest,
    MentorProfile,
    Region,
    School,
)
from app.models.enums import ActivityStatus, ActivityType, MatchStatus, RequestStatus, SchoolStatus
from app.school_years import valid_label_years
from app.schools import ambassador_now

WAITING_DAYS = 30
QUIET_MONTHS = 6
FUNNEL = ("requested", "proposed", "accepted", "active", "completed")


@dataclass
class Period:
    start: date
    end: date  # inclusive
    timezone: str = "UTC"

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(self.timezone)
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


@dataclass
class RegionFigures:
    code: str
    name: str
    schools: int = 0
    labelled: int = 0
    ambassadors: int = 0
    held: dict[str, int] = field(default_factory=dict)  # by activity type
    participants: int = 0
    reached: int = 0
    open_requests: int = 0
    waiting_long: int = 0
    active_matches: int = 0
    free_capacity: int = 0
    last_activity: datetime | None = None
    pillars: dict[str, int] = field(default_factory=dict)

    @property
    def activities(self) -> int:
        return sum(self.held.values())

    def white_spots(self, today: date) -> list[str]:
        spots = []
        if not self.ambassadors:
            spots.append("no_ambassador")
        quiet_since = today - timedelta(days=QUIET_MONTHS * 30)
        if self.last_activity is None or self.last_activity.date() < quiet_since:
            spots.append("no_recent_activity")
        if self.waiting_long:
            spots.append("waiting_requests")
        return spots


@dataclass
class Dashboard:
    country: str
    period: Period
    regions: list[RegionFigures]
    months: list[tuple[str, dict[str, int]]]  # ("2026-09", {type: count})
    funnel: dict[str, int]
    total: RegionFigures

    def pillar_totals(self) -> dict[str, int]:
        return {code: sum(r.pillars.get(code, 0) for r in self.regions) for code in PILLAR_CODES}


def _month_buckets(column, zone: str):
    """An SQL expression to group by, and how to turn a group into a local "YYYY-MM".

    PostgreSQL converts to the country's time zone itself. SQLite cannot, so it groups
    by UTC hour (at most 24 × 366 groups a year) and each hour is placed in its local
    month in Python; European offsets are whole hours, so that is exact.
    """
    if db.engine.dialect.name == "postgresql":
        local = func.timezone(zone, func.timezone("UTC", column))
        return func.to_char(local, "YYYY-MM"), lambda key: key
    tz = ZoneInfo(zone)

    def to_month(key: str) -> str:
        hour = datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC)
        return hour.astimezone(tz).strftime("%Y-%m")

    return func.strftime("%Y-%m-%d %H", column), to_month


def _merge(figures: dict[str, RegionFigures], rows, apply) -> None:
    for row in rows:
        if row[0] in figures:
            apply(figures[row[0]], *row[1:])


def build(country: str, period: Period, today: date, region: str | None = None) -> Dashboard:
    start, end = period.bounds
    regions = db.session.execute(
        select(Region.code, Region.name).where(
            Region.country_code == country,
            Region.is_leaf.is_(True),
            *([Region.code == region] if region else []),
        )
    ).all()
    figures = {code: RegionFigures(code=code, name=name) for code, name in regions}
    in_scope = [School.country_code == country, *([School.region_code == region] if region else [])]
    first, last = valid_label_years(today)

    _merge(
        figures,
        db.session.execute(
            select(
                School.region_code,
                func.count(),
                func.sum(case((School.label_year.between(first, last), 1), else_=0)),
                func.sum(case((ambassador_now(today), 1), else_=0)),
            )
            .where(*in_scope, School.status == SchoolStatus.VERIFIED)
            .group_by(School.region_code)
        ),
        _schools,
    )

    activity_scope = [
        Activity.country_code == country,
        *([Activity.region_code == region] if region else []),
    ]
    held_in_period = [
        *activity_scope,
        Activity.status == ActivityStatus.HELD,
        Activity.starts_at >= start,
        Activity.starts_at < end,
    ]
    participants = sum(
        func.coalesce(getattr(Activity, f"participants_{n}"), 0)
        for n in ("teachers", "leaders", "students", "parents")
    )
    _merge(
        figures,
        db.session.execute(
            select(Activity.region_code, Activity.type, func.count(), func.sum(participants))
            .where(*held_in_period)
            .group_by(Activity.region_code, Activity.type)
        ),
        _held,
    )

    _merge(
        figures,
        db.session.execute(
            select(
                Activity.region_code,
                func.count(distinct(ActivityReach.school_id))
                + func.count(distinct(ActivityReach.school_name)),
            )
            .join(ActivityReach, ActivityReach.activity_id == Activity.id)
            .where(*held_in_period)
            .group_by(Activity.region_code)
        ),
        lambda f, n: setattr(f, "reached", int(n or 0)),
    )

    _merge(
        figures,
        db.session.execute(
            select(Activity.region_code, func.max(Activity.starts_at))
            .where(*activity_scope, Activity.status == ActivityStatus.HELD)
            .group_by(Activity.region_code)
        ),
        lambda f, moment: setattr(f, "last_activity", _aware(moment)),
    )

    for pillar, code, count in db.session.execute(
        select(ActivityPillar.pillar_code, Activity.region_code, func.count())
        .join(Activity, Activity.id == ActivityPillar.activity_id)
        .where(
            *activity_scope,
            Activity.status == ActivityStatus.HELD,
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
        .group_by(Activity.region_code, ActivityPillar.pillar_code)
    ):
        if code in figures:
            figures[code].pillars[pillar] = count

    waiting_since = datetime.combine(today - timedelta(days=WAITING_DAYS), time.min, tzinfo=UTC)
    request_scope = [
        MentoringRequest.country_code == country,
        *([MentoringRequest.region_code == region] if region else []),
    ]
    _merge(
        figures,
        db.session.execute(
            select(
                MentoringRequest.region_code,
                func.count(),
                func.sum(case((MentoringRequest.created_at < waiting_since, 1), else_=0)),
            )
            .where(*request_scope, MentoringRequest.status == RequestStatus.OPEN)
            .group_by(MentoringRequest.region_code)
        ),
        _requests,
    )

    _merge(
        figures,
        db.session.execute(
            select(MentoringRequest.region_code, func.count())
            .join(Match, Match.request_id == MentoringRequest.id)
            .where(*request_scope, Match.status == MatchStatus.ACTIVE)
            .group_by(MentoringRequest.region_code)
        ),
        lambda f, n: setattr(f, "active_matches", n),
    )

    _merge(
        figures,
        db.session.execute(
            select(MentorProfile.region_code, func.sum(MentorProfile.capacity - MentorProfile.load))
            .where(
                MentorProfile.country_code == country,
                *([MentorProfile.region_code == region] if region else []),
                MentorProfile.paused.is_(False),
            )
            .group_by(MentorProfile.region_code)
        ),
        lambda f, n: setattr(f, "free_capacity", int(n or 0)),
    )

    reached_overall = db.session.scalar(
        select(
            func.count(distinct(ActivityReach.school_id))
            + func.count(distinct(ActivityReach.school_name))
        )
        .join(Activity, Activity.id == ActivityReach.activity_id)
        .where(*held_in_period)
    )
    months = _months(activity_scope, start, end, period.timezone)
    funnel = _funnel(request_scope, start, end)
    total = _total(list(figures.values()))
    total.reached = int(reached_overall or 0)  # a school reached in two regions counts once
    return Dashboard(
        country=country,
        period=period,
        regions=list(figures.values()),
        months=months,
        funnel=funnel,
        total=total,
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _schools(figures: RegionFigures, schools: int, labelled, ambassadors) -> None:
    figures.schools, figures.labelled, figures.ambassadors = (
        schools,
        int(labelled or 0),
        int(ambassadors or 0),
    )


def _held(figures: RegionFigures, kind, count: int, participants) -> None:
    figures.held[ActivityType(kind).value] = count
    figures.participants += int(participants or 0)


def _requests(figures: RegionFigures, count: int, waiting) -> None:
    figures.open_requests, figures.waiting_long = count, int(waiting or 0)


def _months(scope, start: datetime, end: datetime, zone: str) -> list[tuple[str, dict[str, int]]]:
    month, to_month = _month_buckets(Activity.starts_at, zone)
    rows = db.session.execute(
        select(month, Activity.type, func.count())
        .where(
            *scope,
            Activity.status == ActivityStatus.HELD,
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
        .group_by(month, Activity.type)
    )
    by_month: dict[str, dict[str, int]] = defaultdict(dict)
    for key, kind, count in rows:
        counts = by_month[to_month(key)]
        counts[ActivityType(kind).value] = counts.get(ActivityType(kind).value, 0) + count
    keys, cursor = [], date(start.year, start.month, 1)
    while cursor < end.date():
        keys.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return [(key, by_month.get(key, {})) for key in keys]


def _funnel(request_scope, start: datetime, end: datetime) -> dict[str, int]:
    """Requests made in the period, and how many of them got how far."""
    made_in_period = [
        *request_scope,
        MentoringRequest.created_at >= start,
        MentoringRequest.created_at < end,
    ]
    requested = db.session.scalar(
        select(func.count()).select_from(MentoringRequest).where(*made_in_period)
    )

    def reached(*states: MatchStatus):
        return func.count(distinct(case((Match.status.in_(states), Match.request_id))))

    row = db.session.execute(
        select(
            func.count(distinct(Match.request_id)),
            reached(
                MatchStatus.ACCEPTED, MatchStatus.ACTIVE, MatchStatus.COMPLETED, MatchStatus.ENDED
            ),
            reached(MatchStatus.ACTIVE, MatchStatus.COMPLETED, MatchStatus.ENDED),
            reached(MatchStatus.COMPLETED),
        )
        .join(MentoringRequest, MentoringRequest.id == Match.request_id)
        .where(*made_in_period)
    ).one()
    return dict(zip(FUNNEL, (requested or 0, *row), strict=True))


def _total(regions: list[RegionFigures]) -> RegionFigures:
    total = RegionFigures(code="", name="")
    for region in regions:
        for name in (
            "schools",
            "labelled",
            "ambassadors",
            "participants",
            "reached",
            "open_requests",
            "waiting_long",
            "active_matches",
            "free_capacity",
        ):
            setattr(total, name, getattr(total, name) + getattr(region, name))
        for kind, count in region.held.items():
            total.held[kind] = total.held.get(kind, 0) + count
        for pillar, count in region.pillars.items():
            total.pillars[pillar] = total.pillars.get(pillar, 0) + count
        if region.last_activity and (
            total.last_activity is None or region.last_activity > total.last_activity
        ):
            total.last_activity = region.last_activity
    return total


def region_schools(region: str, period: Period, limit: int = 300) -> list[tuple[School, int]]:
    """The verified schools of a region with their activities held in the period."""
    start, end = period.bounds
    held = (
        select(Activity.school_id, func.count().label("held"))
        .where(
            Activity.region_code == region,
            Activity.status == ActivityStatus.HELD,
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
        .group_by(Activity.school_id)
        .subquery()
    )
    rows = db.session.execute(
        select(School, func.coalesce(held.c.held, 0))
        .outerjoin(held, held.c.school_id == School.id)
        .where(School.region_code == region, School.status == SchoolStatus.VERIFIED)
        .order_by(func.coalesce(held.c.held, 0).desc(), School.search_key, School.id)
        .limit(limit)
    )
    return [(school, count) for school, count in rows]
