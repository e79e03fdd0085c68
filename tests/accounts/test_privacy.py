"""The user's rights over their data: a complete export, and erasure.

Both tests discover the tables that point at ``user.id`` from the metadata: a table
added later without test data here fails them, so nobody forgets to cover it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

import pytest
from sqlalchemy import JSON, Column, String, Table, func, select

from app.accounts import credentials
from app.accounts import operations as accounts
from app.accounts.enums import MembershipRole
from app.accounts.models import CoordinatorCountry, User
from app.activities.models import Activity
from app.core.database import utcnow
from app.core.extensions import db
from app.core.models import AuditEntry, Notification
from app.dashboards.models import HostInvitation
from app.jobs.models import Job
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from app.notifications.enums import Frequency, Kind
from app.notifications.models import MailPreference, ReminderLog
from app.schools.enums import AmbassadorStatus, LabelStatus
from app.schools.models import AmbassadorPeriod, LabelAward
from tests.factories import PASSWORD
from tests.principals import sign_in

SECRET_COLUMNS = {"password_hash", "totp_secret", "totp_pending_secret", "token_hash"}
NAME = "Zeynep Karagöz-Lindqvist"
EMAIL = "zeynep.karagoz.lindqvist@example.org"


def user_references() -> list[tuple[Table, Column]]:
    """Every (table, column) of the metadata with a foreign key to ``user.id``."""
    user_id = User.__table__.c.id
    return [
        (table, column)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if any(fk.column is user_id for fk in column.foreign_keys)
    ]


@dataclass
class Person:
    user_id: int
    secrets: list[str]
    activity_ids: list[int]


def build_person(make, session) -> Person:
    """A user with at least one row in every table that references users (in an app context;
    only ids leave it)."""
    school = make.school("TR", name="Kadıköy Anadolu Lisesi", city="İstanbul")
    other_school = make.school("TR", name="Üsküdar Ortaokulu", city="İstanbul")
    user = make.member(school, role=MembershipRole.ADMIN, email=EMAIL, name=NAME)
    user.last_login_at = utcnow() - timedelta(days=1)
    user.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    user.totp_pending_secret = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA"
    user.totp_last_step = 59_000_000
    user.totp_locked_until = utcnow() + timedelta(minutes=3)
    make.user("colleague@example.org")  # someone else, whose data is not exported
    session.commit()

    own_school = make.school(
        "TR",
        name="Moda İlkokulu",
        created_by_id=user.id,
        contact_name=NAME,
        contact_email=EMAIL,
    )
    accounts.issue_token(user, name="calendar sync")
    credentials.start_password_reset(user)
    session.add_all(
        [
            CoordinatorCountry(user_id=user.id, country_code="RO"),
            Notification(user_id=user.id, kind="match.proposed", payload={"match": 1}),
            AuditEntry(actor_id=user.id, ip="203.0.113.77", action="account.login"),
            AmbassadorPeriod(
                school_id=school.id,
                status=AmbassadorStatus.APPROVED,
                starts_on=date(2025, 9, 1),
                ends_on=date(2026, 8, 31),
                motivation="We host open days every month.",
                applied_by_id=user.id,
                decided_by_id=user.id,
                decided_at=utcnow(),
            ),
            LabelAward(
                school_id=school.id,
                award_year=2025,
                status=LabelStatus.VERIFIED,
                requested_by_id=user.id,
                decided_by_id=user.id,
                decided_at=utcnow(),
            ),
        ]
    )
    profile = MentorProfile(
        user_id=user.id,
        school_id=school.id,
        country_code="TR",
        region_code=school.region_code,
        capacity=3,
        bio="Biology teacher, eTwinning since 2015, happy to help new schools.",
    )
    request = MentoringRequest(
        school_id=other_school.id,
        country_code="TR",
        region_code=other_school.region_code,
        requested_by_id=user.id,
        message="Our school is new to eTwinning and would like a mentor.",
    )
    run = MatchRun(country_code="TR", run_by_id=user.id, proposals=1, total_score=4.5)
    session.add_all([profile, request, run])
    session.flush()
    session.add(
        Match(
            request_id=request.id,
            mentor_id=profile.id,
            run_id=run.id,
            score=4.5,
            explanation={"same_region": 3.0, "pillar_overlap": 1.5},
            proposed_by_id=user.id,
            decline_reason="Bu dönem çok yoğunum.",
            feedback_school="Çok yardımcı oldu.",
            feedback_mentor="Harika bir ekip.",
        )
    )
    session.add_all(
        [
            MailPreference(
                user_id=user.id, kind=Kind.COORDINATOR_DIGEST, frequency=Frequency.NEVER
            ),
            ReminderLog(
                kind=Kind.PROPOSAL_WAITING,
                subject_id=request.id,
                period="d3",
                user_id=user.id,
                delivery=Frequency.DAILY,
                payload={"school": other_school.name},
            ),
            HostInvitation(
                country_code="TR",
                region_code=school.region_code,
                mentor_id=profile.id,
                invited_by_id=user.id,
            ),
            Job(
                token="privacy-test-job-token",
                kind="schools.check",
                user_id=user.id,
                locale="tr",
                input=f"external_id;name;contact_name\nTR-1;Moda;{NAME}\n".encode(),
                expires_at=utcnow() + timedelta(hours=1),
            ),
        ]
    )
    session.commit()
    created = make.activity(school, created_by_id=user.id, title="Açık kapı günü")
    updated = make.activity(own_school, updated_by_id=user.id, title="Proje tanıtımı")
    user = session.get(User, user.id)
    secrets = [user.password_hash, user.totp_secret, user.totp_pending_secret]
    for table, column in user_references():
        if "token_hash" in table.c:
            secrets += session.scalars(select(table.c.token_hash).where(column == user.id)).all()
    return Person(user.id, secrets, [created.id, updated.id])


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    return value


def _rows(session, table: Table, column: Column, user_id: int) -> list[dict[str, Any]]:
    rows = session.execute(select(table).where(column == user_id)).all()
    return [{key: _plain(value) for key, value in row._mapping.items()} for row in rows]


def _exported_rows(data: Any) -> list[dict[str, Any]]:
    """Every JSON object in the export, however it is nested."""
    if isinstance(data, dict):
        return [data] + [row for value in data.values() for row in _exported_rows(value)]
    if isinstance(data, list):
        return [row for value in data for row in _exported_rows(value)]
    return []


def _personal(table: Table) -> list[str]:
    return [column.name for column in table.columns if column.info.get("personal")]


# Export ----------------------------------------------------------------------------------


@pytest.fixture
def person(app, make, db_session) -> Person:
    with app.app_context():
        return build_person(make, db_session)


def test_every_table_referencing_users_has_test_data(person, db_session):
    references = user_references()
    assert len(references) >= 15  # the schema as of this test; new tables only add to it
    missing = [
        f"{table.name}.{column.name}"
        for table, column in references
        if not _rows(db_session, table, column, person.user_id)
    ]
    assert missing == [], "add rows for these references to build_person()"


def test_the_export_holds_every_row_about_the_user_with_its_personal_fields(
    client, person, db_session
):
    user_table = User.__table__
    stored = {
        (table, column): _rows(db_session, table, column, person.user_id)
        for table, column in [(user_table, user_table.c.id), *user_references()]
    }
    sign_in(client, db_session, person.user_id)

    response = client.post("/account/data")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "colleague@example.org" not in response.get_data(as_text=True)
    exported = _exported_rows(response.get_json())
    for (table, column), rows in stored.items():
        assert rows, f"no test data for {table.name}.{column.name}"
        for row in rows:
            for name in _personal(table):
                if name not in SECRET_COLUMNS:
                    assert row[name] not in (None, ""), f"test data lacks {table.name}.{name}"
            expected = {key: value for key, value in row.items() if key not in SECRET_COLUMNS}
            assert any(expected.items() <= candidate.items() for candidate in exported), (
                f"{table.name}.{column.name}: {expected} is not in the export"
            )


def test_the_export_never_contains_password_hashes_totp_secrets_or_token_hashes(
    client, person, db_session
):
    sign_in(client, db_session, person.user_id)

    response = client.post("/account/data")

    text = response.get_data(as_text=True)
    keys = {key for row in _exported_rows(response.get_json()) for key in row}
    assert keys & SECRET_COLUMNS == set()
    assert len(person.secrets) >= 4  # password hash, TOTP secret, API and reset token hashes
    for secret in person.secrets:
        assert secret not in text


def test_the_export_is_audited(client, person, db_session):
    sign_in(client, db_session, person.user_id)

    client.post("/account/data")

    assert db_session.scalars(
        select(AuditEntry).filter_by(action="account.data_export", actor_id=person.user_id)
    ).all()


# Erasure ---------------------------------------------------------------------------------


def _text_columns() -> list[tuple[Table, Column]]:
    return [
        (table, column)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | JSON)
    ]


def _mentions(session, *needles: str) -> list[str]:
    """Every table.column whose stored value contains one of ``needles`` (case-folded)."""
    found = []
    folded = [needle.casefold() for needle in needles]
    for table, column in _text_columns():
        for value in session.scalars(select(column).where(column.is_not(None))):
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if any(needle in text.casefold() for needle in folded):
                found.append(f"{table.name}.{column.name}")
    return found


def test_after_deletion_the_name_and_address_are_stored_nowhere(client, person, db_session):
    assert "user.name" in _mentions(db_session, NAME)  # the scan finds them before
    sign_in(client, db_session, person.user_id)

    response = client.post("/account/delete", data={"current": PASSWORD})

    assert response.status_code == 302
    assert db_session.get(User, person.user_id) is None
    assert _mentions(db_session, NAME, EMAIL) == []
    with client.get("/account/") as page:
        assert page.status_code == 302  # signed out


def test_after_deletion_shared_records_stay_without_the_person(client, person, db_session):
    sign_in(client, db_session, person.user_id)
    activities_before = db_session.scalar(select(func.count()).select_from(Activity))

    client.post("/account/delete", data={"current": PASSWORD})

    assert db_session.scalar(select(func.count()).select_from(Activity)) == activities_before
    for activity_id in person.activity_ids:
        activity = db_session.get(Activity, activity_id)
        assert activity is not None
        assert activity.created_by_id is None
        assert activity.updated_by_id is None
    [deleted] = db_session.scalars(select(AuditEntry).filter_by(action="account.deleted")).all()
    assert deleted.object_id == str(person.user_id)
    assert deleted.actor_id is None
    assert db_session.scalars(select(AuditEntry).filter_by(ip="203.0.113.77")).all() == []
    earlier = db_session.scalars(select(AuditEntry).filter_by(action="account.login")).all()
    # The action stays; the actor and their IP address go.
    assert [(entry.actor_id, entry.ip) for entry in earlier] == [(None, None)]
    for table, column in user_references():
        assert _rows(db_session, table, column, person.user_id) == [], table.name


def test_a_wrong_password_deletes_nothing(client, person, db_session):
    sign_in(client, db_session, person.user_id)
    before = {
        f"{table.name}.{column.name}": len(_rows(db_session, table, column, person.user_id))
        for table, column in user_references()
    }

    response = client.post("/account/delete", data={"current": "not my password"})

    assert response.status_code == 422
    assert db_session.get(User, person.user_id) is not None
    after = {
        f"{table.name}.{column.name}": len(_rows(db_session, table, column, person.user_id))
        for table, column in user_references()
    }
    refusal = {"audit_entry.actor_id": before["audit_entry.actor_id"] + 1}
    assert after == before | refusal  # only the refused password check was recorded
    [check] = db_session.scalars(
        select(AuditEntry).filter_by(action="account.password_check", actor_id=person.user_id)
    ).all()
    assert check.outcome == "failure"
    assert db_session.scalars(select(AuditEntry).filter_by(action="account.deleted")).all() == []
    with client.get("/account/") as page:
        assert page.status_code == 200  # still signed in


def test_timestamps_in_the_export_are_utc(client, person, db_session):
    sign_in(client, db_session, person.user_id)

    data = client.post("/account/data").get_json()

    stamp = datetime.fromisoformat(data["user"]["created_at"])
    assert stamp.utcoffset() == UTC.utcoffset(None)
