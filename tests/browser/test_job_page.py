"""A job's page in Chromium: an indeterminate bar while the job waits, then, when the
job has finished, its result in place of the bar without a reload, with the focus on it;
axe-clean in both states and on a phone."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.activities.exporting import job_params
from app.activities.queries import ActivityFilters
from app.core.database import utcnow
from app.jobs import operations
from app.jobs.models import Job, JobStatus
from tests.browser.helpers import app_session


def _queued_export(live_app) -> tuple[int, str]:
    """A public export waiting for a worker (none runs here: the test runs it)."""
    with app_session(live_app) as session:
        now = utcnow()
        job = Job(
            token=f"browser-test-{now.timestamp():.0f}-export-job-page-xxxxxxxxxx"[:43],
            kind="activities.export",
            status=JobStatus.QUEUED,
            locale="nl",
            params=job_params(
                ActivityFilters(country="TR", timezone="Europe/Istanbul"), "xlsx", "comma"
            ),
            created_at=now,
            expires_at=now + timedelta(hours=1),
        )
        session.add(job)
        session.commit()
        return job.id, job.token


def test_the_bar_gives_way_to_the_result_without_a_reload(
    page, live_app, live_server, axe_check, fits_phone
):
    job_id, token = _queued_export(live_app)
    page.goto(f"{live_server}/jobs/{token}?lang=nl")
    expect(page.locator("h1")).to_have_text("Activiteiten exporteren")
    bar = page.locator("progress#job-bar")
    expect(bar).to_be_visible()
    assert bar.get_attribute("value") is None  # waiting: indeterminate
    expect(page.locator("[data-job-label]")).to_have_text("Wacht op start")
    axe_check(page)
    fits_phone(page)
    page.evaluate("window.sameDocument = true")

    with app_session(live_app):
        assert operations.run(job_id) == "done"

    result = page.locator("[data-job-result]")
    expect(result).to_be_visible(timeout=15_000)
    expect(result).to_be_focused()
    expect(page.locator("progress#job-bar")).to_have_count(0)
    assert page.evaluate("window.sameDocument") is True  # no reload
    link = page.get_by_role("link", name="activities-TR-")
    expect(link).to_have_attribute("href", f"/jobs/{token}/download")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    axe_check(page)
    fits_phone(page)
