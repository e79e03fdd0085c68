"""Fault drills: ``python -m bench.faults sqlite-writers|pg-kill [options]``.

- ``sqlite-writers``: writer processes (like gunicorn workers) record and edit
  activities through the app's own form views on one SQLite file for a while;
  the target is no "database is locked" and no lost write.
- ``pg-kill``: requests go on through the app while every backend of the app is
  terminated now and then (``pg_terminate_backend``); requests after a kill must
  succeed (``pool_pre_ping``) and no activity may be half-written.

Each drill works on a database of its own (a temporary SQLite file, or a schema
of its own in the PostgreSQL database named by ``--url`` or ``TEST_DATABASE_URL``)
and prints one report.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.activities.models import Activity, ActivityPillar
from app.core.config import TestConfig
from app.core.extensions import db
from app.core.models import AuditEntry
from tests import factories
from tests.principals import sign_in
from tests.support.databases import own_app

LOCKED = "database is locked"


@dataclass
class Tally:
    """What one writer (or the whole drill) did."""

    writes: int = 0
    creates: int = 0
    errors: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.writes += other.writes
        self.creates += other.creates
        self.errors.update(other.errors)

    @property
    def locked(self) -> int:
        return sum(count for kind, count in self.errors.items() if LOCKED in kind)


def build_world(app) -> tuple[int, int]:
    """A verified school in Türkiye and a member who records its activities."""
    with app.app_context():
        make = factories.Factories(db.session)
        school = make.school("TR", name="Drill School")
        user = make.member(school, email="writer@example.org")
        ids = (school.id, user.id)
        db.session.remove()
        db.engine.dispose()  # no connection crosses a fork
    return ids


def activity_form(title: str, version: int | None = None) -> dict[str, object]:
    form = {
        "type": "info_session",
        "title": title,
        "description": "A drill.",
        "starts_at": "2027-03-01T10:00",
        "ends_at": "2027-03-01T12:00",
        "mode": "online",
        "online_url": "https://meet.example/drill",
        "visibility": "public",
        "pillars": ["models_for_other_schools", "collaboration"],
        "languages": ["tr"],
    }
    if version is not None:
        form["version"] = version
    return form


def signed_in_client(app, user_id: int):
    client = app.test_client()
    with app.app_context():
        sign_in(client, db.session, user_id)
        db.session.remove()
    return client


def half_written(app) -> dict[str, int]:
    """Activities without pillars or without their audit entry, and entries without activity."""
    created = sa.select(sa.cast(Activity.id, sa.String))
    logged = sa.select(AuditEntry.object_id).where(AuditEntry.action == "activity.create")
    with app.app_context():
        session = db.session
        counts = {
            "activities without pillars": session.scalar(
                sa.select(sa.func.count())
                .select_from(Activity)
                .where(~sa.exists().where(ActivityPillar.activity_id == Activity.id))
            ),
            "activities without audit entry": session.scalar(
                sa.select(sa.func.count()).select_from(created.except_(logged).subquery())
            ),
            "audit entries without activity": session.scalar(
                sa.select(sa.func.count()).select_from(logged.except_(created).subquery())
            ),
        }
        session.remove()
    return counts


# SQLite: concurrent writers ------------------------------------------------------------


def _write(client, school_id: int, title: str, mine: dict[int, int], tally: Tally) -> None:
    """Record a new activity, or every third time edit one of this writer's own."""
    if mine and tally.writes % 3 == 2:
        activity_id, version = next(iter(mine.items()))
        url = f"/activities/{activity_id}/edit"
        response = client.post(url, data=activity_form(title, version))
        if response.status_code == 302:
            mine[activity_id] = version + 1
    else:
        response = client.post(f"/schools/{school_id}/activities/new", data=activity_form(title))
        if response.status_code == 302:
            mine[int(response.headers["Location"].rsplit("/", 1)[-1])] = 1
            tally.creates += 1
    if response.status_code == 302:
        tally.writes += 1
    elif response.status_code != 500:  # a 500 is counted by its logged error (ErrorLog)
        tally.errors[f"HTTP {response.status_code}"] += 1


