"""iCalendar (RFC 5545) feeds of public activities."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from app.activities.enums import ActivityStatus
from app.activities.models import Activity

UID_DOMAIN = "etwinning-network.example"
_END = b"END:VCALENDAR\r\n"


def activity_uid(activity: Activity) -> str:
    """Stable across edits and exports: the activity's id in our domain."""
    return f"activity-{activity.id}@{UID_DOMAIN}"


def build_feed(name: str, activities: Iterable[Activity], url_for_activity) -> bytes:
    """The calendar, written one event at a time: a feed of hundreds of events never holds
    them all as components at once."""
    activities = list(activities)
    calendar = Calendar()
    calendar.add("prodid", "-//eTwinning School Network//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for zone_name in sorted({activity.timezone for activity in activities}):
        calendar.add_component(Timezone.from_tzid(zone_name))
    head = calendar.to_ical()
    if not head.endswith(_END):
        raise ValueError("unexpected end of the calendar's header")
    events = (_event(activity, url_for_activity).to_ical() for activity in activities)
    return b"".join((head[: -len(_END)], *events, _END))


def _event(activity: Activity, url_for_activity) -> Event:
    zone = ZoneInfo(activity.timezone)
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("sequence", activity.version)
    event.add("summary", activity.title)
    event.add("dtstart", activity.starts_at.astimezone(zone))
    event.add("dtend", activity.ends_at.astimezone(zone))
    if activity.description:
        event.add("description", activity.description)
    # Join links are for signed-in readers only, never in a public feed.
    if activity.location:
        event.add("location", activity.location)
    event.add("url", url_for_activity(activity))
    event.add("categories", [activity.type.value])
    event.add("status", "CANCELLED" if activity.status is ActivityStatus.CANCELLED else "CONFIRMED")
    return event
