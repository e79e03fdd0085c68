"""A run that can propose nothing is not kept as a draft: it lists each request it left
out with the reason, in every language, and the schools can read why at once."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from app.core.enums import Mode
from app.core.i18n import LOCALES
from app.mentoring.models import MatchRun
from tests.mentoring.test_mentoring_explanations import (
    _UNMATCHED,
    po_plural,
    region,
    run_for_turkey,
)
from tests.support.mentoring import add_mentor, add_request, etwinning_school, login, po_text

FULL = "All mentors who fit are full."
IN_PERSON = "No mentor for in-person mentoring in this region."


@pytest.mark.parametrize("locale", LOCALES)
def test_a_run_without_proposals_lists_every_request_with_its_reason(app, make, db_session, locale):
    place = region(db_session, "TR-01")
    add_mentor(make, db_session, etwinning_school(make, "TR", region=place), capacity=1, load=1)
    full = add_request(db_session, make.school("TR", region=place, name="Dolu Okul"))
    far = add_request(
        db_session,
        make.school("TR", region=region(db_session, "TR-34"), name="Uzak Okul"),
        mode=Mode.IN_PERSON,
    )
    ids = full.id, far.id

    coordinator, run_id = run_for_turkey(app, make)
    page = coordinator.get(f"/mentoring/runs/{run_id}?lang={locale}").get_data(as_text=True)

    reasons = {
        int(request_id): html.unescape(text) for request_id, text in _UNMATCHED.findall(page)
    }
    assert reasons == {ids[0]: po_text(locale, FULL), ids[1]: po_text(locale, IN_PERSON)}
    text = html.unescape(page)
    left = po_plural(
        locale,
        "%(num)s request left without a proposal",
        "%(num)s requests left without a proposal",
        2,
    )
    assert left % {"num": 2} in text
    assert po_text(locale, "nothing to confirm") in text
    assert "/discard" not in page
    assert "/confirm" not in page
    db_session.expire_all()
    run = db_session.scalar(select(MatchRun).where(MatchRun.id == run_id))
    assert (run.proposals, run.unmatched, run.confirmed_at is not None) == (0, 2, True)


def test_the_school_reads_why_an_empty_run_left_it_out(app, make, db_session):
    school = make.school("TR", region=region(db_session, "TR-34"), name="Uzak Okul")
    make.member(school, email="teacher@example.org")
    request_id = add_request(db_session, school).id  # and not a mentor in the country
    run_for_turkey(app, make)

    page = login(app, "teacher@example.org").get(f"/mentoring/requests/{request_id}?lang=tr")

    reason = po_text("tr", "The last matching run could not propose a mentor: %(reason)s")
    nobody = po_text("tr", "No mentor is available in this country.")
    assert reason % {"reason": nobody} in html.unescape(page.get_data(True))
