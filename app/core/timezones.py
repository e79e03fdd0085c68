"""Local wall-clock times in a school's time zone, converted to UTC without silent shifts."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


class LocalTimeError(ValueError):
    pass


class NonexistentTime(LocalTimeError):
    """The clocks jump forward over this time (spring daylight-saving change)."""


class AmbiguousTime(LocalTimeError):
    """This time happens twice (autumn daylight-saving change)."""


def to_utc(local: datetime, timezone: str) -> datetime:
    """Convert a naive local time in ``timezone`` to an aware UTC datetime.

    Raises NonexistentTime or AmbiguousTime at daylight-saving changes instead of
    guessing, so nobody's activity moves by an hour without them knowing.
    """
    zone = ZoneInfo(timezone)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != local:
        raise NonexistentTime(local)
    if first.utcoffset() != second.utcoffset():
        raise AmbiguousTime(local)
    return first.astimezone(UTC)


def to_local(value: datetime, timezone: str) -> datetime:
    """An aware UTC datetime as a naive wall-clock time in ``timezone`` (for forms)."""
    return value.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
