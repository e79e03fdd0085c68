"""The figures of a country's dashboard, aggregated in SQL.

Each figure family is one GROUP BY query over the whole country, so the number of
queries stays the same however many schools, activities and regions there are.
Nothing here loads rows into Python to count them. Activity figures come from the day
summaries (app.dashboards.models), so a year costs a few thousand summary rows, not the
year's activities; the period is a range of local days in the country's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, distinct, func, null, or_, select

from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.extensions import db
from app.core.school_years import valid_label_years
from app.dashboards.declaration import (
    FUNNEL,
    WAITING_DAYS,
    Period,
    RegionFigures,
)
from app.dashboards.held import held_figures
from app.geography.models import Country, Region
from app.geography.overrides import ABOLISHED_STATUS, successors
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.mission.models import PILLAR_CODES
from app.schools.enums import SchoolStatus
from app.schools.models import School
from app.schools.operations import ambassadors_by


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


def _merge(figures: dict[str, RegionFigures], rows, apply) -> None:
    for row in rows:
        if row[0] in figures:
            apply(figures[row[0]], *row[1:])


def as_of(period: Period, today: date) -> date:
    """The day the "today" figures of a period are counted on: its last day, or today
    when the period has not ended yet."""
    return min(today, period.end)


def build(
    country: str, period: Period, today: date, region: str | None = None, *, totals_only=False
) -> Dashboard:
    """The dashboard of ``period``; schools, ambassadors, labels, open requests and active
    mentorships are counted as they stood at the end of the period (:func:`as_of`).

    ``totals_only`` (a period to compare with): the figures, without each region's last
    activity and the mentoring funnel."""
    zone = db.session.get(Country, country).timezone
    if period.timezone != zone:
        raise ValueError(f"{country} dashboards count days in {zone}, not {period.timezone}")
    start, end = period.bounds
    # The end of a period that has ended; None (now) while it goes on.
    until = period.bounds[1] if period.end < today else None
    today = as_of(period, today)
    last_held = (
        select(func.max(Activity.starts_at))
        .where(
            Activity.region_code == Region.code,
            Activity.status == ActivityStatus.HELD,
            *([Activity.starts_at < until] if until else []),
        )
        .scalar_subquery()
    )
    regions = db.session.execute(
        select(Region.code, Region.name, null() if totals_only else last_held).where(
            Region.country_code == country,
            Region.on_dashboard(),
            *([Region.code == region] if region else []),
        )
    ).all()
    figures = {code: RegionFigures(code=code, name=name) for code, name, _last in regions}
    for code, _name, last in regions:
        figures[code].last_activity = _aware(last)
    in_scope = [School.country_code == country, *([School.region_code == region] if region else [])]
    first, last = valid_label_years(today, db.session.get(Country, country).year_start)

    _merge(
        figures,
        db.session.execute(
            select(
                School.region_code,
                func.count(),
                func.sum(case((School.label_year.between(first, last), 1), else_=0)),
            )
            .where(*in_scope, School.status == SchoolStatus.VERIFIED, *_before(School, until))
            .group_by(School.region_code)
        ),
        _schools,
    )
    # From the few current ambassador periods to their schools, not the other way round.
    _merge(
        figures,
        db.session.execute(
            ambassadors_by(
                School.region_code, today, *in_scope, School.status == SchoolStatus.VERIFIED
            )
        ),
        lambda f, n: setattr(f, "ambassadors", n),
    )

    months, reached_overall = held_figures(figures, country, period, region)
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
            .where(*request_scope, *_open_at(until))
            .group_by(MentoringRequest.region_code)
        ),
        _requests,
    )

    _merge(
        figures,
        db.session.execute(
            select(MentoringRequest.region_code, func.count())
            .join(Match, Match.request_id == MentoringRequest.id)
            .where(*request_scope, *_active_at(until))
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

    funnel = {} if totals_only else _funnel(request_scope, start, end)
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


def _before(model, until: datetime | None) -> list:
    """SQL: ``model`` was verified before ``until`` (rows verified before the moment was
    kept have no moment and count as always verified)."""
    if until is None:
        return []
    return [or_(model.verified_at.is_(None), model.verified_at < until)]


def _open_at(until: datetime | None) -> list:
    """SQL: a request open at ``until``: made before it and still open, or closed later
    (a request's last change is when it stopped being open); now: open."""
    if until is None:
        return [MentoringRequest.status == RequestStatus.OPEN]
    return [
        MentoringRequest.created_at < until,
        or_(
            MentoringRequest.status == RequestStatus.OPEN,
            MentoringRequest.updated_at >= until,
        ),
    ]


def _active_at(until: datetime | None) -> list:
    """SQL: a mentorship going on at ``until``: started before it, not finished by then;
    now: active."""
    if until is None:
        return [Match.status == MatchStatus.ACTIVE]
    return [
        func.coalesce(Match.decided_at, Match.created_at) < until,
        or_(
            Match.status == MatchStatus.ACTIVE,
            and_(
                Match.status.in_((MatchStatus.COMPLETED, MatchStatus.ENDED)),
                Match.finished_at >= until,
            ),
        ),
    ]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _schools(figures: RegionFigures, schools: int, labelled) -> None:
    figures.schools, figures.labelled = schools, int(labelled or 0)


def _requests(figures: RegionFigures, count: int, waiting) -> None:
    figures.open_requests, figures.waiting_long = count, int(waiting or 0)


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
        total.add(region)
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


def unplaced_schools(country: str) -> list[tuple[School, tuple[str, ...]]]:
    """The country's schools still in a region that was abolished and split, with the
    regions that took over its land: the coordinator chooses which one each is in."""
    schools = db.session.scalars(
        select(School)
        .join(Region, School.region_code == Region.code)
        .where(School.country_code == country, Region.status == ABOLISHED_STATUS)
        .order_by(School.name, School.id)
    ).all()
    return [(school, successors(school.region_code)) for school in schools]
