"""Trends of a dashboard: the same period a year earlier, and activities month by month
over the last three school years.

The monthly line reads the month rows of held_summary (app.dashboards.models): one query
of at most 36 × types rows, whatever the number of activities. A month is counted in the
school year its first day belongs to when the school year starts on the month's first
day; a school year starting mid-month (Norway: 15 August) counts that whole month in the
new school year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.core.extensions import db
from app.core.school_years import Start, school_year_bounds, school_year_label
from app.dashboards.declaration import Period
from app.dashboards.models import MONTH, HeldSummary

YEARS = 3  # school years on the monthly line


def year_earlier(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def previous(period: Period) -> Period:
    """The same period of the previous school year."""
    return Period(year_earlier(period.start), year_earlier(period.end), period.timezone)


@dataclass
class Line:
    year: int  # the first calendar year of the school year
    values: list[int | None]  # one per month of the school year; None: still to come

    @property
    def label(self) -> str:
        return school_year_label(self.year)

    @property
    def total(self) -> int:
        return sum(value or 0 for value in self.values)


def month_starts(year: int, start: Start) -> list[date]:
    """The first days of the twelve months of school year ``year``."""
    first = date(year, start[0], 1)
    months = [first]
    for _ in range(11):
        months.append((months[-1] + timedelta(days=32)).replace(day=1))
    return months


def monthly_lines(
    country: str, start: Start, current: int, today: date, region: str | None = None
) -> list[Line]:
    """Activities held per month in the school years ``current`` − 2 … ``current``,
    oldest first; months after ``today`` are None."""
    first_year = current - YEARS + 1
    since = date(first_year, start[0], 1)
    until = school_year_bounds(current, start)[1]
    counts = dict(
        db.session.execute(
            select(HeldSummary.day, func.sum(HeldSummary.activities))
            .where(
                HeldSummary.country_code == country,
                HeldSummary.span == MONTH,
                HeldSummary.day.between(since, until),
                *([HeldSummary.region_code == region] if region else []),
            )
            .group_by(HeldSummary.day)
        ).all()
    )
    return [
        Line(
            year,
            [
                None if month > today else int(counts.get(month, 0) or 0)
                for month in month_starts(year, start)
            ],
        )
        for year in range(first_year, current + 1)
    ]


def change(now: int, before: int) -> dict:
    """How a figure moved: its difference, and the direction as a word for the page."""
    difference = now - before
    return {
        "before": before,
        "difference": difference,
        "direction": "up" if difference > 0 else "down" if difference < 0 else "same",
    }
