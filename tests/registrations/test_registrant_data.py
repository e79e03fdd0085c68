"""Registrants' names and addresses are personal: exported to their owner, erased on
request, and anonymised a retention period after the activity, the counts kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.accounts import privacy
from app.accounts.models import User
from app.activities.models import Activity
from app.core.extensions import db
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration
from app.registrations.privacy import anonymise_past
from app.schedule import SCHEDULE
from tests.support.registrations import confirmed, form, open_day

#: The clock of the periodic task: a fixed moment, not the machine's.
NOW = datetime(2027, 9, 1, 3, 0, tzinfo=UTC)


def _held(db_session, activity_id: int, ended: datetime) -> None:
    """The activity took place, ending at ``ended``, and its registrants came."""
    activity = db_session.get(Activity, activity_id)
    activity.starts_at, activity.ends_at = ended - timedelta(hours=2), ended
    for row in db_session.scalars(
        select(Registration).where(Registration.activity_id == activity_id)
    ):
        row.attended = row.people
    db_session.commit()


def test_names_and_addresses_go_a_retention_period_after_the_activity(
    app, client, make, db_session, outbox
):
    old, recent = open_day(make), open_day(make)
    confirmed(client, outbox, old, email="old@example.org", people=3)
    confirmed(client, outbox, recent, email="recent@example.org", people=2)
    _held(db_session, old.id, NOW - timedelta(days=366))
    _held(db_session, recent.id, NOW - timedelta(days=364))
    assert "app.registrations.privacy:anonymise_past" in {job.function for job in SCHEDULE}

    with app.app_context():
        assert anonymise_past(NOW) == 1
        db.session.commit()

    db_session.expire_all()
    rows = {r.activity_id: r for r in db_session.scalars(select(Registration))}
    gone, kept = rows[old.id], rows[recent.id]
    assert (gone.name, gone.email, gone.anonymised_at) == ("", "", NOW)
    assert (gone.people, gone.attended, gone.region_code, gone.status) == (
        3, 3, "TR-34", RegistrationStatus.CONFIRMED,
    )  # fmt: skip
    assert (kept.email, kept.anonymised_at) == ("recent@example.org", None)
    with app.app_context():
        assert anonymise_past(NOW) == 0  # once


def test_the_registrants_own_links_stop_working_once_anonymised(
    app, client, make, db_session, outbox
):
    activity = open_day(make)
    token = confirmed(client, outbox, activity)
    _held(db_session, activity.id, NOW - timedelta(days=400))
    with app.app_context():
        anonymise_past(NOW)
        db.session.commit()
    assert client.get(f"/registrations/{token}").status_code == 404


def test_an_account_exports_and_erases_the_registrations_of_its_address(
    app, client, make, auth, db_session, outbox
):
    activity = open_day(make, capacity=1)
    user = make.user("ayse@example.org", name="Ayşe Yılmaz")
    user_id = user.id
    auth.login("ayse@example.org")
    # Signed in with a confirmed address: the place counts at once.
    client.post(f"/activities/{activity.id}/register", data=form(email="ayse@example.org"))
    auth.logout()
    confirmed(client, outbox, activity, email="next@example.org")  # waits

    with app.test_request_context():
        exported = privacy.export_user_data(db.session.get(User, user_id))
        assert [(r["email"], r["status"]) for r in exported["registration"]] == [
            ("ayse@example.org", "confirmed")
        ]
        outbox.clear()
        privacy.erase_user(db.session.get(User, user_id))
        db.session.commit()

    db_session.expire_all()
    rows = {r.id: r for r in db_session.scalars(select(Registration).order_by(Registration.id))}
    first, second = rows.values()
    assert (first.name, first.email, first.status) == ("", "", RegistrationStatus.CANCELLED)
    assert second.status is RegistrationStatus.CONFIRMED  # the place went on
    assert [m["To"] for m in outbox] == ["next@example.org"]
