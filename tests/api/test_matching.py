"""Matching through the API: a coordinator's run with explained proposals, confirming it,
the mentor's answers, a school choosing a mentor by hand, and closing the mentoring."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from tests.api.helpers import body, error, invalid
from tests.support.mentoring import add_mentor, add_request, etwinning_school

EN = {"Accept-Language": "en"}


@dataclass
class Pairing:
    mentor: str  # tokens
    school: str  # a member of the school asking for a mentor
    stranger: str  # a member of another Turkish school
    coordinator: str
    mentor_id: int
    paused_id: int
    request_id: int


@pytest.fixture
def pairing(make, db_session, token_for) -> Pairing:
    home = etwinning_school(make, "TR", name="Mentor Anadolu Lisesi")
    profile = add_mentor(make, db_session, home, capacity=2)
    paused = add_mentor(make, db_session, home, paused=True)
    newcomer = make.school("TR", name="Yeni Ortaokul")
    teacher = make.member(newcomer)
    row = add_request(db_session, newcomer, requested_by=teacher)
    return Pairing(
        mentor=token_for(profile.user_id),
        school=token_for(teacher.id),
        stranger=token_for(make.member(make.school("TR")).id),
        coordinator=token_for(make.user(role="coordinator", countries=("TR",)).id),
        mentor_id=profile.id,
        paused_id=paused.id,
        request_id=row.id,
    )


def _state(session, pairing: Pairing) -> tuple[int, RequestStatus]:
    load = session.get(MentorProfile, pairing.mentor_id).load
    return load, session.get(MentoringRequest, pairing.request_id).status


def _explained(proposal: dict) -> None:
    """Same region, any level, any pillar: a fit of 100 in words, part by part."""
    assert proposal["fit"] == proposal["score"] == 100
    assert [
        (part["criterion"], part["label"], part["points"]) for part in proposal["explanation"]
    ] == [
        ("region", "Same region", 30),
        ("level", "Any education level", 30),
        ("pillars", "Any pillar", 40),
    ]


def test_a_run_is_confirmed_accepted_once_and_completed(api, pairing, db_session):
    response = api(
        "POST", "match-runs", token=pairing.coordinator, json={"country": "TR"}, headers=EN
    )
    run = body(response, 201)
    assert response.headers["Location"] == f"http://localhost/api/v1/match-runs/{run['id']}"
    assert (run["country"], run["region"], run["confirmed"]) == ("TR", None, False)
    (proposal,) = run["proposals"]
    assert (proposal["request_id"], proposal["mentor_id"], proposal["run_id"]) == (
        pairing.request_id,
        pairing.mentor_id,
        run["id"],
    )
    assert proposal["status"] == "proposed"
    assert run["total_score"] == proposal["fit"]
    assert (run["discarded"], run["unmatched"]) == (False, [])
    _explained(proposal)
    match_url = f"matches/{proposal['id']}"
    # A draft is the coordinator's: the mentor neither sees nor answers it yet.
    assert body(api("GET", "matches", token=pairing.mentor))["items"] == []
    error(api("POST", f"{match_url}/accept", token=pairing.mentor), 404)

    confirmed = body(api("POST", f"match-runs/{run['id']}/confirm", token=pairing.coordinator))
    assert confirmed["confirmed"] is True
    assert [item["id"] for item in body(api("GET", "matches", token=pairing.mentor))["items"]] == [
        proposal["id"]
    ]
    error(api("POST", f"{match_url}/accept", token=pairing.school), 403, "forbidden")
    accepted = body(api("POST", f"{match_url}/accept", token=pairing.mentor))
    assert accepted["status"] == "active"
    assert accepted["decided_at"] is not None
    assert _state(db_session, pairing) == (1, RequestStatus.MATCHED)
    again = error(api("POST", f"{match_url}/accept", token=pairing.mentor, headers=EN), 409)
    assert again["message"] == "This proposal has already been answered."
    assert _state(db_session, pairing) == (1, RequestStatus.MATCHED)

    done = body(
        api(
            "POST",
            f"{match_url}/complete",
            token=pairing.school,
            json={"feedback": "Very helpful."},
        )
    )
    assert (done["status"], done["finished_at"] is not None) == ("completed", True)
    assert _state(db_session, pairing) == (0, RequestStatus.CLOSED)
    assert db_session.get(Match, proposal["id"]).feedback_school == "Very helpful."
    error(api("POST", f"{match_url}/complete", token=pairing.school, json={}), 409, "conflict")


def test_confirming_twice_changes_nothing(api, pairing):
    run = body(api("POST", "match-runs", token=pairing.coordinator, json={"country": "TR"}), 201)
    first = body(api("POST", f"match-runs/{run['id']}/confirm", token=pairing.coordinator))
    second = body(api("POST", f"match-runs/{run['id']}/confirm", token=pairing.coordinator))
    assert first == second
    assert first["confirmed"] is True


def _propose(api, pairing: Pairing, token: str, mentor_id: int | None = None):
    payload = {"request_id": pairing.request_id, "mentor_id": mentor_id or pairing.mentor_id}
    return api("POST", "matches", token=token, json=payload, headers=EN)


def test_the_school_chooses_a_mentor_by_hand(api, pairing, db_session):
    response = _propose(api, pairing, pairing.school)
    match = body(response, 201)
    assert response.headers["Location"] == f"http://localhost/api/v1/matches/{match['id']}"
    assert (match["request_id"], match["mentor_id"], match["run_id"], match["status"]) == (
        pairing.request_id,
        pairing.mentor_id,
        None,
        "proposed",
    )
    _explained(match)
    assert body(api("GET", f"matches/{match['id']}", token=pairing.mentor)) == match
    # One open proposal per request.
    error(_propose(api, pairing, pairing.coordinator), 409, "conflict")
    assert len(db_session.scalars(select(Match)).all()) == 1


def test_a_proposal_by_hand_is_refused_when_it_cannot_be_made(api, pairing, db_session):
    error(_propose(api, pairing, pairing.stranger), 404, "not_found")  # not their request
    error(_propose(api, pairing, pairing.school, pairing.paused_id), 409, "conflict")
    error(_propose(api, pairing, pairing.school, 999999), 404, "not_found")
    for wrong, field in [
        ({"request_id": str(pairing.request_id), "mentor_id": pairing.mentor_id}, "request_id"),
        ({"request_id": pairing.request_id}, "mentor_id"),
        ({"request_id": pairing.request_id, "mentor_id": True}, "mentor_id"),
    ]:
        assert set(invalid(api("POST", "matches", token=pairing.school, json=wrong))) == {field}
    extra = api("POST", "matches", token=pairing.school, json={"request_id": 1, "score": 99})
    assert set(invalid(extra)) == {"score"}
    assert db_session.scalars(select(Match)).all() == []


@pytest.fixture
def proposed(api, pairing) -> int:
    return body(_propose(api, pairing, pairing.school), 201)["id"]


@pytest.mark.parametrize("answer", [{}, {"reason": ""}, {"reason": "   "}])
def test_a_decline_needs_a_reason(api, pairing, proposed, db_session, answer):
    response = api("POST", f"matches/{proposed}/decline", token=pairing.mentor, json=answer)
    assert set(invalid(response)) == {"reason"}
    assert db_session.get(Match, proposed).status is MatchStatus.PROPOSED


def test_a_decline_with_a_reason_is_stored(api, pairing, proposed, db_session):
    url = f"matches/{proposed}/decline"
    reason = {"reason": " No time this term. "}
    error(api("POST", url, token=pairing.school, json=reason), 403, "forbidden")
    declined = body(api("POST", url, token=pairing.mentor, json=reason))
    assert (declined["status"], declined["decided_at"] is not None) == ("declined", True)
    match = db_session.get(Match, proposed)
    assert (match.status, match.decline_reason) == (MatchStatus.DECLINED, "No time this term.")
    error(api("POST", url, token=pairing.mentor, json=reason), 409, "conflict")
    error(api("POST", f"matches/{proposed}/accept", token=pairing.mentor), 409, "conflict")
    assert _state(db_session, pairing) == (0, RequestStatus.OPEN)


def test_a_proposal_cannot_be_completed_before_it_is_accepted(api, pairing, proposed, db_session):
    error(api("POST", f"matches/{proposed}/complete", token=pairing.school, json={}), 409)
    bad = api(
        "POST", f"matches/{proposed}/complete", token=pairing.school, json={"outcome": "great"}
    )
    assert set(invalid(bad)) == {"outcome"}


def test_ending_early_is_recorded(api, pairing, proposed, db_session):
    body(api("POST", f"matches/{proposed}/accept", token=pairing.mentor))
    ended = body(
        api(
            "POST",
            f"matches/{proposed}/complete",
            token=pairing.mentor,
            json={"outcome": "ended", "feedback": "The school closed."},
        )
    )
    assert ended["status"] == "ended"
    match = db_session.get(Match, proposed)
    assert (match.status, match.feedback_mentor) == (MatchStatus.ENDED, "The school closed.")
    assert _state(db_session, pairing) == (0, RequestStatus.CLOSED)


def test_the_api_discards_a_draft(api, make, db_session, token_for):
    add_mentor(make, db_session, etwinning_school(make, "TR"))
    add_request(db_session, make.school("TR"))
    token = token_for(make.user(role="coordinator", countries=("TR",)).id)
    romanian = token_for(make.user(role="coordinator", countries=("RO",)).id)
    draft = body(api("POST", "match-runs", token=token, json={"country": "TR"}), 201)
    assert len(draft["proposals"]) == 1

    error(api("POST", f"match-runs/{draft['id']}/discard", token=romanian), 404)
    discarded = body(api("POST", f"match-runs/{draft['id']}/discard", token=token))

    assert (discarded["discarded"], discarded["confirmed"], discarded["proposals"]) == (
        True,
        False,
        [],
    )
    assert db_session.scalar(select(func.count()).select_from(Match)) == 0
    error(api("POST", f"match-runs/{draft['id']}/confirm", token=token), 409, "conflict")
    again = body(api("POST", f"match-runs/{draft['id']}/discard", token=token))
    assert again == discarded
