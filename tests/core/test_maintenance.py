"""A database that takes no writes (read-only, or full) is a localised 503 maintenance
answer, in HTML and under /api/ in JSON, while reading goes on; /healthz and /readyz tell
a load balancer whether the process and what it needs answer."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import InternalError, OperationalError

from app.accounts.operations import issue_token
from app.core.errors import cannot_write
from app.core.extensions import db
from tests.principals import sign_in
from tests.schools.test_schools import SCHOOL_FORM
from tests.support.mentoring import po_text
from tests.support.web import extra_app, limiter_state_restored

MAINTENANCE_EN = "Changes cannot be saved at the moment"


@pytest.fixture
def read_only(db_session):
    """The suite's database refuses writes from now on, as a standby or a read-only disk
    would: SQLite's query_only, PostgreSQL's read-only transaction."""
    db_session.commit()
    # On the test's own connection, outside the SAVEPOINT of any request: PostgreSQL keeps
    # a read-only mode set inside a savepoint only until the savepoint ends.
    connection = db_session.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    connection.exec_driver_sql("PRAGMA query_only = ON" if sqlite else "SET TRANSACTION READ ONLY")
    yield
    db_session.rollback()
    if sqlite:
        connection.exec_driver_sql("PRAGMA query_only = OFF")


@pytest.fixture
def member(make, db_session):
    school = make.school("TR")
    user = make.member(school)
    token = issue_token(user)
    db_session.commit()
    return user.id, token


def test_a_write_to_a_read_only_database_is_a_localised_maintenance_page(
    client, db_session, member, read_only
):
    user_id, _token = member
    sign_in(client, db_session, user_id)

    response = client.post("/schools/new", data=SCHOOL_FORM, headers={"Accept-Language": "tr"})

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_data(as_text=True)
    assert po_text("tr", MAINTENANCE_EN) in body
    assert "Traceback" not in body


def test_reading_goes_on_while_the_database_takes_no_writes(client, db_session, member, read_only):
    user_id, _token = member
    sign_in(client, db_session, user_id)

    for path in ("/", "/calendar/TR", "/schools?q=x", "/account/", "/directory/TR"):
        assert client.get(path).status_code == 200, path


def test_the_api_answers_a_write_with_json(client, member, read_only):
    _user_id, token = member

    response = client.post(
        "/api/v1/schools",
        json={**SCHOOL_FORM, "region": "TR-34", "levels": ["upper_secondary"]},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "nl"},
    )

    assert response.status_code == 503
    problem = response.get_json()["error"]
    assert problem["code"] == "read_only"
    assert problem["message"] == po_text(
        "nl",
        "The network is under maintenance: you can read everything, but nothing can be saved"
        " for now. Please try again later.",
    )
    assert response.headers["Content-Language"] == "nl"


# Which errors mean "no writes" -------------------------------------------------------------


def _wrapped(error: Exception, kind=OperationalError):
    return kind("INSERT INTO audit_entry …", {}, error)


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(sqlite3.OperationalError("attempt to write a readonly database")),
        _wrapped(sqlite3.OperationalError("database or disk is full")),
        _wrapped(psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT"), InternalError),
        _wrapped(psycopg.errors.DiskFull("could not extend file")),
    ],
    ids=["sqlite-readonly", "sqlite-full", "postgres-read-only", "postgres-disk-full"],
)
def test_read_only_and_full_databases_are_recognised(app, database_url, error):
    assert cannot_write(error)
    with limiter_state_restored():
        failing = extra_app(database_url)

    @failing.post("/_write_for_test")
    def write():
        raise error

    response = failing.test_client().post("/_write_for_test")
    assert response.status_code == 503
    assert MAINTENANCE_EN in response.get_data(as_text=True)


def test_other_database_errors_stay_500s(app, database_url):
    error = _wrapped(sqlite3.OperationalError("no such table: nowhere"))
    assert not cannot_write(error)
    with limiter_state_restored():
        failing = extra_app(database_url)

    @failing.get("/_broken_for_test")
    def broken():
        raise error

    assert failing.test_client().get("/_broken_for_test").status_code == 500


# Health and readiness ---------------------------------------------------------------------


@pytest.fixture
def probed_app():
    """``probed_app(url, **settings)``: another app; readiness opens connections of its own
    engine, which are closed afterwards."""
    made = []

    def make_app(database_url: str, **settings):
        with limiter_state_restored():
            made.append(extra_app(database_url, **settings))
        return made[-1]

    yield make_app
    for other in made:
        with other.app_context():
            db.engine.dispose()


def test_healthz_and_readyz_answer_when_all_is_well(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "checks": {"process": "ok"}}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ok", "checks": {"database": "ok"}}
    assert ready.headers["Cache-Control"] == "no-store"


def test_without_its_database_a_worker_is_alive_but_not_ready(app, tmp_path, probed_app):
    client = probed_app(f"sqlite:///{tmp_path}/missing/folder/db.sqlite").test_client()

    assert client.get("/healthz").status_code == 200  # liveness asks no database
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.get_json()["checks"] == {"database": "unavailable"}


def test_readiness_checks_every_configured_redis(app, database_url, probed_app):
    configured = probed_app(
        database_url,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        CACHE_TYPE="RedisCache",
        CACHE_REDIS_URL="redis://127.0.0.1:1/0",  # nothing listens there
    )
    response = configured.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"] == {
        "database": "ok",
        "rate_limits": "ok",
        "cache": "unavailable",
    }


def test_probes_need_no_sign_in_and_no_rate_budget(app, database_url, make, db_session, probed_app):
    coordinator = make.user(role="coordinator", countries=("TR",))  # no second factor
    strict = probed_app(
        database_url, RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="1 per minute",
        REQUIRE_STAFF_MFA=True,
    )  # fmt: skip
    client = strict.test_client()
    sign_in(client, db_session, coordinator.id)

    assert client.get("/account/").status_code == 302  # sent to set up two-step sign-in
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_production_answers_probes_over_plain_http(app, database_url, probed_app):
    production = probed_app(
        database_url, ENV="production", SECRET_KEY="x" * 40,
        PUBLIC_URL="https://network.example.org", RATELIMIT_SINGLE_WORKER=True,
    )  # fmt: skip
    client = production.test_client()
    host = {"Host": "network.example.org"}

    assert client.get("/login", headers=host).status_code == 302  # to https://
    assert client.get("/healthz", headers=host).status_code == 200
    assert client.get("/readyz", headers=host).status_code == 200
