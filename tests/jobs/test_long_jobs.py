"""Long work as jobs (app.jobs): a large calendar export, a job that fails and is run
again, claiming, expiry and the progress the page shows.

Without a broker (the test configuration) a job runs in-process right after the request
that started it commits; the worker tests run the same jobs on a real Celery worker."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from flask_caching import Cache
from sqlalchemy import select

from app.activities import exporting
from app.core.database import utcnow
from app.core.models import AuditEntry
from app.jobs import operations
from app.jobs.models import Job, JobStatus
from app.schools import import_jobs
from tests.activities import test_calendar_exports as calendar_exports
from tests.schools.test_school_import import csv_bytes
from tests.support.spreadsheets import xlsx_rows

istanbul, exported = calendar_exports.istanbul, calendar_exports.exported
ROWS = 11  # the activities of the ``exported`` fixture


def _export(client, fmt: str, lang: str = "en"):
    return client.get(f"/calendar/TR/export.{fmt}", headers={"Accept-Language": lang})


def _job_address(response) -> str:
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def _job(db_session, address: str) -> Job:
    db_session.expire_all()
    return db_session.scalar(select(Job).where(Job.token == address.rsplit("/", 1)[1]))


@pytest.fixture
def as_jobs(app, monkeypatch):
    """Every export of more than three rows runs as a job."""
    monkeypatch.setitem(app.config, "JOBS_EXPORT_INLINE_ROWS", 3)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_is_a_job_whose_file_is_the_direct_download(
    app, client, db_session, exported, monkeypatch, fmt
):
    with _export(client, fmt, "nl") as direct:
        assert direct.status_code == 200
        expected, disposition = direct.get_data(), direct.headers["Content-Disposition"]
    monkeypatch.setitem(app.config, "JOBS_EXPORT_INLINE_ROWS", ROWS - 1)

    with _export(client, fmt, "nl") as response:
        address = _job_address(response)
    with client.get(address, headers={"Accept-Language": "nl"}) as page:
        body = page.get_data(as_text=True)
    assert "Uw export is klaar" in body
    assert f"{ROWS} activiteiten." in body
    assert f'href="{address}/download"' in body
    with client.get(f"{address}/download") as download:
        assert download.status_code == 200
        assert download.headers["Content-Disposition"] == disposition
        assert download.headers["Cache-Control"] == "private, no-store"
        if fmt == "csv":
            assert download.mimetype == "text/csv"
            assert download.get_data() == expected  # the same bytes, in the same language
        else:
            assert xlsx_rows(download) == xlsx_rows(direct)
    job = _job(db_session, address)
    assert (job.status, job.locale, job.user_id, job.result) == ("done", "nl", None, {"rows": ROWS})
    assert job.expires_at - job.created_at == timedelta(hours=24)


def test_an_export_started_without_an_account_is_seen_with_its_address(
    app, client, exported, as_jobs
):
    with _export(client, "csv") as response:
        address = _job_address(response)
    other = app.test_client()
    with other.get(address) as page:
        assert page.status_code == 200
    with other.get(f"{address}/download") as download:
        assert download.status_code == 200
    with other.get(address.replace(address[-6:], "abcdef")) as page:
        assert page.status_code == 404


def test_a_bad_separator_is_refused_before_any_job_starts(client, db_session, exported, as_jobs):
    with client.get("/calendar/TR/export.csv?sep=tab") as response:
        assert response.status_code == 400
    assert db_session.scalars(select(Job)).all() == []


def test_a_failed_job_says_so_and_an_admin_runs_it_again(
    app, client, db_session, make, auth, exported, as_jobs, monkeypatch
):
    working = exporting.rows

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporting, "rows", broken)
    with _export(client, "csv") as response:
        address = _job_address(response)
    with client.get(address, headers={"Accept-Language": "en"}) as page:
        body = page.get_data(as_text=True)
    assert "The work stopped on an error" in body
    assert "disk full" not in body  # the reason is for the admin
    job = _job(db_session, address)
    assert (job.status, job.error, job.attempts) == ("failed", "RuntimeError: disk full", 1)
    assert job.output is None
    job_id = job.id

    make.user("admin@example.org", role="admin")
    with auth.login("admin@example.org") as response:
        assert response.status_code == 302
    with client.get("/admin/jobs?status=failed", headers={"Accept-Language": "en"}) as page:
        body = page.get_data(as_text=True)
    assert "RuntimeError: disk full" in body
    assert f'action="/admin/jobs/{job_id}/retry"' in body

    monkeypatch.setattr(exporting, "rows", working)
    with client.post(f"/admin/jobs/{job_id}/retry") as response:
        assert response.status_code == 302
    job = _job(db_session, address)
    assert (job.status, job.error, job.attempts, job.result) == ("done", None, 2, {"rows": ROWS})
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "job.retry"))
    with client.post(f"/admin/jobs/{job_id}/retry", follow_redirects=True) as response:
        assert "Only a failed job that has not expired can run again." in response.get_data(
            as_text=True
        )
    assert _job(db_session, address).attempts == 2


def _stored_job(db_session, **values) -> Job:
    now = utcnow()
    defaults = {"kind": "activities.export", "locale": "en", "params": {}, "created_at": now}
    job = Job(
        token=secrets.token_urlsafe(32),
        expires_at=now + timedelta(hours=1),
        **(defaults | values),
    )
    db_session.add(job)
    db_session.commit()
    return job


def test_a_job_is_claimed_by_one_worker_and_taken_over_when_its_worker_died(app_ctx, db_session):
    job = _stored_job(db_session, status=JobStatus.QUEUED)
    assert operations.claim(job.id)
    assert not operations.claim(job.id)  # running, on a worker that is alive
    db_session.expire_all()
    job.started_at = utcnow() - timedelta(seconds=app_ctx.config["JOBS_CLAIM_SECONDS"] + 1)
    db_session.commit()
    assert operations.claim(job.id)  # its worker has not finished in time: died
    db_session.expire_all()
    assert job.attempts == 2
    job.status = JobStatus.DONE
    db_session.commit()
    assert operations.run(job.id) == "skipped"


def test_expired_jobs_are_forgotten_and_lost_ones_run_again(app, client, db_session, istanbul):
    with app.app_context():
        expired = _stored_job(db_session, status=JobStatus.DONE, output=b"old file")
        expired.expires_at = utcnow() - timedelta(seconds=1)
        token = expired.token
        lost = _stored_job(
            db_session,
            status=JobStatus.QUEUED,
            params=exporting.job_params(
                exporting.ActivityFilters(country="TR", timezone="Europe/Istanbul"), "csv", "comma"
            ),
        )
        lost.created_at = utcnow() - timedelta(minutes=11)
        fresh = _stored_job(db_session, status=JobStatus.QUEUED)
        db_session.commit()
        lost_id, fresh_id = lost.id, fresh.id
    with client.get(f"/jobs/{token}") as page:
        assert page.status_code == 404  # expired: gone even before the sweep
    with app.app_context():
        assert operations.sweep(utcnow()) == 1
        db_session.commit()  # the lost job runs (in-process) once this commits
        db_session.expire_all()
        assert db_session.scalar(select(Job).where(Job.token == token)) is None
        assert db_session.get(Job, lost_id).status == JobStatus.DONE
        assert db_session.get(Job, fresh_id).status == JobStatus.QUEUED  # its task is queued


def test_the_page_shows_how_far_a_running_job_is(app, client, db_session, monkeypatch):
    shared = Cache(app, config={"CACHE_TYPE": "SimpleCache"})  # Redis in production
    monkeypatch.setattr(operations, "cache", shared)
    with app.app_context():
        job = _stored_job(db_session, status=JobStatus.RUNNING, started_at=utcnow())
        token, job_id = job.token, job.id
    with client.get(f"/jobs/{token}/state") as state:
        assert state.json["percent"] is None  # no report yet: the bar is indeterminate
    with client.get(f"/jobs/{token}", headers={"Accept-Language": "en"}) as page:
        body = page.get_data(as_text=True)
    assert '<progress id="job-bar" class="job-bar" max="100"></progress>' in body
    assert re.search(r"/static/js/job-progress\.[0-9a-f]{12}\.js", body)

    with app.app_context():
        report = operations.reporter(job_id)
        report(250, 1000)
    with client.get(f"/jobs/{token}/state", headers={"Accept-Language": "tr"}) as state:
        assert state.json == {
            "status": "running",
            "label": "Çalışıyor",
            "finished": False,
            "percent": 25,
            "done": 250,
            "total": 1000,
        }
    with client.get(f"/jobs/{token}", headers={"Accept-Language": "tr"}) as page:
        body = page.get_data(as_text=True)
    assert 'max="100" value="25"' in body
    assert "Çalışıyor · %25" in body


def test_checking_fills_the_bar_and_importing_fills_it_again_from_half_way(
    app_ctx, db_session, make
):
    coordinator = make.user(role="coordinator", countries=("TR",))
    row = "TR-{:05d};Okul {:05d};TR;TR-34;İstanbul;primary;tr;;"
    raw = csv_bytes(*(row.format(index, index) for index in range(5000)))
    reports: dict[str, list[int]] = {"check": [], "write": []}
    for name, function in (("check", import_jobs.check), ("write", import_jobs.write)):
        job = _stored_job(db_session, status=JobStatus.RUNNING, user_id=coordinator.id)
        job.kind, job.input = f"schools.{name}", raw
        outcome = function(job, lambda done, total, name=name: reports[name].append(done))
        assert outcome.result["ok"], outcome.result
    check, write = reports["check"], reports["write"]
    assert check == sorted(check)
    assert check[0] > 0
    assert check[-1] <= 1000
    assert write == sorted(write)
    assert write[0] < 500 < write[-1] == 1000
    assert outcome.result["created"] == 5000


def test_the_admin_page_says_when_there_is_no_broker(client, make, auth):
    make.user("admin@example.org", role="admin")
    with auth.login("admin@example.org") as response:
        assert response.status_code == 302
    with client.get("/admin/jobs", headers={"Accept-Language": "en"}) as page:
        body = page.get_data(as_text=True)
    assert "No broker is configured: every job and e-mail runs in the web process" in body
    assert "No job has run yet." in body
    with client.get("/admin/jobs?status=failed", headers={"Accept-Language": "en"}) as page:
        assert "No job in this state." in page.get_data(as_text=True)
    with client.get("/admin/jobs?status=lost") as page:
        assert page.status_code == 400
