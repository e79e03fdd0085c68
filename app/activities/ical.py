"""iCalendar (RFC 5545) feeds of public activities."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import cycle
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vDuration

from app.activities.enums import ActivityStatus
from app.activities.ical_zones import vtimezone
from app.activities.models import Activity

UID_DOMAIN = "etwinning-network.example"
_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class FeedHead:
    """What a feed says of itself."""

    name: str
    #: The ORGANIZER of every event: this address, with the school's name.
    organizer_email: str
    #: How often subscribed clients should fetch the feed again.
    refresh: timedelta


def activity_uid(activity: Activity) -> str:
    """Stable across edits and exports: the activity's id in our domain."""
    return f"activity-{activity.id}@{UID_DOMAIN}"


def build_feed(
    head: FeedHead, activities: Iterable[Activity], url_for_activity: Callable[[Activity], str]
) -> bytes:
    """The calendar, written one event at a time: a feed of hundreds of events never holds
    them all as components at once."""
    activities = list(activities)
    calendar = Calendar()
    calendar.add("prodid", "-//eTwinning School Network//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", head.name)
    calendar.add("x-wr-calname", head.name)
    calendar.add("refresh-interval", head.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(head.refresh))
    for zone_name, (first_year, last_year) in sorted(_years_by_zone(activities).items()):
        # A year before and after: every time in the feed follows a change of the block.
        calendar.add_component(vtimezone(zone_name, first_year - 1, last_year + 1))
    text = calendar.to_ical()
    if not text.endswith(_END):
        raise ValueError("unexpected end of the calendar's header")
    events = (_event_text(activity, head, url_for_activity(activity)) for activity in activities)
    return b"".join((text[: -len(_END)], *events, _END))


#: What an activity's VEVENT is written from, with its school's name, the organizer and link.
_EVENT_FIELDS = (
    "id", "version", "updated_at", "title", "description", "location", "starts_at", "ends_at",
    "timezone", "type", "status",
)  # fmt: skip


class _EventTexts:
    """The VEVENT text of recently written activities, by everything it is made from
    (:data:`_EVENT_FIELDS`, its school's name, the organizer's address and its link): feeds
    with other filters or in other languages share their events, and writing one is most
    of a feed's cost. Bounded: the least recently used are forgotten first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._texts: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, write: Callable[[], bytes]) -> bytes:
        with self._lock:
            text = self._texts.get(key)
            if text is not None:
                self._texts.move_to_end(key)
                return text
        text = write()
        with self._lock:
            self._texts[key] = text
            if len(self._texts) > self.size:
                self._texts.popitem(last=False)
        return text


#: About 700 bytes each: a few MB per process, several countries' feeds.
_EVENT_TEXTS = _EventTexts(10_000)


def _event_text(activity: Activity, head: FeedHead, url: str) -> bytes:
    key = (
        *(getattr(activity, name) for name in _EVENT_FIELDS),
        activity.school.name,
        head.organizer_email,
        url,
    )
    return _EVENT_TEXTS.get(key, lambda: _event(activity, head, url).to_ical())


def _years_by_zone(activities: list[Activity]) -> dict[str, tuple[int, int]]:
    years: dict[str, tuple[int, int]] = {}
    for activity in activities:
        first, last = activity.starts_at.year, activity.ends_at.year
        known = years.get(activity.timezone, (first, last))
        years[activity.timezone] = (min(known[0], first), max(known[1], last))
    return years


def local_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """The time in the activity's zone; in UTC when that local time comes twice (the night
    the clocks go back), which clients read differently: RFC 5545 and vobject take the
    first 02:30, ical.js the second."""
    local = moment.astimezone(zone)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return moment.astimezone(UTC)
    return local


def organizer(name: str, email: str) -> vCalAddress:
    """``ORGANIZER;CN=<name>:mailto:<email>``. A parameter value cannot hold a straight
    double quote (RFC 6868's escape is read by few clients): they become typographic ones."""
    quotes = cycle("“”")
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = "".join(next(quotes) if c == '"' else c for c in name)
    return address


def _event(activity: Activity, head: FeedHead, url: str) -> Event:
    zone = ZoneInfo(activity.timezone)
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("sequence", activity.version)
    event.add("summary", activity.title)
    event.add("dtstart", local_time(activity.starts_at, zone))
    event.add("dtend", local_time(activity.ends_at, zone))
    event.add("organizer", organizer(activity.school.name, head.organizer_email))
    if activity.description:
        event.add("description", activity.description)
    # Join links are for signed-in readers only, never in a public feed.
    if activity.location:
        event.add("location", activity.location)
    event.add("url", url)
    event.add("categories", [activity.type.value])
    event.add("status", "CANCELLED" if activity.status is ActivityStatus.CANCELLED else "CONFIRMED")
    return event
