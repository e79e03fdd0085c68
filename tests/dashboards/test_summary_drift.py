"""Summaries that drifted from the activity rows are noticed, never silently made worse.

``flask summaries check`` compares them with a rebuild and exits 1 on drift, changing
nothing; a change that would take a counter below zero is refused (409) and logged
instead of the row being dropped.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, update

from app.accounts.operations import issue_token
from app.activities.models import Activity
from app.activities.operations import report_activity, update_activity
from app.dashboards.facts import SummaryDrift
from app.dashboards.models import HeldSummary, PillarSummary
from tests.api.helpers import call, error
from tests.dashboards.test_activity_facts import data, expected, stored


@pytest.fixture
def held(make, db_session):
    school = make.school("TR")
    activity = make.activity(
        school, starts_at=datetime(2025, 3, 10, 9, tzinfo=UTC), pillars=("collaboration",)
    )
    actor = make.user(role="admin")
    report_activity(activity, {"teachers": 3}, [], ["Köy Okulu"], actor, datetime.now(UTC))
    db_session.commit()
    return activity, actor


def _pillar_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(PillarSummary))


def test_check_passes_when_the_summaries_agree(app_ctx, held, runner):
    result = runner.invoke(args=["summaries", "check"])
    assert result.exit_code == 0, result.output
    assert "agree with a rebuild" in result.output


def test_check_reports_drift_and_changes_nothing(app_ctx, held, db_session, runner):
    db_session.execute(delete(PillarSummary))  # behind the session's back
    db_session.execute(update(HeldSummary).values(participants=HeldSummary.participants + 1))
    db_session.commit()
    damaged = stored(db_session)

    result = runner.invoke(args=["summaries", "check"])

    assert result.exit_code == 1
    assert "pillar_summary: 2 rows of a rebuild missing or different, 0 rows extra" in result.output
    assert "held_summary: 2 rows of a rebuild missing or different, 2 rows extra" in result.output
    assert "reach_summary" not in result.output
    assert "run flask summaries rebuild" in result.output
    assert stored(db_session) == damaged  # the check repairs nothing
    assert runner.invoke(args=["summaries", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["summaries", "check"]).exit_code == 0
    assert stored(db_session) == expected(db_session)


def test_check_counts_wrong_masks(app_ctx, held, db_session, runner):
    activity, _actor = held
    db_session.execute(update(Activity).where(Activity.id == activity.id).values(pillar_mask=0))
    db_session.commit()
    result = runner.invoke(args=["summaries", "check"])
    assert result.exit_code == 1
    assert "masks: 1 rows" in result.output


def test_a_counter_that_would_fall_below_zero_is_refused_and_logged(
    app_ctx, held, db_session, caplog
):
    activity, actor = held
    db_session.execute(delete(PillarSummary))  # drift: the pillar is counted nowhere
    db_session.commit()
    caplog.set_level(logging.ERROR, logger="app.dashboards.facts")

    with pytest.raises(SummaryDrift):
        update_activity(activity, data(pillars=("shared_leadership",)), actor, activity.version)

    assert "summary drift: pillar_summary would fall below zero" in caplog.text
    db_session.rollback()
    assert _pillar_rows(db_session) == 0  # no row at -1, and none silently dropped


def test_the_api_answers_drift_with_a_409_and_saves_nothing(app, make, db_session, held, client):
    activity, _actor = held
    activity_id = activity.id
    db_session.execute(delete(HeldSummary))  # drift: the activity's participants are gone
    db_session.commit()
    coordinator = make.user(role="coordinator", countries=("TR",))
    token = issue_token(coordinator, "test")
    db_session.commit()

    response = call(
        client,
        "PATCH",
        f"events/{activity_id}",
        token=token,
        json={"participants": {"teachers": 1}},  # fewer than the 3 reported
        headers={"Accept-Language": "en"},
    )

    assert "out of step" in error(response, 409, "conflict")["message"]
    db_session.expire_all()
    assert db_session.get(Activity, activity_id).participants_teachers == 3
    assert db_session.scalar(select(func.count()).select_from(HeldSummary)) == 0
