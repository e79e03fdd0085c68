"""The figures of a country's dashboard, aggregated in SQL.

Each figure family is one GROUP BY query over the whole country, so the number of
queries stays the same however many schools, activities and regions there are.
Nothing here loads rows into Python to count them. Activity figures come from the day
summaries (app.dashboards.models), so a year costs a few thousand summary rows, not the
year's activities; the period is a range of local days in the country's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

from sqlalchemy import case, distinct, func, null, select

from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.extensions import db
from app.dashboards import standing
from app.dashboards.declaration import (
    FUNNEL,
    Period,
    RegionFigures,
)
from app.dashboards.held import held_figures
from app.dashboards.standing import Moment
from app.geography.models import Country, Region
from app.geography.overrides import ABOLISHED_STATUS, successors
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.mission.models import PILLAR_CODES
from app.schools.enums import SchoolStatus
from app.schools.models import School


@dataclass
class Dashboard:
    country: str
    period: Period
    regions: list[RegionFigures]
    months: list[tuple[str, dict[str, int]]]  # ("2026-09", {type: count})
    funnel: dict[str, int]
    total: RegionFigures
    #: The totals of the period compared with (``build(compare=...)``).
    earlier: RegionFigures | None = None

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
    country: str,
    period: Period,
    today: date,
    region: str | None = None,
    *,
    totals_only=False,
    compare: Period | None = None,
) -> Dashboard:
    """The dashboard of ``period``; schools, ambassadors, labels, open requests and active
    mentorships are counted as they stood at the end of the period (:func:`as_of`).

    ``totals_only`` (a period to compare with): the figures, without each region's last
    activity and the mentoring funnel. ``compare``: a period whose totals come with it
    (``Dashboard.earlier``), counted in the same statements where they can be."""
    place = db.session.get(Country, country)
    if period.timezone != place.timezone:
        raise ValueError(
            f"{country} dashboards count days in {place.timezone}, not {period.timezone}"
        )
    start, end = period.bounds
    # The end of a period that has ended; None (now) while it goes on.
    until = period.bounds[1] if period.end < today else None
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
    periods = [period, *([compare] if compare else [])]
    tables = [
        {code: RegionFigures(code=code, name=name) for code, name, _l in regions} for _ in periods
    ]
    figures = tables[0]
    for code, _name, last in regions:
        figures[code].last_activity = _aware(last)
    moments = [
        Moment(as_of(p, today), p.bounds[1] if p.end < today else None, place.year_start)
        for p in periods
    ]
    standing.fill(tables, moments, country, region)
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
    months, reached_overall = held_figures(figures, country, period, region)
    totals = []
    for table, counted in zip(tables, periods, strict=True):
        if table is not figures:
            reached_overall = held_figures(table, country, counted, region)[1]
        total = _total(list(table.values()))
        total.reached = int(reached_overall or 0)  # a school reached in two regions: once
        totals.append(total)

    request_scope = [
        MentoringRequest.country_code == country,
        *([MentoringRequest.region_code == region] if region else []),
    ]
    funnel = {} if totals_only else _funnel(request_scope, start, end)
    return Dashboard(
        country=country,
        period=period,
        regions=list(figures.values()),
        months=months,
        funnel=funnel,
        total=totals[0],
        earlier=totals[1] if compare else None,
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


class RegionSchool(NamedTuple):
    id: int
    name: str
    held: int


def region_schools(region: str, period: Period, limit: int = 300) -> list[RegionSchool]:
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
        select(School.id, School.name, func.coalesce(held.c.held, 0))
        .outerjoin(held, held.c.school_id == School.id)
        .where(School.region_code == region, School.status == SchoolStatus.VERIFIED)
        .order_by(func.coalesce(held.c.held, 0).desc(), School.search_key, School.id)
        .limit(limit)
    )
    return [RegionSchool(*row) for row in rows]


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
