"""A mentor decides with the school in view: its message and needs, the fit on a scale of
100, contacts once accepted; accepting starts the mentoring; closing asks for the outcome."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match, MentoringRequest
from tests.mentoring.test_mentoring import accepted, asked, pair  # noqa: F401
from tests.support.mentoring import po_text


def _page(browser, match_id: int, lang: str = "en") -> str:
    response = browser.get(f"/mentoring/matches/{match_id}?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _with_needs(db_session, request_id: int) -> None:
    row = db_session.get(MentoringRequest, request_id)
    row.message = "We would love help with our first project on climate."
    row.pillars = ["collaboration"]
    row.languages = ["tr", "en"]
    db_session.commit()


def test_a_proposal_shows_the_school_its_message_needs_and_fit(asked, db_session):  # noqa: F811
    _with_needs(db_session, asked.request_id)

    body = _page(asked.mentor, asked.match_id)

    assert "Yeni Ortaokul" in body
    assert "We would love help with our first project on climate." in body
    assert "pillar-badge pillar-collaboration" in body
    assert re.search(r"Turkish, English|English, Turkish", body)
    score = db_session.get(Match, asked.match_id).score
    assert f"Fit: {round(score)} out of 100" in body
    # Nobody's e-mail before the mentor says yes.
    assert "mailto:" not in body
    assert "head@example.org" not in body


def test_accepting_starts_the_mentoring_and_shows_both_sides_contacts(asked, db_session):  # noqa: F811
    response = asked.mentor.post(f"/mentoring/matches/{asked.match_id}/accept")

    assert response.status_code == 302
    assert db_session.scalar(select(Match.status).where(Match.id == asked.match_id)) is (
        MatchStatus.ACTIVE
    )
    for browser in (asked.mentor, asked.school):
        body = _page(browser, asked.match_id)
        assert "mailto:mentor@example.org" in body
        assert "mailto:head@example.org" in body
        assert "mailto:teacher@example.org" in body
        assert "/start" not in body
    assert asked.school.post(f"/mentoring/matches/{asked.match_id}/start").status_code == 404


def test_closing_asks_for_the_outcome_with_none_chosen(accepted, db_session):  # noqa: F811
    body = _page(accepted.mentor, accepted.match_id)
    radios = re.findall(r'<input[^>]*name="outcome"[^>]*>', body)
    assert len(radios) == 2
    assert not any("checked" in radio for radio in radios)

    response = accepted.mentor.post(
        f"/mentoring/matches/{accepted.match_id}/finish?lang=nl", data={"feedback": "Fijn."}
    )

    assert response.status_code == 422
    assert po_text("nl", "Choose how the mentoring ended.") in response.get_data(as_text=True)
    match = db_session.get(Match, accepted.match_id)
    db_session.refresh(match)
    assert (match.status, match.finished_at) == (MatchStatus.ACTIVE, None)
