"""The invitation a registrant's calendar reads (iTIP, RFC 5546): REQUEST, then CANCEL.

Sent with the mail that gives the place, so that Outlook, Thunderbird or Apple Calendar
offer to add the activity, and with the mail of a cancellation, which takes it out again.
The UID is the registration's: one registrant's entry never collides with the activity
as a subscribed feed shows it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from app.activities.ical import UID_DOMAIN, local_time, organizer
from app.activities.ical_zones import vtimezone
from app.core.mail import Attachment
from app.registrations.models import Registration

REQUEST, CANCEL = "REQUEST", "CANCEL"


def invitation(registration: Registration, method: str, sender: str, url: str) -> Attachment:
    activity = registration.activity
    zone = ZoneInfo(activity.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//eTwinning School Network//Registrations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    years = (activity.starts_at.year - 1, activity.ends_at.year + 1)
    calendar.add_component(vtimezone(activity.timezone, *years))
    event = Event()
    event.add("uid", f"activity-{activity.id}-registration-{registration.id}@{UID_DOMAIN}")
    event.add("dtstamp", registration.updated_at or activity.updated_at)
    # Edits of the activity raise its version; a cancellation comes after all of them.
    event.add("sequence", activity.version + (1 if method == CANCEL else 0))
    event.add("summary", activity.title)
    event.add("dtstart", local_time(activity.starts_at, zone))
    event.add("dtend", local_time(activity.ends_at, zone))
    event.add("organizer", organizer(activity.school.name, sender))
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params.update(
        {"CN": registration.name.replace('"', "'"), "ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"}
    )
    attendee.params["PARTSTAT"] = "DECLINED" if method == CANCEL else "ACCEPTED"
    event.add("attendee", attendee)
    if activity.description:
        event.add("description", activity.description)
    if activity.location:
        event.add("location", activity.location)
    event.add("url", url)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    calendar.add_component(event)
    return Attachment(
        filename="invitation.ics" if method == REQUEST else "cancellation.ics",
        content_type="text/calendar",
        data=calendar.to_ical(),
        params={"method": method, "charset": "utf-8"},
    )
