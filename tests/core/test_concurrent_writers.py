"""Requests that write, many at the same moment, never answer 500: 16 dashboard exports at
once (a GET that writes its audit entry), and the first write of 40 fresh API tokens at
once (noting each token's first use, then the write itself, in one transaction).

On SQLite a request that may write takes the write lock first (BEGIN IMMEDIATE), so the
others queue on the busy timeout instead of failing with "database is locked". Real
threads, each with its own connection, on a database of the test's own (a SQLite file,
or a PostgreSQL schema) that really commits.
"""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from app.accounts.enums import MembershipRole
from app.accounts.models import ApiToken, User
from app.accounts.operations import issue_token
from app.activities.models import Activity
from app.core.extensions import db
from app.core.models import AuditEntry
from tests.api.helpers import event_payload
from tests.factories import Factories
from tests.principals import sign_in
from tests.support.databases import own_app
from tests.support.threads import at_once

EXPORTS = 16
TOKENS = 40


@pytest.fixture
def threaded_app(database_url, tmp_path):
    settings = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": TOKENS + 2, "max_overflow": 0}}
    with own_app(database_url, tmp_path, "concurrent_writers", **settings) as app:
        yield app


def test_sixteen_simultaneous_dashboard_exports_all_succeed(threaded_app):
    app = threaded_app
    with app.app_context():
        make = Factories(db.session)
        school = make.school("TR", name="Kadıköy Anadolu Lisesi")
        for _ in range(3):
            make.activity(school)
        coordinator = make.user("coordinator.tr@example.org", role="coordinator", countries=("TR",))
        browsers = []
        for _ in range(EXPORTS):
            browser = app.test_client()
            sign_in(browser, db.session, coordinator.id)
            browsers.append(browser)
        db.session.remove()

    def export(browser) -> int:
        with browser.get("/dashboards/TR/export/regions.csv") as response:
            return response.status_code

    statuses = at_once([lambda browser=browser: export(browser) for browser in browsers])

    assert Counter(statuses) == {200: EXPORTS}  # so 0 × 500
    with app.app_context():
        audited = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.action == "dashboard.export")
        )
        assert audited == EXPORTS
        db.session.remove()


def test_the_first_write_of_forty_fresh_tokens_at_once_all_succeed(threaded_app):
    app = threaded_app
    with app.app_context():
        make = Factories(db.session)
        school = make.school("TR", name="Kadıköy Anadolu Lisesi")
        users = [make.member(school, role=MembershipRole.ADMIN) for _ in range(TOKENS)]
        tokens = [issue_token(db.session.get(User, user.id), "first use") for user in users]
        db.session.commit()
        school_id = school.id
        db.session.remove()
    client = app.test_client()

    def write(token: str, n: int) -> int:
        payload = event_payload(school_id, title=f"Open afternoon {n}")
        headers = {"Authorization": f"Bearer {token}"}
        with client.post("/api/v1/events", json=payload, headers=headers) as response:
            return response.status_code

    statuses = at_once([lambda t=t, n=n: write(t, n) for n, t in enumerate(tokens)])

    assert Counter(statuses) == {201: TOKENS}  # so 0 × 500
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == TOKENS
        unused = db.session.scalar(
            sa.select(sa.func.count()).where(ApiToken.last_used_at.is_(None))
        )
        assert unused == 0  # every token's first use was noted, in the same transaction
        db.session.remove()
