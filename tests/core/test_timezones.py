"""Local wall-clock times to UTC at the daylight-saving changes of 2026.

The European Union changes clocks at 01:00 UTC on the last Sunday of March and of
October: 29 March and 25 October in 2026. That is 02:00 local time in Oslo,
Amsterdam and Brussels (CET/CEST) and 03:00 in Bucharest (EET/EEST). Türkiye keeps
+03:00 all year.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.core.timezones import AmbiguousTime, LocalTimeError, NonexistentTime, to_local, to_utc

SPRING = (2026, 3, 29)
AUTUMN = (2026, 10, 25)

#: zone, the local hour the clocks change at, standard offset in hours.
ZONES = [
    ("Europe/Oslo", 2, 1),
    ("Europe/Amsterdam", 2, 1),
    ("Europe/Brussels", 2, 1),
    ("Europe/Bucharest", 3, 2),
]
ZONE_IDS = [zone for zone, _hour, _offset in ZONES]


def local(day: tuple[int, int, int], hour: int, minute: int = 0) -> datetime:
    return datetime(*day, hour, minute)


def utc(day: tuple[int, int, int], hour: int, minute: int = 0) -> datetime:
    return datetime(*day, hour, minute, tzinfo=UTC)


def test_the_change_dates_are_the_last_sundays_of_march_and_october():
    for year, month, day in (SPRING, AUTUMN):
        sunday = datetime(year, month, day)
        assert sunday.weekday() == 6
        assert (sunday + timedelta(days=7)).month != month


@pytest.mark.parametrize(("zone", "hour", "standard"), ZONES, ids=ZONE_IDS)
@pytest.mark.parametrize("minute", [0, 30, 59])
def test_a_time_skipped_in_spring_is_refused(zone, hour, standard, minute):
    with pytest.raises(NonexistentTime):
        to_utc(local(SPRING, hour, minute), zone)


@pytest.mark.parametrize(("zone", "hour", "standard"), ZONES, ids=ZONE_IDS)
@pytest.mark.parametrize("minute", [0, 30, 59])
def test_a_time_repeated_in_autumn_is_refused(zone, hour, standard, minute):
    with pytest.raises(AmbiguousTime):
        to_utc(local(AUTUMN, hour, minute), zone)


@pytest.mark.parametrize(("zone", "hour", "standard"), ZONES, ids=ZONE_IDS)
def test_both_errors_are_value_errors_the_forms_can_catch(zone, hour, standard):
    for day in (SPRING, AUTUMN):
        with pytest.raises(LocalTimeError) as caught:
            to_utc(local(day, hour, 30), zone)
        assert isinstance(caught.value, ValueError)
    assert not issubclass(NonexistentTime, AmbiguousTime)
    assert not issubclass(AmbiguousTime, NonexistentTime)


@pytest.mark.parametrize(("zone", "hour", "standard"), ZONES, ids=ZONE_IDS)
def test_the_minutes_around_the_spring_gap_convert(zone, hour, standard):
    # Winter time just before the gap, summer time from its end: both are 01:00 UTC ± 1 min.
    before = to_utc(local(SPRING, hour - 1, 59), zone)
    after = to_utc(local(SPRING, hour + 1, 0), zone)
    assert before == utc(SPRING, 0, 59)
    assert after == utc(SPRING, 1, 0)
    assert before.tzinfo is UTC
    assert after.tzinfo is UTC
    assert after - before == timedelta(minutes=1)


@pytest.mark.parametrize(("zone", "hour", "standard"), ZONES, ids=ZONE_IDS)
def test_the_minutes_around_the_autumn_overlap_convert(zone, hour, standard):
    # Summer time before the repeated hour, winter time after it.
    before = to_utc(local(AUTUMN, hour - 1, 59), zone)
    after = to_utc(local(AUTUMN, hour + 1, 0), zone)
    assert before == utc(AUTUMN, 0, 0) - timedelta(minutes=1)  # 23:59 UTC the day before
    assert after == utc(AUTUMN, 2, 0)
    assert after - before == timedelta(hours=2, minutes=1)


@pytest.mark.parametrize(("zone", "hour", "standard"), ZONES, ids=ZONE_IDS)
def test_ordinary_times_use_the_offset_of_their_season(zone, hour, standard):
    assert to_utc(datetime(2026, 1, 15, 12, 0), zone) == datetime(
        2026, 1, 15, 12 - standard, 0, tzinfo=UTC
    )
    assert to_utc(datetime(2026, 7, 15, 12, 0), zone) == datetime(
        2026, 7, 15, 12 - standard - 1, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("day", [SPRING, AUTUMN], ids=["spring", "autumn"])
@pytest.mark.parametrize(("hour", "minute"), [(1, 59), (2, 0), (2, 30), (3, 0), (3, 30), (4, 0)])
def test_istanbul_has_no_change_and_converts_every_time_at_plus_three(day, hour, minute):
    converted = to_utc(local(day, hour, minute), "Europe/Istanbul")
    assert converted == datetime(*day, hour, minute, tzinfo=UTC) - timedelta(hours=3)
    assert converted.tzinfo is UTC
    assert to_local(converted, "Europe/Istanbul") == local(day, hour, minute)


def test_istanbul_offset_is_plus_three_all_year():
    for month in range(1, 13):
        wall = datetime(2026, month, 10, 12, 0)
        assert to_utc(wall, "Europe/Istanbul") == datetime(2026, month, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone", [*ZONE_IDS, "Europe/Istanbul", "UTC"], ids=[*ZONE_IDS, "Istanbul", "UTC"]
)
def test_to_local_round_trips_every_existing_unambiguous_time(zone):
    start = datetime(2026, 3, 28, 0, 0)
    checked = 0
    for step in range(0, 4 * 24 * 60, 15):
        wall = start + timedelta(minutes=step)
        for day in (wall, wall.replace(month=10, day=wall.day - 4)):
            try:
                converted = to_utc(day, zone)
            except LocalTimeError:
                continue
            assert to_local(converted, zone) == day
            assert to_local(converted, zone).tzinfo is None
            checked += 1
    assert checked >= 2 * 4 * 24 * 4 - 8  # only the skipped and repeated hour are left out


@pytest.mark.parametrize(("zone", "hour", "standard"), ZONES, ids=ZONE_IDS)
def test_to_local_shows_utc_instants_of_the_change_in_local_time(zone, hour, standard):
    # 01:00 UTC is the instant of the change: the first minute of summer time in spring...
    assert to_local(utc(SPRING, 1, 0), zone) == local(SPRING, hour + 1, 0)
    assert to_local(utc(SPRING, 0, 59), zone) == local(SPRING, hour - 1, 59)
    # ...and in autumn both 00:30 and 01:30 UTC read as the same repeated wall time.
    assert to_local(utc(AUTUMN, 0, 30), zone) == local(AUTUMN, hour, 30)
    assert to_local(utc(AUTUMN, 1, 30), zone) == local(AUTUMN, hour, 30)


def test_to_local_accepts_any_aware_datetime():
    oslo_noon = datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    assert to_local(oslo_noon, "Europe/Istanbul") == datetime(2026, 7, 1, 13, 0)
