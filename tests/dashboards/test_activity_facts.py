"""Masks and day summaries stay equal to the activity rows they are derived from.

After every step of a sequence of writes (through the operations and straight through
the session, as tests and other code do), the summaries equal an aggregation of the raw
rows computed here in Python, and a rebuild from scratch changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, update

from app.activities import queries as activity_queries
from app.activities.enums import ActivityStatus, ActivityType
from app.activities.models import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.activities.operations import (
    ActivityData,
    cancel_activity,
    report_activity,
    update_activity,
)
from app.activities.operations import create_activity as record
from app.core.enums import Mode
from app.dashboards import facts as activity_facts
from app.dashboards import figures as dashboard
from app.dashboards import rebuild as summary_rebuild
from app.dashboards.models import HeldSummary, PillarSummary, ReachSummary
from app.demo.generator import generate
from app.demo.world import DemoOptions
from app.geography.models import Country

ISTANBUL = ZoneInfo("Europe/Istanbul")
BUCHAREST = ZoneInfo("Europe/Bucharest")


def _spans(day: date) -> dict[str, date]:
    year = day.year if day.month >= 9 else day.year - 1
    return {"day": day, "month": day.replace(day=1), "year": date(year, 9, 1)}


def expected(session) -> dict[str, Counter]:
    """The summaries as a plain aggregation of the raw rows, per day, month and school year."""
    zones = {c.code: ZoneInfo(c.timezone) for c in session.scalars(select(Country))}
    held, pillars, reached = Counter(), Counter(), Counter()
    participants = Counter()
    days: dict[tuple, set[int]] = {}
    for activity in session.scalars(select(Activity).where(Activity.status == "held")):
        spans = _spans(activity.starts_at.astimezone(zones[activity.country_code]).date())
        country, region = activity.country_code, activity.region_code
        for span in ("day", "month"):
            key = (country, span, spans[span], region, activity.type.value)
            held[key] += 1
            participants[key] += sum(
                getattr(activity, f"participants_{n}") or 0
                for n in ("teachers", "leaders", "students", "parents")
            )
            for link in activity.pillars:
                pillars[(country, span, spans[span], region, link.pillar_code)] += 1
        for span in ("day", "month", "year"):
            for reach in activity.reached:
                school = f"#{reach.school_id}" if reach.school_id else f"={reach.school_name}"
                for place in (region, ""):  # "": the whole country
                    reached[(country, span, spans[span], place, school)] += 1
                    if span == "year":
                        days.setdefault((country, span, spans[span], place, school), set()).add(
                            (spans["day"] - spans["year"]).days
                        )
    return {
        "days": {
            key: tuple(
                sum(1 << (day % 63) for day in found if day // 63 == part) for part in range(6)
            )
            for key, found in days.items()
        },
        "held": +held,
        "participants": +participants,
        "pillars": +pillars,
        "reached": +reached,
    }


def stored(session) -> dict[str, Counter]:
    def rows(model, last, *counters):
        key = (model.country_code, model.span, model.day, model.region_code, last)
        return session.execute(select(*key, *counters)).all()

    held = rows(HeldSummary, HeldSummary.type, HeldSummary.activities, HeldSummary.participants)
    bits = [getattr(ReachSummary, f"days_{part}") for part in range(6)]
    return {
        "days": {
            row[:5]: tuple(row[5:])
            for row in rows(ReachSummary, ReachSummary.school, *bits)
            if row[1] == "year"
        },
        "held": Counter({(*row[:4], row[4].value): row[5] for row in held}),
        "participants": +Counter({(*row[:4], row[4].value): row[6] for row in held}),
        "pillars": Counter(
            {
                row[:5]: row[5]
                for row in rows(PillarSummary, PillarSummary.pillar_code, PillarSummary.activities)
            }
        ),
        "reached": Counter(
            {
                row[:5]: row[5]
                for row in rows(ReachSummary, ReachSummary.school, ReachSummary.activities)
            }
        ),
    }


def masks(session) -> dict[int, tuple[int, int]]:
    session.expire_all()
    return {
        a.id: (a.pillar_mask, a.language_mask)
        for a in session.scalars(select(Activity).order_by(Activity.id))
    }


def linked_masks(session) -> dict[int, tuple[int, int]]:
    return {
        a.id: (
            activity_facts.mask(activity_facts.PILLAR_BITS, a.pillar_codes),
            activity_facts.mask(activity_facts.LANGUAGE_BITS, [x.language for x in a.languages]),
        )
        for a in session.scalars(select(Activity).order_by(Activity.id))
    }


def assert_in_step(session) -> None:
    session.flush()
    assert stored(session) == expected(session)
    assert masks(session) == linked_masks(session)
    before = stored(session)
    summary_rebuild.rebuild(session.connection())
    assert summary_rebuild.rebuild_masks(session.connection()) == 0
    assert stored(session) == before


def data(kind=ActivityType.OPEN_DAY, starts=None, pillars=("collaboration",), languages=("tr",)):
    starts = starts or datetime(2025, 3, 10, 9, tzinfo=UTC)
    return ActivityData(
        type=kind,
        title="Open day",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        mode=Mode.IN_PERSON,
        pillars=list(pillars),
        languages=list(languages),
    )


@pytest.fixture
def actor(make):
    return make.user(role="admin")


def test_summaries_follow_every_write(app_ctx, make, db_session, actor):
    ankara = make.school("TR")
    other = make.school("TR", region=make.region("TR"))
    cluj = make.school("RO")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    # 23:30 UTC on 31 March is 1 April in Istanbul: the local day counts.
    late = datetime(2025, 3, 31, 23, 30, tzinfo=UTC)
    first = record(ankara, data(starts=late, pillars=("collaboration", "shared_leadership")), actor)
    second = record(ankara, data(ActivityType.INFO_SESSION), actor)
    romanian = record(cluj, data(starts=datetime(2025, 10, 26, 22, 30, tzinfo=UTC)), actor)
    db_session.commit()
    assert_in_step(db_session)  # planned activities count nowhere

    report_activity(first, {"teachers": 4, "students": 12}, [other.id], ["Köy Okulu"], actor, now)
    report_activity(second, {"parents": 3}, [other.id], [], actor, now)
    report_activity(romanian, {"teachers": 1}, [], ["Școala"], actor, now)
    db_session.commit()
    assert_in_step(db_session)
    assert {key[2].isoformat() for key in stored(db_session)["held"]} >= {"2025-04-01"}

    # Edit a held activity: another day, type, pillars and languages.
    update_activity(
        first,
        data(
            ActivityType.PROFESSIONAL_DEVELOPMENT,
            starts=datetime(2025, 5, 2, 8, tzinfo=UTC),
            pillars=("inclusive_innovative",),
            languages=("en", "tr"),
        ),
        actor,
        first.version,
    )
    db_session.commit()
    assert_in_step(db_session)

    # Report again with other participants and schools reached.
    report_activity(first, {"teachers": 9}, [], ["Deniz Okulu", "Köy Okulu"], actor, now)
    db_session.commit()
    assert_in_step(db_session)

    # Writes straight through the session, as tests and other code make them.
    db_session.add(ActivityReach(activity_id=second.id, school_name="Eski Okul"))
    db_session.add(ActivityPillar(activity_id=second.id, pillar_code="students_agents_of_change"))
    db_session.commit()
    assert_in_step(db_session)
    planned = make.activity(ankara, starts_at=datetime(2025, 6, 1, 9, tzinfo=UTC))
    cancel_activity(planned, actor)
    db_session.commit()
    held = make.activity(
        other,
        starts_at=datetime(2025, 6, 2, 9, tzinfo=UTC),
        status=ActivityStatus.HELD,
        participants_students=7,
        languages=[ActivityLanguage(language="nl")],
    )
    assert_in_step(db_session)
    second.region_code = other.region_code
    db_session.commit()
    assert_in_step(db_session)

    db_session.delete(held)
    db_session.delete(second)
    db_session.commit()
    assert_in_step(db_session)
    assert stored(db_session)["held"]  # what is left still counts


def test_a_concurrent_style_double_count_is_additive(app_ctx, make, db_session, actor):
    """Two activities on the same day and region share one summary row."""
    school = make.school("TR")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(2):
        activity = record(school, data(), actor)
        report_activity(activity, {"teachers": 2}, [], ["Köy Okulu"], actor, now)
    db_session.commit()
    assert_in_step(db_session)
    rows = db_session.scalars(select(HeldSummary)).all()
    assert sorted(row.span for row in rows) == ["day", "month"]
    assert {(row.activities, row.participants) for row in rows} == {(2, 4)}
    reached = db_session.scalars(select(ReachSummary)).all()
    assert {(row.school, row.activities) for row in reached} == {("=Köy Okulu", 2)}
    assert len(reached) == 6  # day, month and school year; the region and the whole country


def test_list_filters_by_pillar_and_language_masks(app_ctx, make, db_session, actor):
    school = make.school("TR")
    wanted = record(school, data(pillars=("shared_leadership",), languages=("en",)), actor)
    record(school, data(pillars=("collaboration",), languages=("en",)), actor)
    record(school, data(pillars=("shared_leadership",), languages=("tr",)), actor)
    db_session.commit()
    filters = activity_queries.ActivityFilters(
        school_id=school.id, pillar="shared_leadership", language="en"
    )
    assert [a.id for a in db_session.scalars(activity_queries.filtered(filters))] == [wanted.id]
    unknown = activity_queries.ActivityFilters(school_id=school.id, language="xx")
    assert db_session.scalars(activity_queries.filtered(unknown)).all() == []


def test_rebuild_matches_the_raw_rows_after_bulk_inserts(app_ctx, make, db_session):
    school = make.school("TR")
    moments = [datetime(2025, 10, 26, hour, 30, tzinfo=UTC) for hour in range(24)]
    for moment in moments:  # across the end of summer time in Romania and a whole day
        make.activity(school, starts_at=moment, status=ActivityStatus.HELD, participants_teachers=1)
    summary_rebuild.rebuild(db_session.connection())
    assert stored(db_session) == expected(db_session)
    days = Counter(key[2] for key in stored(db_session)["held"].elements() if key[1] == "day")
    istanbul_days = Counter(m.astimezone(ISTANBUL).date() for m in moments)
    assert days == istanbul_days


def test_rebuild_command_repairs_summaries_and_masks(app_ctx, make, db_session, runner):
    school = make.school("TR")
    activity = make.activity(school, status=ActivityStatus.HELD, participants_teachers=3)
    db_session.execute(delete(HeldSummary))
    db_session.execute(
        update(Activity).where(Activity.id == activity.id).values(pillar_mask=0)
    )  # damage both, behind the session's back
    db_session.commit()
    result = runner.invoke(args=["summaries", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "1 activity masks corrected" in result.output
    assert stored(db_session) == expected(db_session)
    assert masks(db_session) == linked_masks(db_session)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2025, 10, 15), date(2026, 3, 20), 2),  # days, whole months, days
        (date(2025, 9, 1), date(2026, 8, 31), 2),  # one school year
        (date(2025, 11, 1), date(2025, 11, 30), 2),  # one month
        (date(2025, 10, 21), date(2025, 11, 9), 0),  # between the activities
        (date(2025, 10, 20), date(2025, 10, 20), 2),  # one day
        (date(2026, 3, 5), date(2026, 3, 5), 2),  # a day of the second part of the year
        (date(2025, 3, 1), date(2026, 3, 20), 2),  # two school years: each school once
        (date(2024, 10, 1), date(2025, 10, 19), 2),  # the year before, and days of this one
        (date(2026, 3, 6), date(2026, 9, 30), 0),  # after them, into the next school year
    ],
)
def test_dashboard_counts_each_school_reached_once_per_period(
    app_ctx, make, db_session, actor, start, end, count
):
    school, other = make.school("TR"), make.school("TR")
    now = datetime(2026, 6, 1, tzinfo=UTC)
    for day in (date(2025, 3, 3), date(2025, 10, 20), date(2025, 11, 10), date(2026, 3, 5)):
        activity = record(school, data(starts=datetime.combine(day, time(9), tzinfo=UTC)), actor)
        report_activity(activity, {"teachers": 1}, [other.id], ["Köy Okulu"], actor, now)
    db_session.commit()
    zone = db_session.get(Country, "TR").timezone
    board = dashboard.build("TR", dashboard.Period(start, end, zone), date(2026, 6, 1))
    assert board.total.reached == count
    assert {r.code: r.reached for r in board.regions}[school.region_code] == count


def test_demo_data_comes_with_masks_and_summaries(app_ctx, db_session):
    """``flask demo`` (and so ``python -m bench.data``) writes in bulk, then fills both."""
    now = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    generate(db_session, DemoOptions(schools=60, events=400, seed=5), now=now, password_hash="x")
    assert stored(db_session) == expected(db_session)
    assert sum(stored(db_session)["held"].values()) > 0
    assert masks(db_session) == linked_masks(db_session)
    assert all(pillars for pillars, _languages in masks(db_session).values())
