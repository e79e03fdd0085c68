"""Spans of local time the summaries are kept in: days, months and school years.

The summaries' school-year rows always start on 1 September, whatever a country's school
year: they are a way of storing days (their day bits), not the school year a dashboard
shows; a dashboard's period is read as whole spans and single days (:func:`tile`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from app.core.school_years import school_year_of
from app.dashboards.models import BITS, DAY, DAY_BITS, MONTH, YEAR


def spans_of(day: date) -> dict[str, date]:
    """The first day of each span ``day`` lies in."""
    return {DAY: day, MONTH: day.replace(day=1), YEAR: date(school_year_of(day), 9, 1)}


def _next_start(day: date, span: str) -> date:
    if span == MONTH:
        return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return date(school_year_of(day) + 1, 9, 1)


def tile(start: date, end: date, spans: tuple[str, ...]) -> list[tuple[str, date, date]]:
    """[start, end] as whole spans, coarsest first, then days: (span, first, last start)."""
    coarser = [span for span in (YEAR, MONTH) if span in spans]
    if start > end:
        return []
    if not coarser:
        return [(DAY, start, end)]
    span, finer = coarser[0], tuple(s for s in spans if s != coarser[0])
    first = start if spans_of(start)[span] == start else _next_start(start, span)
    after = end + timedelta(days=1)
    last_end = end if spans_of(after)[span] == after else spans_of(end)[span] - timedelta(days=1)
    if first > last_end:
        return tile(start, end, finer)
    return [
        *tile(start, first - timedelta(days=1), finer),
        (span, first, spans_of(last_end)[span]),
        *tile(last_end + timedelta(days=1), end, finer),
    ]


def day_bits(days: Iterable[int]) -> tuple[int, ...]:
    """The values of the DAY_BITS columns for the days of a school year (0 = 1 September)."""
    values = [0] * len(DAY_BITS)
    for day in days:
        values[day // BITS] |= 1 << (day % BITS)
    return tuple(values)


def period_bits(first_of_year: date, start: date, end: date) -> tuple[int, ...]:
    """DAY_BITS values of the days from ``start`` to ``end`` inside the school year."""
    return day_bits(range((start - first_of_year).days, (end - first_of_year).days + 1))
