"""School years (1 September to 31 August) and the eTwinning School label's validity."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l

#: Days before expiry when a label is shown as expiring.
EXPIRING_DAYS = 120


def school_year_of(day: date) -> int:
    """The first calendar year of the school year ``day`` falls in (2026-11-23 → 2026)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


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


def label_valid_until(label_year: int) -> date:
    """The label is valid for the school year it was awarded in and the next one."""
    return school_year_bounds(label_year + 1)[1]


def label_state(label_year: int | None, today: date) -> LabelState:
    if label_year is None or school_year_bounds(label_year)[0] > today:
        return LabelState.NONE
    until = label_valid_until(label_year)
    if today > until:
        return LabelState.EXPIRED
    if (until - today).days < EXPIRING_DAYS:
        return LabelState.EXPIRING
    return LabelState.VALID


def valid_label_years(today: date) -> tuple[int, int]:
    """The award years whose label is valid on ``today`` (inclusive range)."""
    current = school_year_of(today)
    return current - 1, current
