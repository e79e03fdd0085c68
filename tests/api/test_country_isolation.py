"""A coordinator's token never returns another country's private rows, and cannot act
on another country: requests, matches, paused mentors, pending schools, dashboards, runs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.mentoring.models import MatchRun
from tests.api.helpers import body, error, every_page, ids, invalid


@pytest.fixture
def tr_token(two, token_for) -> str:
    return token_for(two.coordinator["TR"])


def test_requests_of_another_country_are_not_listed(api, two, tr_token):
    items, _pages = every_page(api, "mentoring-requests", tr_token)
    assert ids(items) == [two.request["TR"]]
    assert {item["country"] for item in items} == {"TR"}
    assert body(api("GET", "mentoring-requests?country=RO", token=tr_token))["items"] == []


def test_a_request_of_another_country_is_not_found(api, two, tr_token):
    assert (
        body(api("GET", f"mentoring-requests/{two.request['TR']}", token=tr_token))["id"]
        == (two.request["TR"])
    )
    error(api("GET", f"mentoring-requests/{two.request['RO']}", token=tr_token), 404, "not_found")
    patch = api("PATCH", f"mentoring-requests/{two.request['RO']}", token=tr_token, json={})
    error(patch, 404, "not_found")


def test_matches_of_another_country_are_not_listed(api, two, tr_token):
    items, _pages = every_page(api, "matches", tr_token)
    assert ids(items) == [two.match["TR"]]
    error(api("GET", f"matches/{two.match['RO']}", token=tr_token), 404)


def test_paused_mentors_are_seen_only_in_ones_own_country(api, two, token_for, tr_token):
    taking = {two.mentor["TR"], two.mentor["RO"]}
    anonymous, _pages = every_page(api, "mentors")
    assert set(ids(anonymous)) == taking
    coordinator, _pages = every_page(api, "mentors", tr_token)
    assert set(ids(coordinator)) == taking | {two.paused["TR"]}
    paused = {item["id"]: item["paused"] for item in coordinator}
    assert paused[two.paused["TR"]] is True
    romanian, _pages = every_page(api, "mentors", token_for(two.coordinator["RO"]))
    assert set(ids(romanian)) == taking | {two.paused["RO"]}


def test_pending_schools_stay_hidden_from_other_countries(api, two, token_for, tr_token):
    listed, _pages = every_page(api, "schools", tr_token)
    assert set(ids(listed)) == {two.school["TR"], two.school["RO"]}  # verified ones only
    own = body(api("GET", f"schools/{two.pending['TR']}", token=tr_token))
    assert (own["status"], own["country"]) == ("pending", "TR")
    error(api("GET", f"schools/{two.pending['RO']}", token=tr_token), 404, "not_found")
    error(api("GET", f"schools/{two.pending['RO']}"), 404, "not_found")
    romanian = token_for(two.coordinator["RO"])
    assert body(api("GET", f"schools/{two.pending['RO']}", token=romanian))["status"] == "pending"


def test_private_school_fields_only_for_those_who_may_edit(api, two, tr_token):
    own = body(api("GET", f"schools/{two.school['TR']}", token=tr_token))
    other = body(api("GET", f"schools/{two.school['RO']}", token=tr_token))
    assert (own["pupil_count"], own["contact_name"], own["contact_email"]) == (
        400,
        "Contact TR",
        "contact.tr@example.org",
    )
    assert (other["pupil_count"], other["contact_name"], other["contact_email"]) == (
        None,
        None,
        None,
    )
    error(
        api("PATCH", f"schools/{two.school['RO']}", token=tr_token, json={"city": "Iasi"}),
        403,
        "forbidden",
    )


def test_another_countrys_dashboard_is_forbidden(api, two, tr_token):
    own = body(api("GET", "dashboards/TR", token=tr_token))
    assert own["country"] == "TR"
    assert own["total"]["schools"] >= 1
    error(api("GET", "dashboards/RO", token=tr_token), 403, "forbidden")
    error(api("GET", "dashboards/ro", token=tr_token), 403, "forbidden")


def test_a_matching_run_for_another_country_is_refused(api, two, tr_token, db_session):
    # The run form only offers the coordinator's own countries: RO is not a valid choice.
    assert set(invalid(api("POST", "match-runs", token=tr_token, json={"country": "RO"}))) == {
        "country"
    }
    region = api("POST", "match-runs", token=tr_token, json={"country": "TR", "region": "RO-CJ"})
    assert set(invalid(region)) == {"region"}
    assert db_session.scalar(select(func.count()).select_from(MatchRun)) == 0


def test_another_countrys_run_is_not_found(api, two, tr_token, token_for):
    romanian = token_for(two.coordinator["RO"])
    run = body(api("POST", "match-runs", token=romanian, json={"country": "RO"}), 201)
    assert run["country"] == "RO"
    before = body(api("GET", f"match-runs/{run['id']}", token=romanian))
    error(api("GET", f"match-runs/{run['id']}", token=tr_token), 404)
    error(api("POST", f"match-runs/{run['id']}/confirm", token=tr_token), 404)
    # The refused confirmation changed nothing (a run without proposals is settled at once).
    assert body(api("GET", f"match-runs/{run['id']}", token=romanian)) == before
