"""Certificates of mentoring: one for each school of a completed match, in the language
of whoever downloads it, for that school's members only."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from app.certificates import codes
from app.certificates.codes import Side
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match
from tests.certificates.support import code_in, pdf_text
from tests.support.mentoring import add_mentor, add_request, etwinning_school, login, po_text

MENTEE = "Şişli Ortaokulu"
MENTOR_SCHOOL = "Beşiktaş Anadolu Lisesi"


def _match(make, db_session, status=MatchStatus.COMPLETED) -> SimpleNamespace:
    """A match of a new school with a mentor, with a member on each side: plain values."""
    mentee = make.school("TR", name=MENTEE)
    mentor_school = etwinning_school(make, "TR", name=MENTOR_SCHOOL)
    make.member(mentee, email="member@example.org", locale="nb")
    profile = add_mentor(make, db_session, mentor_school, email="mentor@example.org", locale="ro")
    request = add_request(db_session, mentee)
    match = Match(
        request_id=request.id,
        mentor_id=profile.id,
        status=status,
        decided_at=datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
        finished_at=datetime(2026, 6, 19, 15, 0, tzinfo=UTC) if status.value != "active" else None,
    )
    db_session.add(match)
    db_session.commit()
    return SimpleNamespace(id=match.id, mentee=mentee.id, mentor_school=mentor_school.id)


def _pdf(client, world, school_id, **query):
    return client.get(
        f"/mentoring/matches/{world.id}/certificate.pdf",
        query_string={"school": school_id, **query},
    )


def test_each_school_gets_its_certificate_in_the_language_of_who_downloads_it(
    app, make, db_session, tmp_path
):
    world = _match(make, db_session)
    member, mentor = login(app, "member@example.org"), login(app, "mentor@example.org")

    mentee_pdf = _pdf(member, world, world.mentee)
    mentor_pdf = _pdf(mentor, world, world.mentor_school)

    assert (mentee_pdf.status_code, mentor_pdf.status_code) == (200, 200)
    assert mentee_pdf.mimetype == mentor_pdf.mimetype == "application/pdf"
    mentee_text = pdf_text(mentee_pdf.data, tmp_path)
    mentor_text = pdf_text(mentor_pdf.data, tmp_path)
    for text, locale in ((mentee_text, "nb"), (mentor_text, "ro")):
        assert MENTEE in text
        assert MENTOR_SCHOOL in text
        assert po_text(locale, "Certificate of mentoring") in text
    # The holder's name stands above the sentence naming the other school.
    assert mentee_text.index(MENTEE) < mentee_text.index(MENTOR_SCHOOL)
    assert mentor_text.index(MENTOR_SCHOOL) < mentor_text.index(MENTEE)

    anyone = app.test_client()
    mentee_page = anyone.get(f"/certificates/{code_in(mentee_text)}?lang=en")
    mentor_page = anyone.get(f"/certificates/{code_in(mentor_text)}?lang=en")
    assert (mentee_page.status_code, mentor_page.status_code) == (200, 200)
    mentee_body, mentor_body = (
        mentee_page.get_data(as_text=True),
        mentor_page.get_data(as_text=True),
    )
    assert f"Mentored by {MENTOR_SCHOOL}" in mentee_body
    assert f"<dd>{MENTEE}</dd>" in mentee_body
    assert f"Mentored {MENTEE}" in mentor_body
    assert f"<dd>{MENTOR_SCHOOL}</dd>" in mentor_body
    assert "From January 12, 2026 to June 19, 2026" in mentor_body


def test_a_school_downloads_only_its_own_certificate(app, make, db_session):
    world = _match(make, db_session)
    make.member(make.school("TR"), email="other@example.org")
    member, mentor = login(app, "member@example.org"), login(app, "mentor@example.org")

    assert _pdf(member, world, world.mentor_school).status_code == 403
    assert _pdf(mentor, world, world.mentee).status_code == 403
    assert _pdf(login(app, "other@example.org"), world, world.mentee).status_code == 404
    assert _pdf(member, world, 999999).status_code == 404
    assert member.get(f"/mentoring/matches/{world.id}/certificate.pdf").status_code == 404
    assert _pdf(app.test_client(), world, world.mentee).status_code == 302


@pytest.mark.parametrize(
    "status", [MatchStatus.ACTIVE, MatchStatus.ENDED, MatchStatus.DECLINED, MatchStatus.PROPOSED]
)
def test_a_mentoring_not_completed_has_no_certificate(app, make, db_session, status):
    world = _match(make, db_session, status=status)
    member = login(app, "member@example.org")

    assert _pdf(member, world, world.mentee).status_code == 404
    with app.app_context():
        code = codes.for_match(world.id, Side.MENTORED)
    assert member.get(f"/certificates/{code}").status_code == 404
    assert "certificate.pdf" not in member.get(f"/mentoring/matches/{world.id}").get_data(
        as_text=True
    )


def test_the_match_page_links_each_side_to_its_own_certificate(app, make, db_session):
    world = _match(make, db_session)

    member_page = login(app, "member@example.org").get(f"/mentoring/matches/{world.id}")
    mentor_page = login(app, "mentor@example.org").get(f"/mentoring/matches/{world.id}")

    link = f"/mentoring/matches/{world.id}/certificate.pdf?school="
    assert f"{link}{world.mentee}" in member_page.get_data(as_text=True)
    assert f"{link}{world.mentor_school}" not in member_page.get_data(as_text=True)
    assert f"{link}{world.mentor_school}" in mentor_page.get_data(as_text=True)
    assert f"{link}{world.mentee}" not in mentor_page.get_data(as_text=True)


def test_once_the_mentor_has_left_only_the_mentored_school_has_one(app, make, db_session, tmp_path):
    world = _match(make, db_session)
    db_session.get(Match, world.id).mentor_id = None
    db_session.commit()
    member = login(app, "member@example.org")

    response = _pdf(member, world, world.mentee, lang="en")

    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert MENTEE in text
    assert MENTOR_SCHOOL not in text
    with app.app_context():
        code = codes.for_match(world.id, Side.MENTOR)
    assert member.get(f"/certificates/{code}").status_code == 404
    assert member.get(f"/certificates/{code_in(text)}").status_code == 200