class ErrorLog(logging.Handler):
    """Counts the errors the app logs (its 500 handler logs every unexpected one) by kind."""

    def __init__(self, errors: Counter) -> None:
        super().__init__(logging.ERROR)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        cause = getattr(error, "orig", None) or error
        self.errors[f"{type(cause).__name__}: {cause}" if cause else record.getMessage()] += 1

    @classmethod
    def install(cls, app, errors: Counter) -> None:
        app.logger.handlers = [cls(errors)]
        app.logger.propagate = False


def _writer(url, school_id, user_id, seconds, number, start, results) -> None:
    app = create_app(type("DrillConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    client = signed_in_client(app, user_id)
    tally = Tally()
    ErrorLog.install(app, tally.errors)
    mine: dict[int, int] = {}
    start.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _write(client, school_id, f"Writer {number} #{tally.writes}", mine, tally)
    results.put((tally.writes, tally.creates, dict(tally.errors)))


def sqlite_writers(folder: Path, seconds: float, writers: int) -> tuple[Tally, dict, float]:
    """Run the drill in ``folder``: the total tally, the half-written counts, the seconds."""
    with own_app("", folder, "writers") as app:
        school_id, user_id = build_world(app)
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        context = multiprocessing.get_context("fork")
        start, results = context.Barrier(writers + 1), context.Queue()
        processes = [
            context.Process(
                target=_writer, args=(url, school_id, user_id, seconds, n, start, results)
            )
            for n in range(writers)
        ]
        for process in processes:
            process.start()
        start.wait()
        began = time.monotonic()
        total = Tally()
        for _ in processes:
            writes, creates, errors = results.get(timeout=seconds + 120)
            total.add(Tally(writes, creates, Counter(errors)))
        elapsed = time.monotonic() - began
        for process in processes:
            process.join()
        with app.app_context():
            stored = db.session.scalar(sa.select(sa.func.count()).select_from(Activity))
            db.session.remove()
        problems = half_written(app)
        problems["created but not stored"] = total.creates - stored
        return total, problems, elapsed


TARGET_ZERO = "(target 0)"


def row(label: str, value: int, note: str = "") -> None:
    print(f"  {label:<32}{value:>8,}  {note}".rstrip())


def _report_writers(tally: Tally, problems: dict, elapsed: float, writers: int) -> int:
    print(f"SQLite writers: {writers} processes for {elapsed:.1f} s")
    row("writes done", tally.writes, f"({tally.writes / elapsed:,.0f}/s)")
    row("of which new", tally.creates)
    row("errors", sum(tally.errors.values()))
    row(f"'{LOCKED}'", tally.locked, TARGET_ZERO)
    for kind, count in tally.errors.most_common():
        print(f"    {count:>6,}  {kind}")
    for name, count in problems.items():
        row(name, count, TARGET_ZERO)
    ok = not tally.errors and not any(problems.values())
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    from bench.pg_kill import add_arguments as add_pg_kill
    from bench.pg_kill import run as run_pg_kill

    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    drills = parser.add_subparsers(dest="drill", required=True)
    writers = drills.add_parser("sqlite-writers", help="concurrent writers on one SQLite file")
    writers.add_argument("--seconds", type=float, default=30)
    writers.add_argument("--writers", type=int, default=10)
    add_pg_kill(drills.add_parser("pg-kill", help="terminate the app's backends under load"))
    options = parser.parse_args(argv)
    if options.drill == "pg-kill":
        return run_pg_kill(options)
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        tally, problems, elapsed = sqlite_writers(Path(folder), options.seconds, options.writers)
    return _report_writers(tally, problems, elapsed, options.writers)


if __name__ == "__main__":
    sys.exit(main())
