"""The feeds read the same in the calendar clients: ical.js (the parser of Thunderbird),
vobject (dateutil's reading of VTIMEZONE) and the icalendar library, given only the feed's
own VTIMEZONE blocks, put every event at the instant the API gives, before, across and
after both changes of the clocks in a year, in Norway and in Romania."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from tests.support.paths import ROOT

YEAR = datetime.now(UTC).year + 1
ICAL_JS = ROOT / "node_modules" / "ical.js"
READER = ROOT / "tests" / "support" / "ical_starts.mjs"


def _last_sunday(month: int) -> date:
    day = date(YEAR, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _switch(month: int) -> datetime:
    """The clocks of the European Union change at 01:00 UTC on the last Sunday."""
    return datetime.combine(_last_sunday(month), datetime.min.time(), UTC) + timedelta(hours=1)


def instants() -> dict[str, tuple[datetime, timedelta]]:
    """Name → (UTC start, length) of activities that test the zone's every observance."""
    spring, autumn = _switch(3), _switch(10)
    hour = timedelta(hours=1)
    return {
        "winter": (datetime(YEAR, 1, 15, 8, 0, tzinfo=UTC), 2 * hour),
        "day before spring": (spring - timedelta(hours=17), hour),
        "just before spring": (spring - timedelta(minutes=30), hour),  # ends after the change
        "just after spring": (spring + timedelta(minutes=30), hour),
        "april": (datetime(YEAR, 4, 10, 14, 0, tzinfo=UTC), 3 * hour),
        "summer": (datetime(YEAR, 7, 1, 8, 0, tzinfo=UTC), 2 * hour),
        "october": (datetime(YEAR, 10, 1, 8, 0, tzinfo=UTC), 2 * hour),
        "day before autumn": (autumn - timedelta(hours=17), hour),
        # Norway: 02:30 summer time, then 02:30 winter time an hour later.
        "first 02:30 of autumn": (autumn - timedelta(minutes=30), 2 * hour),
        "second 02:30 of autumn": (autumn + timedelta(minutes=30), hour),
        "november": (datetime(YEAR, 11, 5, 16, 0, tzinfo=UTC), 2 * hour),
        "december": (datetime(YEAR, 12, 20, 9, 0, tzinfo=UTC), 2 * hour),
    }


def read_with_ical_js(feed: bytes) -> dict[str, tuple[datetime, datetime]]:
    if not ICAL_JS.is_dir() or shutil.which("node") is None:
        message = "ical.js is not installed: run `npm ci` (the Makefile's test targets do)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(  # noqa: S603 - our own script, run by the node on PATH
        [shutil.which("node"), str(READER)], input=feed, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return {
        uid: (_instant(times["start"]), _instant(times["end"]))
        for uid, times in json.loads(done.stdout).items()
    }


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def read_with_vobject(feed: bytes) -> dict[str, tuple[datetime, datetime]]:
    # vobject keeps the first zone it meets under a TZID, for the whole process, and
    # falls back on pytz: forget them all, so that the feed's own blocks are read.
    vobject.icalendar.__dict__["__tzidMap"].clear()
    calendar = vobject.readOne(feed.decode())
    found = {}
    for event in calendar.vevent_list:
        start, end = event.dtstart.value, event.dtend.value
        for line in (event.dtstart, event.dtend):
            if "TZID" in line.params:  # read with the feed's VTIMEZONE, not with pytz's
                assert type(line.value.tzinfo).__module__.startswith("dateutil"), line
        found[event.uid.value] = (start.astimezone(UTC), end.astimezone(UTC))
    return found


def read_with_icalendar(feed: bytes) -> dict[str, tuple[datetime, datetime]]:
    """The icalendar library knows the zones by name; give it the feed's blocks instead."""
    calendar = Calendar.from_ical(feed)
    zones = {str(block["TZID"]): block.to_tz() for block in calendar.walk("VTIMEZONE")}

    def instant(prop) -> datetime:
        moment = prop.dt
        if "TZID" in prop.params:
            moment = moment.replace(tzinfo=zones[prop.params["TZID"]])
        return moment.astimezone(UTC)

    return {
        str(event["UID"]): (instant(event["DTSTART"]), instant(event["DTEND"]))
        for event in calendar.walk("VEVENT")
    }


READERS = {
    "ical.js": read_with_ical_js,
    "vobject": read_with_vobject,
    "icalendar": read_with_icalendar,
}


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize(("country", "zone"), [("NO", "Europe/Oslo"), ("RO", "Europe/Bucharest")])
def test_every_client_reads_each_start_as_the_api_gives_it(client, make, reader, country, zone):
    school = make.school(country)
    made = {
        name: make.activity(school, starts_at=start, ends_at=start + length, title=name).id
        for name, (start, length) in instants().items()
    }
    response = client.get(f"/calendar/{country}.ics")
    assert response.status_code == 200
    assert f"TZID={zone}".encode() in response.data

    read = READERS[reader](response.data)

    assert len(read) == len(made)
    for name, activity_id in made.items():
        api = client.get(f"/api/v1/events/{activity_id}").get_json()
        expected = (
            datetime.fromisoformat(api["starts_at"]).astimezone(UTC),
            datetime.fromisoformat(api["ends_at"]).astimezone(UTC),
        )
        start, length = instants()[name]
        assert expected == (start, start + length), name  # the API gives what was recorded
        assert read[f"activity-{activity_id}@etwinning-network.example"] == expected, (
            reader,
            name,
        )
