"""What is new in a coordinator's countries (schools to verify, ambassador applications,
mentoring requests) reaches them by mail: in the daily digest unless they choose each at
once or never, in their language, once, and only while it still waits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.notifications.enums import Frequency, Kind
from app.notifications.operations import preferences, set_preferences
from app.schools.enums import AmbassadorStatus, SchoolStatus
from tests.notifications.helpers import run_due
from tests.support.mentoring import add_request

TUESDAY = datetime(2026, 10, 13, 9, tzinfo=UTC)  # not the weekly summary's Monday


def _news(make, session, day: date):
    """A school to verify, an application and a request, all made on ``day`` in NL."""
    made = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    pending = make.school("NL", name="Nieuwe School", status=SchoolStatus.PENDING)
    pending.created_at = made
    applicant = make.school("NL", name="Kandidaat")
    period = make.ambassador(applicant, today=day)
    period.status, period.created_at = AmbassadorStatus.APPLIED, made
    asking = make.school("NL", name="Vragende School")
    request = add_request(session, asking)
    request.created_at = made
    make.school("BE", name="Elders", status=SchoolStatus.PENDING).created_at = made
    session.commit()
    return pending, period, request


def test_the_day_s_news_comes_in_one_daily_digest_in_the_reader_s_language(
    app_ctx, make, db_session, outbox
):
    coordinator = make.user("coord@nl.example", role="coordinator", countries=("NL",),
                            locale="nl")  # fmt: skip
    assert preferences(coordinator.id)[Kind.COUNTRY_NEWS] == Frequency.DAILY
    pending, _period, request = _news(make, db_session, date(2026, 10, 12))

    [digest] = run_due(TUESDAY, outbox)
    assert digest["To"] == "coord@nl.example"
    assert digest["Subject"] == "Uw herinneringen van vandaag"
    body = digest.get_content()
    assert "Nieuwe School wacht op verificatie" in body
    assert "Kandidaat vraagt aan om ambassadeursschool te worden" in body
    assert "Vragende School vraagt om een mentor" in body
    assert f"/schools/{pending.id}" in body
    assert f"/mentoring/requests/{request.id}" in body
    assert "Elders" not in body  # another country's school
    assert run_due(TUESDAY + timedelta(days=1), outbox) == []  # once


def test_news_chosen_at_once_comes_one_mail_each_and_not_once_handled(
    app_ctx, make, db_session, outbox
):
    coordinator = make.user("coord@nl.example", role="coordinator", countries=("NL",),
                            locale="tr")  # fmt: skip
    set_preferences(coordinator.id, {Kind.COUNTRY_NEWS: Frequency.IMMEDIATELY})
    pending, period, _request = _news(make, db_session, date(2026, 10, 12))
    pending.status = SchoolStatus.VERIFIED  # verified the same day: nothing to tell
    db_session.commit()

    sent = run_due(TUESDAY, outbox)
    assert sorted(message["Subject"] for message in sent) == [
        "Kandidaat elçi okul olmak için başvuruyor",
        "Vragende School bir mentor istiyor",
    ]
    assert all(message["List-Unsubscribe"] for message in sent)
    assert f"/schools/{period.school_id}" in sent[0].get_content() + sent[1].get_content()

    set_preferences(coordinator.id, {Kind.COUNTRY_NEWS: Frequency.NEVER})
    _news(make, db_session, date(2026, 10, 13))
    assert run_due(TUESDAY + timedelta(days=1), outbox) == []


def test_news_of_last_month_is_not_sent(app_ctx, make, db_session, outbox):
    make.user("coord@nl.example", role="coordinator", countries=("NL",))
    _news(make, db_session, date(2026, 9, 1))
    assert run_due(TUESDAY, outbox) == []
