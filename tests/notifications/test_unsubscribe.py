"""Preferences and unsubscribing: the one-click POST of RFC 8058, the page with its
button, forged tokens, and the mails that always go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import URLSafeSerializer

from app.accounts.enums import MembershipRole
from app.core.extensions import db
from app.notifications.enums import Frequency, Kind
from app.notifications.models import ReminderLog
from app.notifications.operations import ALL, preferences, set_preferences, unsubscribe_token
from app.notifications.reminders import send_due
from tests.principals import sign_in
from tests.support.statements import StatementCounter
from tests.support.web import extra_app

PUBLIC = "https://network.example.org"
NOW = datetime(2026, 10, 8, 9, tzinfo=UTC)


@pytest.fixture
def forgotten(make):
    """A school admin (Dutch) and an activity of their school that ended 3 days ago."""
    school = make.school("NL", name="Het Baken")
    admin = make.member(school, MembershipRole.ADMIN, email="admin@baken.example", locale="nl")
    make.activity(school, title="Open dag", starts_at=NOW - timedelta(days=3, hours=1))
    return admin


def _remind(app):
    with app.app_context():
        counts = send_due(NOW)
        db.session.commit()
    return counts


def _link(message) -> str:
    return message["List-Unsubscribe"].strip("<>")


def test_a_reminder_carries_its_one_click_unsubscribe(app, forgotten, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    assert _remind(app)[Kind.ACTIVITY_REPORT] == 1
    [message] = outbox
    assert message["Subject"] == "Rapporteer de activiteit ‘Open dag’"
    assert _link(message).startswith(f"{PUBLIC}/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"\nList-Unsubscribe: <{PUBLIC}/unsubscribe/" in message.as_string()  # not encoded
    assert _link(message) in message.get_content()
    outbox.clear()
    assert _remind(app)[Kind.ACTIVITY_REPORT] == 0  # once
    assert outbox == []


def test_one_click_post_without_a_csrf_token_unsubscribes(app, database_url, forgotten, outbox):
    strict = extra_app(database_url, WTF_CSRF_ENABLED=True)
    url = f"/unsubscribe/{_token(app, forgotten.id, Kind.ACTIVITY_REPORT.value)}"
    response = strict.test_client().post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        assert preferences(forgotten.id)[Kind.ACTIVITY_REPORT] == Frequency.NEVER
        assert preferences(forgotten.id)[Kind.LABEL_EXPIRING] == Frequency.IMMEDIATELY
    assert _remind(app)[Kind.ACTIVITY_REPORT] == 0
    assert outbox == []


def test_the_page_asks_first_then_its_button_unsubscribes(app, client, forgotten):
    url = f"/unsubscribe/{_token(app, forgotten.id, ALL)}"
    page = client.get(url, headers={"Accept-Language": "nl"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<form method="post"' in body
    assert "Afmelden" in body
    with app.app_context():
        assert preferences(forgotten.id)[Kind.ACTIVITY_REPORT] == Frequency.IMMEDIATELY
    done = client.post(url, headers={"Accept-Language": "nl"})
    assert "U bent afgemeld" in done.get_data(as_text=True)
    with app.app_context():
        assert set(preferences(forgotten.id).values()) == {Frequency.NEVER}
    assert "U bent afgemeld" in client.get(url, headers={"Accept-Language": "nl"}).text


def _token(app, user_id, kind) -> str:
    with app.app_context():
        return unsubscribe_token(user_id, kind)


def _forged(payload, key: str | None = None) -> str:
    """A token signed with ``key``, or with a key that is not the site's."""
    return URLSafeSerializer(key or "not-the-site-key", salt="unsubscribe").dumps(payload)


