"""The activity figures of a dashboard, read from the summaries (app.models.summary).

The period is tiled with whole school years, whole months and single days (see
:func:`app.activity_facts.tile`), so a school year costs a few thousand summary rows,
not the year's activities.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, distinct, func, or_, select

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
    """Held activities, participants, pillars and schools reached, from the day summaries.

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

    month = _month_of(HeldSummary.day)
    by_month: dict[str, dict[str, int]] = defaultdict(dict)
    for code, key, kind, count, participants in db.session.execute(
        select(
            HeldSummary.region_code,
            month,
            HeldSummary.type,
            func.sum(HeldSummary.activities),
            func.sum(HeldSummary.participants),
        )
        .where(*scope(HeldSummary))
        .group_by(HeldSummary.region_code, month, HeldSummary.type)
    ):
        kind, count = ActivityType(kind).value, int(count)
        by_month[key][kind] = by_month[key].get(kind, 0) + count
        if code in figures:
            held = figures[code].held
            held[kind] = held.get(kind, 0) + count
            figures[code].participants += int(participants or 0)

    for code, pillar, count in db.session.execute(
        select(
            PillarSummary.region_code, PillarSummary.pillar_code, func.sum(PillarSummary.activities)
        )
        .where(*scope(PillarSummary))
        .group_by(PillarSummary.region_code, PillarSummary.pillar_code)
    ):
        if code in figures:
            figures[code].pillars[pillar] = int(count)

    # One span (a school year, a month, a day) has one row per school and region: count
    # rows. Several spans may list a school more than once: count distinct schools.
    pieces = tile(period.start, period.end, SPANS[ReachSummary.__table__])
    one_span = len(pieces) == 1 and pieces[0][1] == pieces[0][2]
    schools = func.count() if one_span else func.count(distinct(ReachSummary.school))
    reached_overall = db.session.scalar(
        select(schools).where(*scope(ReachSummary, region or WHOLE_COUNTRY))
    )
    if region is None:
        for code, count in db.session.execute(
            select(ReachSummary.region_code, schools)
            .where(*scope(ReachSummary), ReachSummary.region_code != WHOLE_COUNTRY)
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
