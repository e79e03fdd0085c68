"""Masks and day summaries stay equal to the activity rows they are derived from.

After every step of a sequence of writes (through the operations and straight through
the session, as tests and other code do), the summaries equal an aggregation of the raw
rows computed here in Python, and a rebuild from scratch changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app import activity_facts, activity_queries
from app.activities import ActivityData, cancel_activity, report_activity, update_activity
from app.activities import create_activity as record
from app.models import (
    Activity,
    ActivityLanguage,
    ActivityPillar,
    ActivityReach,
    Country,
    HeldDay,
    HeldPillarDay,
    ReachedDay,
)
from app.models.enums import ActivityStatus, ActivityType, Mode

ISTANBUL = ZoneInfo("Europe/Istanbul")
BUCHAREST = ZoneInfo("Europe/Bucharest")


def expected(session) -> dict[str, Counter]:
    """The summaries as a plain aggregation of the raw rows."""
    zones = {c.code: ZoneInfo(c.timezone) for c in session.scalars(select(Country))}
    held, pillars, reached = Counter(), Counter(), Counter()
    participants = Counter()
    for activity in session.scalars(select(Activity).where(Activity.status == "held")):
        place = (
            activity.country_code,
            activity.starts_at.astimezone(zones[activity.country_code]).date(),
            activity.region_code,
        )
        held[(*place, activity.type.value)] += 1
        participants[(*place, activity.type.value)] += sum(
            getattr(activity, f"participants_{n}") or 0
            for n in ("teachers", "leaders", "students", "parents")
        )
        for link in activity.pillars:
            pillars[(*place, link.pillar_code)] += 1
        for reach in activity.reached:
            school = f"#{reach.school_id}" if reach.school_id else f"={reach.school_name}"
            reached[(*place, school)] += 1
    return {
        "held": +held,
        "participants": +participants,
        "pillars": +pillars,
        "reached": +reached,
    }


def stored(session) -> dict[str, Counter]:
    def rows(model, last):
        return session.execute(
            select(model.country_code, model.day, model.region_code, last, model.activities)
        ).all()

    held = session.execute(
        select(
            HeldDay.country_code, HeldDay.day, HeldDay.region_code, HeldDay.type,
            HeldDay.activities, HeldDay.participants,
        )
    ).all()  # fmt: skip
    return {
        "held": Counter({(c, d, r, t.value): n for c, d, r, t, n, _p in held}),
        "participants": +Counter({(c, d, r, t.value): p for c, d, r, t, _n, p in held}),
        "pillars": Counter(
            {row[:4]: row[4] for row in rows(HeldPillarDay, HeldPillarDay.pillar_code)}
        ),
        "reached": Counter({row[:4]: row[4] for row in rows(ReachedDay, ReachedDay.school)}),
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
    activity_facts.rebuild(session.connection())
    assert activity_facts.rebuild_masks(session.connection()) == 0
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
    assert {key[1].isoformat() for key in stored(db_session)["held"]} >= {"2025-04-01"}

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
    (row,) = db_session.scalars(select(HeldDay)).all()
    assert (row.activities, row.participants) == (2, 4)
    (reach,) = db_session.scalars(select(ReachedDay)).all()
    assert (reach.school, reach.activities) == ("=Köy Okulu", 2)


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
    activity_facts.rebuild(db_session.connection())
    assert stored(db_session) == expected(db_session)
    days = Counter(key[1] for key in stored(db_session)["held"].elements())
    istanbul_days = Counter(m.astimezone(ISTANBUL).date() for m in moments)
    assert days == istanbul_days
