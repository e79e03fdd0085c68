"""The activity figures of a dashboard, read from the summaries (app.dashboards.models).

The period is tiled with whole school years, whole months and single days (see
:func:`app.dashboards.spans.tile`), so a school year costs a few thousand summary rows,
not the year's activities. Schools reached come from the school-year rows of
reach_summary and their day bits, one row per school and region whatever the period.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from app.activities.enums import ActivityType
from app.core.extensions import db
from app.core.school_years import school_year_of
from app.dashboards.declaration import Period, RegionFigures
from app.dashboards.facts import SPANS
from app.dashboards.models import (
    DAY_BITS,
    WHOLE_COUNTRY,
    YEAR,
    HeldSummary,
    PillarSummary,
    ReachSummary,
)
from app.dashboards.spans import period_bits, tile


def _years(start: date, end: date) -> list[tuple[date, tuple[int, ...] | None]]:
    """The school years [start, end] meets: (1 September, the DAY_BITS of the period's
    days in it, or None when the period covers the whole school year)."""
    years = []
    for year in range(school_year_of(start), school_year_of(end) + 1):
        first, last = date(year, 9, 1), date(year + 1, 8, 31)
        low, high = max(start, first), min(end, last)
        if low <= high:
            whole = (low, high) == (first, last)
            years.append((first, None if whole else period_bits(first, low, high)))
    return years


def _month_of(day_column):
    """SQL: "YYYY-MM" of a date column."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(day_column, "YYYY-MM")
    return func.strftime("%Y-%m", day_column)


def held_figures(
    figures: dict[str, RegionFigures], country: str, period: Period, region: str | None
) -> tuple[list[tuple[str, dict[str, int]]], int]:
    """Held activities, participants, pillars and schools reached, from the summaries.

    Fills ``figures``; returns the months of the period with their counts per type, and
    the number of distinct schools reached in the whole scope.
    """

    def scope(table, place: str | None = region):
        """The rows of ``table`` that tile the period (see app.dashboards.models)."""
        return [
            or_(
                *(
                    and_(
                        table.country_code == country,
                        table.span == span,
                        table.day == first if first == last else table.day.between(first, last),
                    )
                    for span, first, last in tile(period.start, period.end, SPANS[table.__table__])
                )
            ),
            *([table.region_code == place] if place is not None else []),
        ]

    for code, kind, count, participants in db.session.execute(
        select(
            HeldSummary.region_code,
            HeldSummary.type,
            func.sum(HeldSummary.activities),
            func.sum(HeldSummary.participants),
        )
        .where(*scope(HeldSummary))
        .group_by(HeldSummary.region_code, HeldSummary.type)
    ):
        if code in figures:
            figures[code].held[ActivityType(kind).value] = int(count)
            figures[code].participants += int(participants or 0)

    month = _month_of(HeldSummary.day)
    by_month: dict[str, dict[str, int]] = defaultdict(dict)
    for key, kind, count in db.session.execute(
        select(month, HeldSummary.type, func.sum(HeldSummary.activities))
        .where(*scope(HeldSummary))
        .group_by(month, HeldSummary.type)
    ):
        by_month[key][ActivityType(kind).value] = int(count)

    for code, pillar, count in db.session.execute(
        select(
            PillarSummary.region_code, PillarSummary.pillar_code, func.sum(PillarSummary.activities)
        )
        .where(*scope(PillarSummary))
        .group_by(PillarSummary.region_code, PillarSummary.pillar_code)
    ):
        if code in figures:
            figures[code].pillars[pillar] = int(count)

    # A school reached in the period is a school-year row with a day of the period among
    # its day bits; over several school years the rows of one school are counted once.
    years = _years(period.start, period.end)
    chosen = or_(
        *(
            and_(
                ReachSummary.day == first,
                *(
                    ()
                    if bits is None  # the whole school year: every row
                    else (
                        or_(
                            *(
                                getattr(ReachSummary, name).op("&")(value) != 0
                                for name, value in zip(DAY_BITS, bits, strict=True)
                                if value
                            )
                        ),
                    )
                ),
            )
            for first, bits in years
        )
    )
    counted = func.count() if len(years) == 1 else func.count(ReachSummary.school.distinct())

    def reached(place):
        return (
            ReachSummary.country_code == country,
            ReachSummary.span == YEAR,
            chosen,
            place,
        )

    reached_overall = (
        db.session.scalar(
            select(counted).where(*reached(ReachSummary.region_code == (region or WHOLE_COUNTRY)))
        )
        if years
        else 0
    )
    if region is None and years:
        for code, count in db.session.execute(
            select(ReachSummary.region_code, counted)
            # "> ''" rather than "!= ''": a range of the primary key, which then skips
            # the whole-country rows instead of reading and refusing them.
            .where(*reached(ReachSummary.region_code > WHOLE_COUNTRY))
            .group_by(ReachSummary.region_code)
        ):
            if code in figures:
                figures[code].reached = int(count)
    elif region in figures:
        figures[region].reached = reached_overall or 0

    keys, cursor = [], period.start.replace(day=1)
    while cursor <= period.end:
        keys.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return [(key, by_month.get(key, {})) for key in keys], reached_overall or 0
