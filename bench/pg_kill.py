"""The PostgreSQL fault drill of ``python -m bench.faults pg-kill``.

Threads keep making requests (a public calendar page, recording an activity)
through the app while the main thread terminates every backend the app holds
(``pg_terminate_backend``, found by the drill's ``application_name``; other
clients of the server are left alone). A request in flight at a kill may fail;
every other request must succeed, and no activity may be half-written.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from app.activities.models import Activity
from app.core.config import Config
from app.core.extensions import db
from bench.faults import (
    TARGET_ZERO,
    ErrorLog,
    activity_form,
    build_world,
    half_written,
    row,
    signed_in_client,
)
from tests.support.databases import own_app

APPLICATION_NAME = "etwinning-fault-drill"
KILL = sa.text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND application_name = :name "
    "AND pid <> pg_backend_pid()"
)


@dataclass
class Request:
    started: float
    ended: float
    ok: bool
    create: bool
    error: str = ""


@dataclass
class Outcome:
    requests: list[Request] = field(default_factory=list)
    kills: list[tuple[float, float, int]] = field(default_factory=list)
    stored: int = 0
    #: Errors the app logged (its 500 handler), by kind.
    logged: Counter = field(default_factory=Counter)
    problems: dict[str, int] = field(default_factory=dict)

    def in_flight(self, request: Request) -> bool:
        return any(request.started < end and request.ended > start for start, end, _ in self.kills)

    @property
    def failed(self) -> list[Request]:
        return [request for request in self.requests if not request.ok]

    @property
    def failed_between_kills(self) -> list[Request]:
        return [request for request in self.failed if not self.in_flight(request)]

    @property
    def unaccounted(self) -> int:
        """Stored activities beyond the recorded ones and the creates cut off by a kill."""
        made = sum(request.ok and request.create for request in self.requests)
        maybe = sum(not request.ok and request.create for request in self.requests)
        return 0 if made <= self.stored <= made + maybe else abs(self.stored - made)

    @property
    def passed(self) -> bool:
        return (
            bool(self.kills)
            and not self.failed_between_kills
            and not self.unaccounted
            and not any(self.problems.values())
        )


def _requester(app, school_id, user_id, deadline, outcome, lock, number) -> None:
    client = signed_in_client(app, user_id)
    count = 0
    while time.monotonic() < deadline:
        create = count % 2 == 1
        started = time.monotonic()
        error = ""
        try:
            if create:
                form = activity_form(f"Requester {number} #{count}")
                status = client.post(f"/schools/{school_id}/activities/new", data=form).status_code
                ok = status == 302
            else:
                status = client.get("/calendar/TR?type=info_session").status_code
                ok = status == 200
            error = "" if ok else f"HTTP {status}"
        except sa.exc.OperationalError as failure:  # the test client lets errors through
            ok, error = False, str(failure.orig).splitlines()[0]
        with lock:
            outcome.requests.append(Request(started, time.monotonic(), ok, create, error))
        count += 1


def pg_kill(database_url: str, folder: Path, seconds: float, interval: float) -> Outcome:
    options = {
        **Config.SQLALCHEMY_ENGINE_OPTIONS,  # pool_pre_ping comes from the app's own config
        "connect_args": {"application_name": APPLICATION_NAME},
    }
    outcome = Outcome()
    with own_app(database_url, folder, "fault_drill", SQLALCHEMY_ENGINE_OPTIONS=options) as app:
        school_id, user_id = build_world(app)
        ErrorLog.install(app, outcome.logged)
        deadline = time.monotonic() + seconds
        lock = threading.Lock()
        threads = [
            threading.Thread(
                target=_requester,
                args=(app, school_id, user_id, deadline, outcome, lock, number),
            )
            for number in range(2)
        ]
        for thread in threads:
            thread.start()
        killer = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
        try:
            # The last kill leaves a full interval of requests that must all succeed.
            while time.monotonic() + 2 * interval < deadline:
                time.sleep(interval)
                start = time.monotonic()
                with killer.begin() as connection:
                    killed = connection.execute(KILL, {"name": APPLICATION_NAME}).scalar_one()
                outcome.kills.append((start, time.monotonic(), killed))
        finally:
            killer.dispose()
            for thread in threads:
                thread.join()
        with app.app_context():
            outcome.stored = db.session.scalar(sa.select(sa.func.count()).select_from(Activity))
            db.session.remove()
        outcome.problems = half_written(app)
    return outcome


def add_arguments(parser) -> None:
    parser.add_argument("--url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=2)


def run(options) -> int:
    if not (options.url or "").startswith("postgresql"):
        print("pg-kill needs --url (or TEST_DATABASE_URL) naming a PostgreSQL database")
        return 2
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        outcome = pg_kill(options.url, Path(folder), options.seconds, options.interval)
    terminated = sum(killed for _, _, killed in outcome.kills)
    print(f"PostgreSQL backend kills: {len(outcome.kills)} rounds, {terminated} backends ended")
    row("requests", len(outcome.requests))
    row("failed during a kill", len(outcome.failed) - len(outcome.failed_between_kills))
    row("failed otherwise", len(outcome.failed_between_kills), TARGET_ZERO)
    for kind, count in outcome.logged.most_common(5):
        print(f"    {count:>6,}  {kind}")
    row("activities stored", outcome.stored)
    row("unaccounted for", outcome.unaccounted, TARGET_ZERO)
    for name, count in outcome.problems.items():
        row(name, count, TARGET_ZERO)
    print("PASS" if outcome.passed else "FAIL")
    return 0 if outcome.passed else 1
