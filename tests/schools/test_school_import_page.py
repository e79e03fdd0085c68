"""The CSV import through the page: an upload is checked by a job, whose page shows the
result; confirmed there, a second job imports the same file, once.

Without a broker (the test configuration) each job runs in-process right after the
request that started it commits, so the page it redirects to shows the result."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.core.models import AuditEntry
from app.jobs.models import Job
from app.schools.enums import SchoolStatus
from tests.schools import test_school_import as imports
from tests.schools.test_school_import import (
    ANKARA,
    CLUJ,
    _school_count,
    by_external_id,
    csv_bytes,
    dump,
)


@pytest.fixture
def coordinator_tr(make, auth):
    user = make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    with auth.login("coord.tr@example.org") as response:
        assert response.status_code == 302
    return user.id


existing = imports.existing

TR_FILE = csv_bytes(
    ANKARA,
    "TR-0002;Kadıköy Anadolu Lisesi;TR;TR-34;İstanbul;upper_secondary;tr|en;;",
    bom="\ufeff",
)


def upload(client, raw: bytes, filename: str = "schools.csv"):
    return client.post(
        "/schools/import",
        data={"file": (io.BytesIO(raw), filename)},
        headers={"Accept-Language": "en"},
    )


def job_page(client, response) -> tuple[str, str]:
    """The job a response redirected to: its address and its page."""
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert re.fullmatch(r"/jobs/[\w-]{43}", location), location
    with client.get(location, headers={"Accept-Language": "en"}) as page:
        assert page.status_code == 200
        return location, page.get_data(as_text=True)


def confirm_address(body: str) -> str:
    found = re.search(r'action="(/schools/import/[\w-]+/confirm)"', body)
    assert found, "no Import now button"
    return found.group(1)


def test_an_upload_is_checked_then_imported_on_confirmation(
    client, db_session, coordinator_tr, existing
):
    before = dump(db_session)

    with upload(client, TR_FILE) as response:
        check, body = job_page(client, response)
    assert "Checking a file of schools" in body
    assert "2 rows can be imported: 2 new schools, 0 updated, 0 unchanged." in body
    assert dump(db_session) == before

    with client.post(confirm_address(body)) as response:
        _, body = job_page(client, response)
    assert "Import finished: 2 schools created, 0 updated, 0 unchanged." in body
    assert _school_count(db_session) == 3
    school = by_external_id(db_session, "TR-0002")
    assert school.status is SchoolStatus.VERIFIED
    assert school.created_by_id == coordinator_tr
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "school.import"))
    assert entry.actor_id == coordinator_tr
    assert entry.details == {"rows": 2, "created": 2, "updated": 0}
    # The imported file is not kept, by either job; the check's page links to the import.
    assert db_session.scalars(select(Job.input)).all() == [None, None]
    with client.get(check) as page:
        text = page.get_data(as_text=True)
    assert "This file has been imported: see the result" in text
    assert "/confirm" not in text


def test_the_state_of_a_finished_job_is_complete(client, db_session, coordinator_tr):
    with upload(client, TR_FILE) as response:
        check, _ = job_page(client, response)
    with client.get(f"{check}/state", headers={"Accept-Language": "nl"}) as state:
        assert state.headers["Cache-Control"] == "no-store"
        assert state.json == {
            "status": "done",
            "label": "Klaar",
            "finished": True,
            "percent": 100,
            "done": None,
            "total": None,
        }


def test_a_check_is_confirmed_once(client, db_session, coordinator_tr):
    with upload(client, TR_FILE) as response:
        _, body = job_page(client, response)
    address = confirm_address(body)
    with client.post(address) as response:
        assert response.status_code == 303
    after_first = dump(db_session)

    with client.post(address) as response:
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/schools/import")
    with client.get("/schools/import") as response:
        assert "The checked file is no longer available" in response.get_data(as_text=True)
    assert dump(db_session) == after_first


def test_an_unchanged_file_is_reported_unchanged(client, db_session, coordinator_tr):
    for _ in range(2):
        with upload(client, TR_FILE) as response:
            _, body = job_page(client, response)
        with client.post(confirm_address(body)) as response:
            assert response.status_code == 303
    assert "2 rows can be imported: 0 new schools, 0 updated, 2 unchanged." in body


def test_rows_of_another_country_are_listed_and_nothing_can_be_imported(
    client, db_session, coordinator_tr, existing
):
    before = dump(db_session)

    with upload(client, csv_bytes(ANKARA, CLUJ)) as response:
        _, body = job_page(client, response)
    assert "1 problem was found. Nothing has been imported" in body
    assert "<tr><td>3</td><td><code>country</code></td>" in body
    assert "You may only import schools of your own countries." in body
    assert "/confirm" not in body
    assert dump(db_session) == before


def test_a_check_with_problems_cannot_be_confirmed(client, db_session, coordinator_tr):
    with upload(client, csv_bytes(ANKARA, CLUJ)) as response:
        check, _ = job_page(client, response)
    token = check.rsplit("/", 1)[1]
    before = dump(db_session)
    with client.post(f"/schools/import/{token}/confirm") as response:
        assert response.headers["Location"].endswith("/schools/import")
    assert dump(db_session) == before


def test_a_large_file_is_accepted_and_an_oversized_one_refused(
    app, client, db_session, coordinator_tr
):
    row = "TR-{:06d};Okul {:06d};TR;TR-34;İstanbul;primary;tr;;100"
    raw = csv_bytes(*(row.format(index, index) for index in range(40000)))
    assert len(raw) > app.config["MAX_CONTENT_LENGTH"]

    def post(body_bytes: bytes):
        # Encoded here rather than by the test client, which would spool a body this
        # large to a temporary file that it never closes.
        upload = FileStorage(io.BytesIO(body_bytes), filename="schools.csv")
        boundary, body = encode_multipart({"file": upload})
        return client.post(
            "/schools/import",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"Accept-Language": "en"},
        )

    with post(raw) as response:
        _, body = job_page(client, response)
    assert "40,000 rows can be imported: 40,000 new schools" in body

    app.config["IMPORT_MAX_CONTENT_LENGTH"] = len(raw) // 2
    with post(raw) as response:
        assert response.status_code == 413
        assert "The upload is too large" in response.get_data(as_text=True)
    # Other forms keep the general limit.
    with client.post("/account/profile", data={"name": "x" * (3 * 1024 * 1024)}) as response:
        assert response.status_code == 413


def test_a_file_that_is_not_csv_is_refused(client, coordinator_tr):
    with upload(client, TR_FILE, filename="schools.xlsx") as response:
        assert response.status_code == 422
        assert "Choose a .csv file." in response.get_data(as_text=True)


def test_a_member_may_not_import(client, db_session, make, auth, existing):
    make.member(existing, email="teacher@example.org")
    with auth.login("teacher@example.org") as response:
        assert response.status_code == 302
    before = dump(db_session)

    with client.get("/schools/import") as response:
        assert response.status_code == 403
    with upload(client, TR_FILE) as response:
        assert response.status_code == 403
    assert dump(db_session) == before
    assert db_session.scalars(select(Job)).all() == []


def test_a_job_page_is_its_owners_only(client, db_session, make, auth, coordinator_tr):
    with upload(client, TR_FILE) as response:
        check, body = job_page(client, response)
    make.user("coord.tr2@example.org", role="coordinator", countries=("TR",))
    auth.logout().close()
    with auth.login("coord.tr2@example.org") as response:
        assert response.status_code == 302
    for address in (check, f"{check}/state", f"{check}/download"):
        with client.get(address) as response:
            assert response.status_code == 404, address
    with client.post(confirm_address(body)) as response:
        assert response.status_code == 404
    assert _school_count(db_session) == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    with upload(client, TR_FILE) as response:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