@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_tokens_are_a_localised_404(app, client, forgotten, method):
    key = app.config["SECRET_KEY"]
    tokens = [
        "not-a-token",
        "x" * 500,
        _forged([forgotten.id, "activity_report"]),
        _forged([forgotten.id, "no_such_kind"], key),
        _forged(["1", "activity_report"], key),
        _forged({"user": 1}, key),
        _forged([999999, "activity_report"], key),
        _token(app, forgotten.id, Kind.ACTIVITY_REPORT.value)[:-2] + "zz",
    ]
    for token in tokens:
        response = getattr(client, method)(
            f"/unsubscribe/{token}", headers={"Accept-Language": "nl"}
        )
        assert response.status_code == 404, token
        assert "Pagina niet gevonden" in response.text
    with app.app_context():
        assert preferences(forgotten.id)[Kind.ACTIVITY_REPORT] == Frequency.IMMEDIATELY


def test_the_account_page_saves_a_choice_per_kind(app, client, db_session, forgotten):
    sign_in(client, db_session, forgotten.id)
    page = client.get("/account/notifications?lang=nl")
    assert page.status_code == 200
    assert "Een activiteit van mijn school wacht op haar verslag" in page.text
    assert Kind.COORDINATOR_DIGEST.value not in page.text  # for coordinators only
    choices = {kind.value: "immediately" for kind in Kind if kind.value in page.text}
    choices[Kind.ACTIVITY_REPORT.value] = "weekly"
    assert client.post("/account/notifications", data=choices).status_code == 302
    with app.app_context():
        assert preferences(forgotten.id)[Kind.ACTIVITY_REPORT] == Frequency.WEEKLY
    choices[Kind.ACTIVITY_REPORT.value] = "hourly"
    refused = client.post("/account/notifications?lang=nl", data=choices)
    assert refused.status_code == 422
    with app.app_context():
        assert preferences(forgotten.id)[Kind.ACTIVITY_REPORT] == Frequency.WEEKLY


def test_a_weekly_choice_waits_for_monday(app, forgotten, outbox):
    with app.app_context():
        set_preferences(forgotten.id, {Kind.ACTIVITY_REPORT: Frequency.WEEKLY})
        db.session.commit()
    assert _remind(app)[Kind.ACTIVITY_REPORT] == 1  # recorded, held for the digest
    assert outbox == []
    with app.app_context():
        send_due(datetime(2026, 10, 12, 9, tzinfo=UTC))  # Monday
        db.session.commit()
        held = db.session.query(ReminderLog).filter_by(delivery=Frequency.WEEKLY).one()
        assert held.digested_at is not None
    [digest] = [m for m in outbox if m["To"] == "admin@baken.example"]
    assert digest["Subject"] == "Uw herinneringen van deze week"
    assert "Open dag" in digest.get_content()
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_essential_mail_goes_to_who_unsubscribed_from_everything(app, client, forgotten, outbox):
    with app.app_context():
        set_preferences(forgotten.id, dict.fromkeys(Kind, Frequency.NEVER))
        db.session.commit()
    assert _remind(app)[Kind.ACTIVITY_REPORT] == 0
    client.post("/reset", data={"email": "admin@baken.example"})
    [reset] = outbox
    assert reset["To"] == "admin@baken.example"
    assert "List-Unsubscribe" not in reset


def _statements(now: datetime) -> tuple[int, int]:
    """The statements one run executes, and the mails it sends (their delivery after the
    commit is the outbox's, one message at a time, and not counted here)."""
    with StatementCounter() as counter:
        counts = send_due(now)
    db.session.commit()
    return counter.count, counts[Kind.ACTIVITY_REPORT]


def test_a_run_costs_the_same_statements_for_one_reminder_or_many(app_ctx, make, outbox):
    """Set-based: the statements of a run do not grow with the reminders it sends."""
    school = make.school("NL")
    for number in range(3):
        make.member(school, MembershipRole.ADMIN, email=f"admin{number}@school.example")
    make.activity(school, starts_at=NOW - timedelta(days=3, hours=1))
    few = _statements(NOW)
    for _ in range(12):
        make.activity(school, starts_at=NOW - timedelta(days=2, hours=1))
    many = _statements(NOW + timedelta(days=1))
    assert (few[1], many[1]) == (3, 36)
    # Each mail is one row of the outbox (an INSERT); nothing else grows with the mails.
    assert many[0] - many[1] == few[0] - few[1]
