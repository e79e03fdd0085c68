"""School years and the eTwinning School label's validity.

A school year starts on a day of the year that depends on the country (1 September in
most, mid-August in Norway: ``Country.school_year_start``). Core knows no country: callers
pass the start as ``(month, day)``; it is 1 September when they do not.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l

#: Days before expiry when a label is shown as expiring.
EXPIRING_DAYS = 120

#: The first day of a school year as (month, day).
Start = tuple[int, int]
SEPTEMBER_FIRST: Start = (9, 1)


def parse_start(value: str) -> Start:
    """``"08-15"`` → ``(8, 15)``; ValueError unless it is a day of every year."""
    month, day = (int(part) for part in value.split("-"))
    date(2001, month, day)  # not 29 February: a day every year has
    return month, day


def school_year_of(day: date, start: Start = SEPTEMBER_FIRST) -> int:
    """The first calendar year of the school year ``day`` falls in (2026-11-23 → 2026)."""
    return day.year if (day.month, day.day) >= start else day.year - 1


def school_year_bounds(start_year: int, start: Start = SEPTEMBER_FIRST) -> tuple[date, date]:
    """The first and the last day of the school year that starts in ``start_year``."""
    return date(start_year, *start), date(start_year + 1, *start) - timedelta(days=1)


def school_year_label(start_year: int) -> str:
    return f"{start_year}–{str(start_year + 1)[-2:]}"


class LabelState(StrEnum):
    NONE = "none"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return str(_LABEL_STATE_LABELS[self])


_LABEL_STATE_LABELS = {
    LabelState.NONE: _l("No eTwinning School label"),
    LabelState.VALID: _l("eTwinning School label valid"),
    LabelState.EXPIRING: _l("eTwinning School label expiring soon"),
    LabelState.EXPIRED: _l("eTwinning School label expired"),
}


def label_valid_until(label_year: int, start: Start = SEPTEMBER_FIRST) -> date:
    """The label is valid for the school year it was awarded in and the next one."""
    return school_year_bounds(label_year + 1, start)[1]


def label_state(label_year: int | None, today: date, start: Start = SEPTEMBER_FIRST) -> LabelState:
    if label_year is None or school_year_bounds(label_year, start)[0] > today:
        return LabelState.NONE
    until = label_valid_until(label_year, start)
    if today > until:
        return LabelState.EXPIRED
    if (until - today).days < EXPIRING_DAYS:
        return LabelState.EXPIRING
    return LabelState.VALID


def valid_label_years(today: date, start: Start = SEPTEMBER_FIRST) -> tuple[int, int]:
    """The award years whose label is valid on ``today`` (inclusive range)."""
    current = school_year_of(today, start)
    return current - 1, current
