"""The activity figures of a dashboard, read from the summaries (app.models.summary).

The period is tiled with whole school years, whole months and single days (see
:func:`app.activity_facts.tile`), so a school year costs a few thousand summary rows,
not the year's activities.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select, union

from app.activity_facts import SPANS, tile
from app.extensions import db
from app.models import HeldSummary, PillarSummary, ReachSummary
from app.models.enums import ActivityType
from app.models.summary import WHOLE_COUNTRY

if TYPE_CHECKING:
    from app.dashboard import Period, RegionFigures


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
        """The rows of ``table`` that tile the period (see app.models.summary)."""
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

    # Each span (a school year, a month, a day) has one row per school and region; the
    # spans that tile the period may list a school more than once, so their rows are
    # united (UNION drops the repeats) and the result counted.
    def reached(place, *columns):
        pieces = [
            select(*columns).where(
                ReachSummary.country_code == country,
                ReachSummary.span == span,
                ReachSummary.day == first
                if first == last
                else ReachSummary.day.between(first, last),
                place,
            )
            for span, first, last in tile(period.start, period.end, SPANS[ReachSummary.__table__])
        ]
        return (pieces[0] if len(pieces) == 1 else union(*pieces)).subquery()

    whole = reached(ReachSummary.region_code == (region or WHOLE_COUNTRY), ReachSummary.school)
    reached_overall = db.session.scalar(select(func.count()).select_from(whole))
    if region is None:
        regions = reached(
            ReachSummary.region_code != WHOLE_COUNTRY, ReachSummary.region_code, ReachSummary.school
        )
        for code, count in db.session.execute(
            select(regions.c.region_code, func.count()).group_by(regions.c.region_code)
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
