"""The other writes: registering and editing schools, mentor profiles, mentoring requests."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.enums import MembershipRole
from app.accounts.models import Membership
from app.mentoring.enums import RequestStatus
from app.mentoring.models import MentoringRequest, MentorProfile
from app.schools.enums import SchoolStatus
from app.schools.models import School
from tests.api.helpers import body, error, invalid
from tests.support.mentoring import add_mentor, etwinning_school

SCHOOL = {
    "name": "Bornova Anadolu Lisesi",
    "region": "TR-35",
    "city": "İzmir",
    "website": "https://bornova.example",
    "levels": ["lower_secondary", "upper_secondary"],
    "languages": ["en", "tr"],
    "contact_email": "Head@Bornova.example",
}


def test_a_member_registers_a_school_that_waits_for_verification(api, make, token_for, db_session):
    user_id = make.user().id
    token = token_for(user_id)
    response = api("POST", "schools", token=token, json=SCHOOL)
    school = body(response, 201)
    assert response.headers["Location"] == f"http://localhost/api/v1/schools/{school['id']}"
    assert (school["status"], school["country"], school["region"]) == ("pending", "TR", "TR-35")
    assert (school["levels"], school["languages"]) == (SCHOOL["levels"], ["en", "tr"])
    assert school["contact_email"] == "head@bornova.example"  # its new admin sees it
    membership = db_session.scalar(select(Membership).where(Membership.user_id == user_id))
    assert (membership.school_id, membership.role) == (school["id"], MembershipRole.ADMIN)
    assert body(api("GET", f"schools/{school['id']}", token=token))["status"] == "pending"
    error(api("GET", f"schools/{school['id']}"), 404)  # not public until verified


def test_a_coordinator_registers_a_verified_school_of_their_country(api, two, token_for):
    token = token_for(two.coordinator["TR"])
    assert body(api("POST", "schools", token=token, json=SCHOOL), 201)["status"] == "verified"
    romanian = {**SCHOOL, "name": "Liceul Nou", "region": "RO-CJ"}
    assert body(api("POST", "schools", token=token, json=romanian), 201)["status"] == "pending"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"region": "TR-99"}, "region"),
        ({"website": "bornova"}, "website"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"status": "verified"}, "status"),
        ({"country": "RO"}, "country"),
        ({"motto": "Per aspera"}, "motto"),
    ],
)
def test_a_refused_school_is_not_saved(api, make, token_for, db_session, changes, field):
    token = token_for(make.user().id)
    before = db_session.scalar(select(func.count()).select_from(School))
    assert set(invalid(api("POST", "schools", token=token, json={**SCHOOL, **changes}))) == {field}
    assert db_session.scalar(select(func.count()).select_from(School)) == before


@pytest.fixture
def admin_of(make, token_for, db_session):
    school = make.school("TR", name="Konak Ortaokulu", city="İzmir", pupil_count=320)
    admin = make.member(school, role=MembershipRole.ADMIN)
    return school.id, token_for(admin.id)


def test_a_school_admin_changes_one_field_and_keeps_the_others(api, admin_of, db_session):
    school_id, token = admin_of
    url = f"schools/{school_id}"
    before = body(api("GET", url, token=token))
    after = body(api("PATCH", url, token=token, json={"city": "Karşıyaka"}))
    assert after == {**before, "city": "Karşıyaka"}
    assert db_session.get(School, school_id).city == "Karşıyaka"


def test_only_a_coordinator_moves_a_school_to_another_country(api, admin_of, db_session):
    school_id, token = admin_of
    url = f"schools/{school_id}"
    assert set(invalid(api("PATCH", url, token=token, json={"region": "RO-CJ"}))) == {"region"}
    assert set(invalid(api("PATCH", url, token=token, json={"status": "verified"}))) == {"status"}
    school = db_session.get(School, school_id)
    assert (school.country_code, school.status) == ("TR", SchoolStatus.VERIFIED)
    assert body(api("PATCH", url, token=token, json={"region": "TR-06"}))["region"] == "TR-06"


# Mentor profiles ------------------------------------------------------------------------

PROFILE = {
    "capacity": 3,
    "languages": ["en", "tr"],
    "modes": ["online"],
    "pillars": ["collaboration"],
}


def test_a_teacher_of_an_etwinning_school_becomes_a_mentor_once(api, make, token_for, db_session):
    school = etwinning_school(make, "TR")
    school_id, region = school.id, school.region_code
    token = token_for(make.member(school).id)
    mentor = body(api("POST", "mentors", token=token, json=PROFILE), 201)
    assert {name: mentor[name] for name in PROFILE} == PROFILE
    assert (mentor["school_id"], mentor["region"], mentor["load"]) == (school_id, region, 0)
    assert db_session.get(MentorProfile, mentor["id"]).capacity == 3
    error(api("POST", "mentors", token=token, json=PROFILE), 409, "conflict")


def test_a_teacher_without_a_labelled_school_cannot_mentor(api, make, token_for, db_session):
    token = token_for(make.member(make.school("TR")).id)
    error(api("POST", "mentors", token=token, json=PROFILE), 403, "forbidden")
    assert db_session.scalars(select(MentorProfile)).all() == []


def test_a_mentor_changes_only_their_own_profile(api, make, token_for, db_session):
    school = etwinning_school(make, "TR")
    profile = add_mentor(make, db_session, school, capacity=3, load=2)
    profile_id, mine = profile.id, token_for(profile.user_id)
    url = f"mentors/{profile_id}"
    error(api("PATCH", url, token=token_for(make.member(school).id), json={"paused": True}), 403)
    assert set(invalid(api("PATCH", url, token=mine, json={"capacity": 1}))) == {"capacity"}
    assert set(invalid(api("PATCH", url, token=mine, json={"load": 0}))) == {"load"}
    paused = body(api("PATCH", url, token=mine, json={"paused": True}))
    assert (paused["paused"], paused["capacity"], paused["load"]) == (True, 3, 2)
    assert db_session.get(MentorProfile, profile_id).paused is True


# Mentoring requests -----------------------------------------------------------------------


def test_a_school_asks_for_a_mentor_and_withdraws(api, make, token_for, db_session):
    school = make.school("TR")
    token = token_for(make.member(school).id)
    payload = {"school_id": school.id, "languages": ["tr"], "message": " Help us grow. "}
    response = api("POST", "mentoring-requests", token=token, json=payload)
    row = body(response, 201)
    assert response.headers["Location"].endswith(f"/api/v1/mentoring-requests/{row['id']}")
    assert (row["status"], row["message"], row["mode"]) == ("open", "Help us grow.", "hybrid")
    url = f"mentoring-requests/{row['id']}"
    withdrawn = body(api("PATCH", url, token=token, json={"status": "withdrawn"}))
    assert withdrawn["status"] == "withdrawn"
    assert db_session.get(MentoringRequest, row["id"]).status is RequestStatus.WITHDRAWN
    error(api("PATCH", url, token=token, json={"message": "Again"}), 409, "conflict")


def test_a_request_is_only_for_ones_own_school(api, two, token_for, db_session):
    token = token_for(two.member["TR"])
    other = {"school_id": two.school["RO"], "languages": ["ro"]}
    error(api("POST", "mentoring-requests", token=token, json=other), 403, "forbidden")
    own = {"school_id": two.school["TR"], "languages": []}
    assert set(invalid(api("POST", "mentoring-requests", token=token, json=own))) == {"languages"}
    assert db_session.scalar(select(func.count()).select_from(MentoringRequest)) == 2


def test_a_request_with_a_proposal_cannot_be_withdrawn(api, two, token_for, db_session):
    url = f"mentoring-requests/{two.request['TR']}"
    response = api("PATCH", url, token=token_for(two.member["TR"]), json={"status": "withdrawn"})
    error(response, 409, "conflict")
    assert db_session.get(MentoringRequest, two.request["TR"]).status is RequestStatus.OPEN
