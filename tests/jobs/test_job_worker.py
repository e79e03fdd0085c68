"""An import of schools through the page, run by a real Celery worker (a subprocess,
against the machine's Redis, sharing a Redis cache with the web app for the progress):
the request only stores the file, the progress bar moves to 100 %, and the result is the
command line's.

Like the outbox worker tests, these commit for real and clean up afterwards.
"""

from __future__ import annotations

import io
import time

import pytest
from flask_caching import Cache
from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.accounts.models import User
from app.accounts.operations import create_user
from app.core.extensions import db
from app.core.jobs import celery
from app.core.models import AuditEntry
from app.jobs import operations
from app.jobs.models import Job
from app.schools.models import LabelAward, School, SchoolLanguage, SchoolLevel
from tests.factories import PASSWORD
from tests.jobs import test_worker
from tests.schools.test_school_import import csv_bytes
from tests.schools.test_school_import_page import confirm_address
from tests.support.worker import REDIS_URL, Worker, worker_env

ROWS = 20_000
PREFIX = "WK-"
EMAIL = "worker.admin@example.org"

broker = test_worker.broker  # the test Redis, emptied before and after


def _clean() -> None:
    ids = select(School.id).where(School.external_id.startswith(PREFIX))
    for model in (SchoolLevel, SchoolLanguage, LabelAward):
        db.session.execute(delete(model).where(model.school_id.in_(ids)))
    db.session.execute(delete(School).where(School.external_id.startswith(PREFIX)))
    db.session.execute(delete(Job))
    db.session.execute(delete(AuditEntry).where(AuditEntry.action == "school.import"))
    db.session.execute(delete(User).where(User.email == EMAIL))
    db.session.commit()


@pytest.fixture
def live(_app, monkeypatch):
    """The application outside the per-test transaction, with the worker's Redis cache."""
    shared = Cache(_app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL})
    monkeypatch.setattr(operations, "cache", shared)
    with _app.app_context():
        _clean()
        create_user(EMAIL, "Admin", PASSWORD, role="admin", verified=True)
        db.session.commit()
        yield _app
        db.session.rollback()
        _clean()


def _get(client, address: str):
    """A request as a web server would make it: in a session of its own (the test's
    requests share the application context this test holds, and its session)."""
    db.session.remove()
    return client.get(address, headers={"Accept-Language": "en"})


def _progress(client, address: str, timeout: float = 20) -> list[int]:
    """The percentages the page's progress bar showed, asked for every 20 ms."""
    shown: list[int] = []
    state: dict = {}
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, (shown, state)
        state = _get(client, f"{address}/state").json
        if state["percent"] is not None and (not shown or shown[-1] != state["percent"]):
            shown.append(state["percent"])
        if state["finished"]:
            assert state["status"] == "done", state
            return shown
        time.sleep(0.02)


def test_an_import_runs_on_the_worker_with_progress_and_equals_the_command_line(
    live,
    broker,
    database_url,
    tmp_path,
):
    row = PREFIX + "{:06d};Okul {:06d};TR;TR-34;İstanbul;primary;tr|en;;120"
    raw = csv_bytes(*(row.format(index, index) for index in range(ROWS)))
    path = tmp_path / "schools.csv"
    path.write_bytes(raw)
    dry_run = live.test_cli_runner().invoke(args=["import", "schools", "--dry-run", str(path)])
    assert f"{ROWS:,} rows: {ROWS:,} schools would be created" in dry_run.stdout

    env = worker_env(database_url, CACHE_TYPE="RedisCache", CACHE_REDIS_URL=REDIS_URL)
    worker = Worker(env, "jobs-test").start()
    try:
        client = live.test_client()
        with client.post("/login", data={"email": EMAIL, "password": PASSWORD}) as response:
            assert response.status_code == 302
            assert "/login" not in response.headers["Location"], response.headers["Location"]
        # Encoded here: the test client would spool this body to a file it never closes.
        upload = FileStorage(io.BytesIO(raw), filename="schools.csv", content_type="text/csv")
        boundary, form = encode_multipart({"file": upload})
        with client.post(
            "/schools/import",
            data=form,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Accept-Language": "en"},
        ) as response:
            assert response.status_code == 303, response.headers.get("Location")
            check = response.headers["Location"]
        # The request stored the file and enqueued the check: the worker does the work.
        checked = _progress(client, check)
        body = _get(client, check).get_data(as_text=True)
        assert f"{ROWS:,} rows can be imported: {ROWS:,} new schools, 0 updated" in body

        confirm = confirm_address(body)
        with client.post(confirm) as response:
            imported = response.headers["Location"]
        written = _progress(client, imported)
        body = _get(client, imported).get_data(as_text=True)
    finally:
        worker.stop()

    assert f"Import finished: {ROWS:,} schools created, 0 updated, 0 unchanged." in body
    for shown in (checked, written):
        assert shown == sorted(shown), shown
        assert shown[-1] == 100, shown
        assert any(0 < percent < 100 for percent in shown), shown  # it moved on the way
    assert any(50 < percent < 100 for percent in written), written  # writing, after checking
    db.session.remove()
    count = select(func.count()).where(School.external_id.startswith(PREFIX))
    assert db.session.scalar(count) == ROWS
    again = live.test_cli_runner().invoke(args=["import", "schools", "--dry-run", str(path)])
    assert f"{ROWS:,} rows: 0 schools would be created, 0 updated, {ROWS:,} unchanged" in (
        again.stdout
    )


def test_the_admin_page_shows_the_queues_the_workers_and_a_broker_that_is_away(
    live, broker, database_url, monkeypatch
):
    client = live.test_client()
    with client.post("/login", data={"email": EMAIL, "password": PASSWORD}) as response:
        assert response.status_code == 302
    with _get(client, "/admin/jobs") as page:
        body = page.get_data(as_text=True)
    assert "No worker answers: nothing is being sent or run." in body
    assert "<code>exports</code>: 0" in body

    worker = Worker(worker_env(database_url), "queues-test").start()
    try:
        with _get(client, "/admin/jobs") as page:
            body = page.get_data(as_text=True)
    finally:
        worker.stop()
    assert "1 worker answers: <code>queues-test@" in body

    monkeypatch.setitem(live.config, "CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(celery.conf, "broker_url", "redis://127.0.0.1:1/0")
    with _get(client, "/admin/jobs") as page:
        assert page.status_code == 200
        body = page.get_data(as_text=True)
    assert "The broker does not answer: jobs and e-mails wait in the database" in body
