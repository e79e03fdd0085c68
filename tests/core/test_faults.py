"""Short versions of the fault drills of ``python -m bench.faults``."""

from __future__ import annotations

import os

import pytest

from app.core.config import Config
from bench.faults import sqlite_writers
from bench.pg_kill import pg_kill


def test_concurrent_writers_on_sqlite_never_meet_a_locked_database(tmp_path):
    tally, problems, _ = sqlite_writers(tmp_path, seconds=3, writers=4)
    assert tally.writes > 0
    assert dict(tally.errors) == {}
    assert problems == dict.fromkeys(problems, 0)


def test_the_engine_checks_pooled_connections_before_use():
    assert Config.SQLALCHEMY_ENGINE_OPTIONS.get("pool_pre_ping") is True


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="terminating backends is a PostgreSQL drill (the PostgreSQL leg runs it)",
)
def test_requests_after_killed_postgres_backends_succeed(database_url, tmp_path):
    outcome = pg_kill(database_url, tmp_path, seconds=6, interval=1.5)
    assert len(outcome.kills) >= 2
    assert sum(killed for _, _, killed in outcome.kills) >= 1
    assert [request.error for request in outcome.failed_between_kills] == []
    assert outcome.unaccounted == 0
    assert outcome.problems == dict.fromkeys(outcome.problems, 0)
    assert any(request.ok and request.create for request in outcome.requests)
