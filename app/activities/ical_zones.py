"""VTIMEZONE blocks that every calendar client reads alike.

A zone's rules as it follows them today become one STANDARD and one DAYLIGHT observance
with a yearly RRULE (``BYMONTH=3;BYDAY=-1SU``), the form ical.js (Thunderbird), libical,
vobject (dateutil) and the icalendar library all expand the same way. Changes that follow
no yearly rule within the years a feed covers (a zone that gave up summer time, a one-off
shift) each get an observance of their own with a single DTSTART: no RDATE lists, which
some of those readers take for one date, or none.

The changes are found in Python's own zone data (zoneinfo), the data the feed's times are
converted with, so the block always agrees with the times written beside it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Zones change at most twice a year; probing twice a day finds every change between.
_PROBE = timedelta(hours=12)


@dataclass(frozen=True)
class Change:
    """A change of a zone's offset (or name, or summer time flag) at a UTC instant."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    daylight: bool
    name: str

    @property
    def onset(self) -> datetime:
        """The local time of the change as RFC 5545 counts it: on the clock before it."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def kind(self) -> tuple:
        return self.offset_from, self.offset_to, self.daylight, self.name


def _state(zone: ZoneInfo, moment: datetime) -> tuple:
    local = moment.astimezone(zone)
    return local.utcoffset(), bool(local.dst()), local.tzname() or ""


def changes(zone_name: str, first_year: int, last_year: int) -> list[Change]:
    """The zone's changes from the start of ``first_year`` to the end of ``last_year``."""
    zone = ZoneInfo(zone_name)
    moment, end = datetime(first_year, 1, 1, tzinfo=UTC), datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found, state = [], _state(zone, moment)
    while moment < end:
        following = moment + _PROBE
        if _state(zone, following) != state:
            low, high = int(moment.timestamp()), int(following.timestamp())
            while high - low > 1:  # the first second of the new state
                middle = (low + high) // 2
                if _state(zone, datetime.fromtimestamp(middle, UTC)) == state:
                    low = middle
                else:
                    high = middle
            at = datetime.fromtimestamp(high, UTC)
            new = _state(zone, at)
            found.append(Change(at, state[0], new[0], new[1], new[2]))
            state = new
        moment = following
    return found


def _weekdays(onset: datetime) -> set[str]:
    """The BYDAY values that name ``onset``'s day in its month: ``2SU``, and ``-1SU`` too
    when it is the last such weekday of the month."""
    day = _DAYS[onset.weekday()]
    names = {f"{(onset.day - 1) // 7 + 1}{day}"}
    if onset.day + 7 > calendar.monthrange(onset.year, onset.month)[1]:
        names.add(f"-1{day}")
    return names


def _yearly_rule(series: list[Change], last_year: int) -> tuple[int, str] | None:
    """How many changes at the end of ``series`` (one kind of change, in time order) follow
    one yearly rule up to ``last_year``, and the rule's BYDAY; None when not even two do."""
    if not series or series[-1].onset.year != last_year:
        return None
    last = series[-1].onset
    names, count = _weekdays(last), 1
    for previous in reversed(series[:-1]):
        onset = previous.onset
        common = names & _weekdays(onset)
        if (
            onset.year != last.year - count
            or (onset.month, onset.time()) != (last.month, last.time())
            or not common
        ):
            break
        names, count = common, count + 1
    if count < 2:
        return None
    return count, sorted(names)[0]  # "-1SU" before "5SU": the last one reads as meant


def _observance(change: Change, onset: datetime, rule: dict | None = None):
    observance = TimezoneDaylight() if change.daylight else TimezoneStandard()
    observance.add("dtstart", onset)
    if rule:
        observance.add("rrule", rule)
    observance.add("tzoffsetfrom", change.offset_from)
    observance.add("tzoffsetto", change.offset_to)
    if change.name:
        observance.add("tzname", change.name)
    return observance


@lru_cache(maxsize=256)
def vtimezone(zone_name: str, first_year: int, last_year: int) -> Timezone:
    """The zone's VTIMEZONE for times from ``first_year`` to ``last_year``: the state at the
    start of ``first_year``, then its changes (yearly rules as RRULEs, open-ended)."""
    start = datetime(first_year, 1, 1, tzinfo=ZoneInfo(zone_name))
    offset, daylight, name = _state(start.tzinfo, start)
    block = Timezone()
    block.add("tzid", zone_name)
    initial = Change(start.astimezone(UTC), offset, offset, daylight, name)
    block.add_component(_observance(initial, start.replace(tzinfo=None)))
    by_kind: dict[tuple, list[Change]] = {}
    for change in changes(zone_name, first_year, last_year):
        by_kind.setdefault(change.kind, []).append(change)
    for series in by_kind.values():
        found = _yearly_rule(series, last_year)
        ruled = found[0] if found else 0
        for change in series[: len(series) - ruled]:
            block.add_component(_observance(change, change.onset))
        if found:
            first = series[len(series) - ruled]
            rule = {"freq": "yearly", "bymonth": first.onset.month, "byday": found[1]}
            block.add_component(_observance(first, first.onset, rule))
    return block
