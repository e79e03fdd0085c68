"""Fifty simultaneous registrations of one to three people for twenty places, confirmed at
the same moment, then five simultaneous cancellations: the confirmed people never exceed
twenty, the rest wait in the order they confirmed, and each cancellation promotes exactly
the registrations the plain model says.

Real threads, each with its own connection and its own browser, on a database of its own
(a SQLite file, or a PostgreSQL schema), through the JSON API and the confirmation page.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.activities.enums import ActivityType, RegistrationMode
from app.activities.models import Activity, ActivityPillar
from app.core.enums import Mode
from app.core.extensions import db
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration
from tests.support.databases import istanbul_school, own_app
from tests.support.registrations import Model, token_in
from tests.support.threads import at_once

SCHEMA = "registration_concurrency"
PLACES = 20
PEOPLE = 50


@pytest.fixture
def isolated_app(database_url, tmp_path):
    settings = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": PEOPLE + 5}}
    with own_app(database_url, tmp_path, SCHEMA, **settings) as app:
        yield app


def _open_day(app) -> int:
    with app.app_context():
        school = istanbul_school()
        db.session.add(school)
        db.session.flush()
        start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=7)
        activity = Activity(
            school_id=school.id, country_code="TR", region_code="TR-34", type=ActivityType.OPEN_DAY,
            title="Açık kapı günü", starts_at=start, ends_at=start + timedelta(hours=2),
            timezone="Europe/Istanbul", mode=Mode.IN_PERSON, location="Kadıköy",
            registration=RegistrationMode.OPEN, capacity=PLACES,
        )  # fmt: skip
        activity.pillars = [ActivityPillar(pillar_code="models_for_other_schools")]
        db.session.add(activity)
        db.session.commit()
        activity_id = activity.id
        db.session.remove()
        return activity_id


def _rows(app, activity_id: int) -> dict[int, Registration]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Registration).where(Registration.activity_id == activity_id)
        ).all()
        db.session.expunge_all()
        db.session.remove()
        return {row.id: row for row in rows}


def test_fifty_at_once_never_overbook_and_wait_in_order(isolated_app, outbox):
    app, activity_id = isolated_app, _open_day(isolated_app)
    people = random.Random(18).choices([1, 2, 3], k=PEOPLE)

    def register(number: int):
        def call():
            with app.test_client() as client:
                body = {
                    "name": f"Öğretmen {number}",
                    "email": f"t{number}@example.org",
                    "school_name": f"Okul {number}",
                    "region": "TR-34",
                    "people": people[number],
                }
                return client.post(
                    f"/api/v1/events/{activity_id}/registrations", json=body
                ).status_code

        return call

    assert at_once([register(n) for n in range(PEOPLE)]) == [201] * PEOPLE
    tokens = {message["To"]: token_in(message) for message in outbox}
    assert len(tokens) == PEOPLE

    def confirm(token: str):
        def call():
            with app.test_client() as client:
                return client.post(f"/registrations/{token}/confirm").status_code

        return call

    assert at_once([confirm(token) for token in tokens.values()]) == [302] * PEOPLE

    rows = _rows(app, activity_id)
    model = Model(PLACES)
    for row in sorted(rows.values(), key=lambda r: (r.queued_at, r.id)):  # the order of arrival
        model.register(row.id, row.people)
        model.confirm(row.id)
    assert {i: row.status.value for i, row in rows.items()} == model.statuses()
    confirmed = [row for row in rows.values() if row.status is RegistrationStatus.CONFIRMED]
    assert sum(row.people for row in confirmed) <= PLACES
    assert len(model.waiting()) > 0

    # Five people with a place cancel at the same moment: the list moves up exactly.
    leaving = confirmed[:5]
    by_address = {row.email: row.id for row in rows.values()}
    outbox.clear()

    def cancel(token: str):
        def call():
            with app.test_client() as client:
                return client.post(f"/api/v1/registrations/{token}/cancel").status_code

        return call

    assert at_once([cancel(tokens[row.email]) for row in leaving]) == [200] * 5
    for row in leaving:
        model.cancel(row.id)
    after = _rows(app, activity_id)
    assert {i: row.status.value for i, row in after.items()} == model.statuses()
    assert (
        sum(r.people for r in after.values() if r.status is RegistrationStatus.CONFIRMED) <= PLACES
    )
    promoted = {i for i, row in after.items() if row.status is RegistrationStatus.CONFIRMED} - {
        row.id for row in confirmed
    }
    told = {by_address[m["To"]] for m in outbox if "freed up" in m["Subject"]}
    assert told == promoted
