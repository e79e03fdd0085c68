"""Mentoring through the web: mentor profiles, requests, the coordinators' matching runs,
a school asking a mentor directly, and a match from the mentor's answer to its end.

Every step is taken by a signed-in browser; the database is then read to check what
was stored, what was audited and what was sent.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership, User
from app.activities.enums import ActivityType, Visibility
from app.activities.models import Activity
from app.core.enums import Mode
from app.core.mail import memory_outbox
from app.core.models import AuditEntry, Notification
from app.geography.models import Region
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.matching import engine
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from app.schools.enums import SchoolStatus
from app.schools.models import School, SchoolLanguage
from tests.mentoring import matching_reference as reference
from tests.support.mentoring import (
    add_mentor,
    add_request,
    audit_trail,
    etwinning_school,
    login,
    mentor_spec,
    po_text,
    request_spec,
    score_boxes,
    this_school_year,
    today,
)
from tests.support.web import link_in, path_of

NEXT_YEAR = datetime.now(UTC).year + 1


@pytest.fixture(autouse=True)
def outbox():
    memory_outbox.clear()
    yield memory_outbox
    memory_outbox.clear()


# Helpers -------------------------------------------------------------------------


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def fresh(session, model, row_id):
    """The row as stored now (requests end the sessions their objects came from)."""
    session.expire_all()
    return session.get(model, row_id)


_FIELD_START = re.compile(r'<div class="mb-3|<fieldset class="mb-3')
_FEEDBACK = re.compile(r'<div class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', re.S)


def field_errors(body: str, name: str) -> list[str]:
    """The error messages shown in the block of the form field called ``name``."""
    for block in _FIELD_START.split(body)[1:]:
        if f'name="{name}"' in block:
            return [html.unescape(text.strip()) for text in _FEEDBACK.findall(block)]
    raise AssertionError(f"no field {name!r} on the page")


def checked(body: str, name: str) -> set[str]:
    """The values of the checked checkboxes or radio buttons called ``name``."""
    values = set()
    for tag in re.findall(r"<input[^>]*>", body):
        if f'name="{name}"' in tag and re.search(r"\schecked(\s|>|=)", tag):
            values.add(re.search(r'value="([^"]*)"', tag).group(1))
    return values


def ranked_mentor_ids(body: str, request_id: int) -> list[int]:
    """The mentors offered on a request page, in the order shown."""
    pattern = rf'action="/mentoring/requests/{request_id}/ask/(\d+)"'
    return [int(value) for value in re.findall(pattern, body)]


def match_links(body: str) -> set[int]:
    return {int(value) for value in re.findall(r'href="/mentoring/matches/(\d+)"', body)}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def mails_to(address: str) -> list:
    return [message for message in memory_outbox if message["To"] == address]


def region(session, code: str) -> Region:
    return session.get(Region, code)


# Mentor profiles ---------------------------------------------------------------------


def profile_form(school_id: int, **overrides) -> dict:
    data = {
        "school": str(school_id),
        "capacity": "3",
        "languages": ["tr", "en"],
        "levels": ["primary", "lower_secondary"],
        "pillars": ["collaboration"],
        "regions": [],
        "modes": ["online"],
        "available_until": "",
        "bio": "  Ten years of eTwinning projects.  ",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def profile_of(session, user_id: int) -> MentorProfile | None:
    session.expire_all()
    return session.scalar(select(MentorProfile).where(MentorProfile.user_id == user_id))


def test_a_teacher_of_an_etwinning_school_becomes_a_mentor(client, auth, make, db_session):
    school = etwinning_school(make, "TR", name="Atatürk Anadolu Lisesi")
    teacher = make.member(school, email="ayse.teacher@example.org")
    school_id, region_code, teacher_id = school.id, school.region_code, teacher.id
    auth.login("ayse.teacher@example.org")

    form = client.get("/mentoring/profile")
    assert form.status_code == 200
    assert "Your mentor profile" in form.get_data(as_text=True)

    response = client.post("/mentoring/profile", data=profile_form(school_id))

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mentoring/")
    profile = profile_of(db_session, teacher_id)
    assert (profile.school_id, profile.country_code) == (school_id, "TR")
    assert profile.region_code == region_code
    assert (profile.capacity, profile.load, profile.paused) == (3, 0, False)
    assert profile.languages == ["en", "tr"]
    assert profile.levels == ["lower_secondary", "primary"]
    assert profile.pillars == ["collaboration"]
    assert (profile.regions, profile.modes) == ([], ["online"])
    assert profile.bio == "Ten years of eTwinning projects."
    overview = client.get("/mentoring/").get_data(as_text=True)
    assert "You mentor 0 schools now." in overview
    assert "Your capacity is 3 schools at a time." in overview


def test_a_teacher_of_an_ambassador_school_may_mentor(client, auth, make, db_session):
    school = make.school("RO")  # no eTwinning School label, but an ambassador school
    make.ambassador(school)
    teacher = make.member(school, email="ioana.teacher@example.org")
    school_id, teacher_id = school.id, teacher.id
    auth.login("ioana.teacher@example.org")

    response = client.post(
        "/mentoring/profile", data=profile_form(school_id, languages=["ro"], capacity="1")
    )

    assert response.status_code == 302
    profile = profile_of(db_session, teacher_id)
    assert (profile.country_code, profile.capacity, profile.languages) == ("RO", 1, ["ro"])


def _no_label(make):
    return make.school("TR")


def _expired_label(make):
    return make.school("TR", label_year=this_school_year() - 2)


def _label_of_next_year(make):
    return make.school("TR", label_year=this_school_year() + 1)


def _pending_school(make):
    return make.school("TR", label_year=this_school_year(), status=SchoolStatus.PENDING)


def _past_ambassador(make):
    school = make.school("TR")
    make.ambassador(school, today=today() - timedelta(days=400))  # ended 100 days ago
    return school


@pytest.mark.parametrize(
    "school_of",
    [_no_label, _expired_label, _label_of_next_year, _pending_school, _past_ambassador],
    ids=["no-label", "expired-label", "label-not-begun", "pending-school", "past-ambassador"],
)
def test_only_teachers_of_label_or_ambassador_schools_may_mentor(
    client, auth, make, db_session, school_of
):
    school = school_of(make)
    make.member(school, email="teacher@example.org")
    school_id = school.id
    auth.login("teacher@example.org")

    assert client.get("/mentoring/profile").status_code == 403
    refused = client.post("/mentoring/profile", data=profile_form(school_id))

    assert refused.status_code == 403
    assert "Mentors are teachers of an eTwinning School" in refused.get_data(as_text=True)
    assert count(db_session, MentorProfile) == 0


@pytest.mark.parametrize("membership", ["none", "pending"])
def test_someone_who_does_not_teach_at_the_school_may_not_mentor_for_it(
    client, auth, make, db_session, membership
):
    school = etwinning_school(make, "TR")
    user = make.user("outsider@example.org")
    if membership == "pending":
        db_session.add(
            Membership(
                user_id=user.id,
                school_id=school.id,
                role=MembershipRole.MEMBER,
                status=MembershipStatus.PENDING,
            )
        )
        db_session.commit()
    school_id = school.id
    auth.login("outsider@example.org")

    assert client.get("/mentoring/profile").status_code == 403
    assert client.post("/mentoring/profile", data=profile_form(school_id)).status_code == 403
    assert count(db_session, MentorProfile) == 0


@pytest.mark.parametrize("capacity", ["1", "10"])
def test_the_capacity_may_be_one_to_ten(client, auth, make, db_session, capacity):
    school = etwinning_school(make, "TR")
    teacher = make.member(school, email="teacher@example.org")
    school_id, teacher_id = school.id, teacher.id
    auth.login("teacher@example.org")

    response = client.post("/mentoring/profile", data=profile_form(school_id, capacity=capacity))

    assert response.status_code == 302
    assert profile_of(db_session, teacher_id).capacity == int(capacity)


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        ("0", "This field is required."),
        ("11", "Number must be between 1 and 10."),
        ("-2", "Number must be between 1 and 10."),
        ("two", "This field is required."),
        ("", "This field is required."),
    ],
)
def test_a_capacity_outside_one_to_ten_is_refused(
    client, auth, make, db_session, capacity, message
):
    school = etwinning_school(make, "TR")
    make.member(school, email="teacher@example.org")
    school_id = school.id
    auth.login("teacher@example.org")

    response = client.post(
        "/mentoring/profile",
        data=profile_form(school_id, capacity=capacity),
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), "capacity")
    assert count(db_session, MentorProfile) == 0


@pytest.mark.parametrize("field", ["languages", "modes"])
def test_a_mentor_names_at_least_one_language_and_one_mode(client, auth, make, db_session, field):
    school = etwinning_school(make, "TR")
    make.member(school, email="teacher@example.org")
    school_id = school.id
    auth.login("teacher@example.org")

    response = client.post("/mentoring/profile", data=profile_form(school_id, **{field: []}))

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), field) == ["Choose at least one."]
    assert count(db_session, MentorProfile) == 0


def test_the_capacity_cannot_go_below_the_schools_mentored_now(client, auth, make, db_session):
    school = etwinning_school(make, "TR")
    profile = add_mentor(make, db_session, school, email="mentor@example.org", capacity=3, load=2)
    profile_id, school_id = profile.id, school.id
    auth.login("mentor@example.org")

    refused = client.post("/mentoring/profile", data=profile_form(school_id, capacity="1"))

    assert refused.status_code == 422
    assert field_errors(refused.get_data(as_text=True), "capacity") == [
        "You mentor 2 schools now; the capacity cannot be lower."
    ]
    assert fresh(db_session, MentorProfile, profile_id).capacity == 3

    accepted = client.post("/mentoring/profile", data=profile_form(school_id, capacity="2"))

    assert accepted.status_code == 302
    stored = fresh(db_session, MentorProfile, profile_id)
    assert (stored.capacity, stored.load) == (2, 2)


def test_in_person_the_regions_served_count_online_the_whole_country(
    app, client, auth, make, db_session
):
    own, served, elsewhere = "TR-01", "TR-06", "TR-34"
    school = etwinning_school(make, "TR", region=region(db_session, own))
    romanian = etwinning_school(make, "RO", region=region(db_session, "RO-AB"))
    teacher = make.member(school, email="mentor@example.org")
    db_session.add(
        Membership(
            user_id=teacher.id,
            school_id=romanian.id,
            role=MembershipRole.MEMBER,
            status=MembershipStatus.APPROVED,
        )
    )
    db_session.commit()
    school_id, teacher_id = school.id, teacher.id
    auth.login("mentor@example.org")

    response = client.post(
        "/mentoring/profile",
        data=profile_form(school_id, languages=["tr", "ro"], regions=[served, "RO-AB", "RO-CJ"]),
    )

    assert response.status_code == 302
    profile = profile_of(db_session, teacher_id)
    assert (profile.region_code, profile.regions) == (own, [served])
    mentor_id = profile.id

    requests = {}
    for code in (own, served, elsewhere):
        requesting = make.school("TR", region=region(db_session, code))
        # In person elsewhere: no. The mentor meets online only (profile_form).
        mode = Mode.IN_PERSON if code == elsewhere else Mode.HYBRID
        requests[code] = add_request(db_session, requesting, languages=["tr"], mode=mode).id
    online_elsewhere = add_request(
        db_session, make.school("TR", region=region(db_session, elsewhere)), mode=Mode.ONLINE
    ).id
    romanian_request = add_request(
        db_session, make.school("RO", region=region(db_session, "RO-AB")), languages=["ro"]
    ).id
    make.user("root@example.org", role="admin")
    admin = login(app, "root@example.org")

    def offered(request_id: int) -> bool:
        body = admin.get(f"/mentoring/requests/{request_id}").get_data(as_text=True)
        return mentor_id in ranked_mentor_ids(body, request_id)

    assert offered(requests[own])
    assert offered(requests[served])
    assert not offered(requests[elsewhere])
    assert offered(online_elsewhere)  # online, the whole country is served
    assert not offered(romanian_request)


def test_a_paused_mentor_is_not_offered_proposed_or_asked(app, client, auth, make, db_session):
    school = etwinning_school(make, "TR")
    teacher = make.member(school, email="mentor@example.org")
    school_id, teacher_id = school.id, teacher.id
    auth.login("mentor@example.org")
    assert client.post("/mentoring/profile", data=profile_form(school_id)).status_code == 302
    mentor_id = profile_of(db_session, teacher_id).id
    requesting = make.school("TR")
    make.member(requesting, email="new.teacher@example.org")
    request_id = add_request(db_session, requesting, languages=["tr"]).id
    school_side = login(app, "new.teacher@example.org")
    page = f"/mentoring/requests/{request_id}"
    assert ranked_mentor_ids(school_side.get(page).get_data(as_text=True), request_id) == [
        mentor_id
    ]

    paused = client.post("/mentoring/profile", data=profile_form(school_id, paused="y"))

    assert paused.status_code == 302
    assert profile_of(db_session, teacher_id).paused is True
    assert "Your profile is paused." in client.get("/mentoring/").get_data(as_text=True)
    assert ranked_mentor_ids(school_side.get(page).get_data(as_text=True), request_id) == []
    asked = school_side.post(f"/mentoring/requests/{request_id}/ask/{mentor_id}")
    assert asked.status_code == 302
    assert count(db_session, Match) == 0
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    coordinator = login(app, "coord.tr@example.org")
    run = coordinator.post("/mentoring/run", data={"country": "TR", "region": ""})
    assert run.status_code == 302
    assert count(db_session, Match) == 0
    assert memory_outbox == []

    client.post("/mentoring/profile", data=profile_form(school_id))  # back from the pause

    assert profile_of(db_session, teacher_id).paused is False
    assert ranked_mentor_ids(school_side.get(page).get_data(as_text=True), request_id) == [
        mentor_id
    ]


# Mentoring requests ------------------------------------------------------------------


def request_form(**overrides) -> dict:
    data = {
        "pillars": ["collaboration", "inclusive_innovative"],
        "languages": ["tr", "en"],
        "levels": ["primary"],
        "mode": "online",
        "message": "  We are new to eTwinning.  ",
    }
    data.update(overrides)
    return data


def test_a_school_member_asks_for_a_mentor(client, auth, make, db_session):
    school = make.school("TR", name="Yeni Okul")
    db_session.add(SchoolLanguage(school_id=school.id, language="tr"))
    db_session.commit()
    member = make.member(school, email="new.teacher@example.org")
    school_id, region_code, member_id = school.id, school.region_code, member.id
    auth.login("new.teacher@example.org")

    form = client.get(f"/mentoring/requests/new?school={school_id}")
    assert form.status_code == 200
    assert checked(form.get_data(as_text=True), "languages") == {"tr"}  # the school's languages

    response = client.post(f"/mentoring/requests/new?school={school_id}", data=request_form())

    assert response.status_code == 302
    row = db_session.scalar(select(MentoringRequest))
    assert response.headers["Location"].endswith(f"/mentoring/requests/{row.id}")
    assert (row.school_id, row.country_code, row.region_code) == (school_id, "TR", region_code)
    assert (row.requested_by_id, row.status, row.mode) == (
        member_id,
        RequestStatus.OPEN,
        Mode.ONLINE,
    )
    assert row.languages == ["en", "tr"]
    assert row.pillars == ["collaboration", "inclusive_innovative"]
    assert (row.levels, row.message) == (["primary"], "We are new to eTwinning.")
    assert audit_trail(db_session, "mentoring_request", row.id) == [
        ("mentoring.request", member_id, "TR")
    ]
    page = client.get(f"/mentoring/requests/{row.id}").get_data(as_text=True)
    assert "No mentor has been proposed yet." in page
    assert f'href="/mentoring/requests/{row.id}"' in client.get("/mentoring/").get_data(
        as_text=True
    )


def test_a_coordinator_asks_on_the_schools_behalf(app, client, auth, make, db_session):
    school = make.school("TR", name="Yeni Okul")
    make.member(school, email="new.teacher@example.org")
    coordinator = make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    school_id, coordinator_id = school.id, coordinator.id
    auth.login("coord.tr@example.org")

    response = client.post(
        f"/mentoring/requests/new?school={school_id}", data=request_form(mode="hybrid")
    )

    assert response.status_code == 302
    row = db_session.scalar(select(MentoringRequest))
    assert (row.school_id, row.requested_by_id, row.mode) == (
        school_id,
        coordinator_id,
        Mode.HYBRID,
    )
    assert audit_trail(db_session, "mentoring_request", row.id) == [
        ("mentoring.request", coordinator_id, "TR")
    ]
    assert client.get(f"/mentoring/requests/{row.id}").status_code == 200
    school_side = login(app, "new.teacher@example.org")
    assert school_side.get(f"/mentoring/requests/{row.id}").status_code == 200


def test_nobody_else_asks_for_a_school(app, client, auth, make, db_session):
    school_id = make.school("TR").id
    hidden_id = make.school("TR", status=SchoolStatus.PENDING).id
    other = make.school("TR")
    make.member(other, email="other.teacher@example.org")
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    auth.login("other.teacher@example.org")

    assert client.get(f"/mentoring/requests/new?school={school_id}").status_code == 403
    refused = client.post(f"/mentoring/requests/new?school={school_id}", data=request_form())
    assert refused.status_code == 403
    hidden_refused = client.post(f"/mentoring/requests/new?school={hidden_id}", data=request_form())
    assert hidden_refused.status_code == 404
    assert client.post("/mentoring/requests/new", data=request_form()).status_code == 404
    romanian_coordinator = login(app, "coord.ro@example.org")
    assert (
        romanian_coordinator.post(
            f"/mentoring/requests/new?school={school_id}", data=request_form()
        ).status_code
        == 403
    )
    assert count(db_session, MentoringRequest) == 0
    assert count(db_session, AuditEntry, AuditEntry.action == "mentoring.request") == 0


def test_another_schools_request_is_hidden(app, make, db_session):
    school = make.school("TR")
    other = make.school("TR")
    make.member(other, email="other.teacher@example.org")
    row_id = add_request(db_session, school).id

    outsider = login(app, "other.teacher@example.org")

    assert outsider.get(f"/mentoring/requests/{row_id}").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"languages": []}, "languages", "Choose at least one."),
        ({"mode": "by_pigeon"}, "mode", "Not a valid choice."),
        ({"message": "x" * 2001}, "message", "Field cannot be longer than 2000 characters."),
    ],
    ids=["no-language", "unknown-mode", "long-message"],
)
def test_an_invalid_request_is_refused_and_nothing_is_written(
    client, auth, make, db_session, overrides, field, message
):
    school = make.school("TR")
    make.member(school, email="new.teacher@example.org")
    school_id = school.id
    auth.login("new.teacher@example.org")

    response = client.post(
        f"/mentoring/requests/new?school={school_id}", data=request_form(**overrides)
    )

    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Please correct the fields marked below." in body
    assert message in field_errors(body, field)
    assert count(db_session, MentoringRequest) == 0
    assert count(db_session, AuditEntry, AuditEntry.action.like("mentoring.%")) == 0


# The coordinators' matching runs -------------------------------------------------------

OWN, SERVED, FAR = "TR-01", "TR-06", "TR-34"
PROPOSAL_SUBJECT = "A school would like you as its mentor"


@dataclass
class CountryWorld:
    mentors: dict[str, int]  # name → mentor profile id
    emails: dict[str, str]  # name → the mentor's e-mail address
    locales: dict[str, str | None]
    requests: dict[str, int]  # name → mentoring request id
    waiting: dict[str, int]  # name → days the request has waited
    schools: dict[str, int]  # request name → id of the school asking
    available: list[str]  # the mentors the matching may use
    open: list[str]  # the requests the matching may serve


@pytest.fixture
def country(make, db_session) -> CountryWorld:
    """Mentors and requests of Türkiye (and one of Romania) that test every rule."""
    regions = {code: region(db_session, code) for code in (OWN, SERVED, FAR)}
    homes = {
        code: etwinning_school(make, "TR", region=place, name=f"Mentor school {code}")
        for code, place in regions.items()
    }
    romanian_home = etwinning_school(make, "RO", name="Școala Mentor")
    yesterday = today() - timedelta(days=1)
    specs = {
        "ayse": (homes[OWN], "tr", {"levels": ["primary"], "pillars": ["collaboration"]}),
        "kari": (
            homes[SERVED],
            "nb",
            {"capacity": 2, "load": 1, "languages": ["tr", "en"], "regions": [OWN]},
        ),
        # One of john's two places is held by the proposal waiting for his answer.
        "john": (homes[FAR], None, {"capacity": 2, "languages": ["en"], "modes": ["online"]}),
        "paused": (homes[OWN], "tr", {"paused": True, "capacity": 5, "levels": ["primary"]}),
        "full": (homes[OWN], "tr", {"capacity": 1, "load": 1}),
        "gone": (homes[OWN], "tr", {"capacity": 3, "available_until": yesterday}),
        "romanian": (romanian_home, "ro", {"languages": ["tr", "ro"]}),
    }
    mentors, emails, locales = {}, {}, {}
    for name, (home, locale, fields) in specs.items():
        fields.setdefault("capacity", 1)
        email = f"{name}.mentor@example.org"
        mentors[name] = add_mentor(make, db_session, home, email=email, locale=locale, **fields).id
        emails[name], locales[name] = email, locale
    wishes = {
        "r1": (OWN, 30, {"levels": ["primary"], "pillars": ["collaboration", "shared_leadership"]}),
        "r2": (OWN, 100, {}),
        "r3": (FAR, 10, {"languages": ["en"], "mode": Mode.ONLINE}),
        "r4": (FAR, 5, {"languages": ["en"], "mode": Mode.IN_PERSON}),  # nobody meets in person
        "r5": (SERVED, 0, {}),
        "declined": (OWN, 20, {}),  # a mentor declined it before: open again
        "proposed": (OWN, 60, {}),  # a proposal is waiting for an answer
        "closed": (OWN, 70, {"status": RequestStatus.CLOSED}),
    }
    requests, waiting, schools = {}, {}, {}
    for name, (code, days, fields) in wishes.items():
        school = make.school("TR", region=regions[code], name=f"New school {name}")
        schools[name] = school.id
        requests[name] = add_request(db_session, school, waiting_days=days, **fields).id
        waiting[name] = days
    romanian_school = make.school("RO", name="Școala Nouă")
    requests["romanian"] = add_request(db_session, romanian_school, languages=["ro"]).id
    schools["romanian"] = romanian_school.id
    db_session.add_all(
        [
            Match(
                request_id=requests["declined"],
                mentor_id=mentors["kari"],
                status=MatchStatus.DECLINED,
                decline_reason="No time this term.",
            ),
            Match(
                request_id=requests["proposed"],
                mentor_id=mentors["john"],
                status=MatchStatus.PROPOSED,
            ),
        ]
    )
    db_session.commit()
    return CountryWorld(
        mentors=mentors,
        emails=emails,
        locales=locales,
        requests=requests,
        waiting=waiting,
        schools=schools,
        available=["ayse", "kari", "john"],
        open=["r1", "r2", "r3", "r4", "r5", "declined"],
    )


def expected_proposals(session, world: CountryWorld, requests: list[str]):
    """What the engine makes of the same mentors and requests, specified here: john holds
    a place with the proposal waiting for him, kari declined the request "declined"."""
    session.expire_all()
    held = {"john": 1}
    mentors = [
        mentor_spec(session.get(MentorProfile, world.mentors[name]), held.get(name))
        for name in world.available
    ]
    wanted = [
        request_spec(session.get(MentoringRequest, world.requests[n]), world.waiting[n])
        for n in requests
    ]
    declined = {(world.requests["declined"], world.mentors["kari"])}
    return engine.solve(mentors, wanted, excluded=declined)


def stored_proposals(session, run_id: int) -> set[tuple[int, int, int, str]]:
    session.expire_all()
    matches = session.scalars(select(Match).where(Match.run_id == run_id)).all()
    assert all(match.status is MatchStatus.PROPOSED for match in matches)
    return {
        (m.request_id, m.mentor_id, round(m.score), json.dumps(m.explanation, sort_keys=True))
        for m in matches
    }


def as_stored(result) -> set[tuple[int, int, int, str]]:
    return {
        (p.request_id, p.mentor_id, p.fit, json.dumps(p.facts, sort_keys=True))
        for p in result.proposals
    }


def start_run(coordinator, country_code: str = "TR", region_code: str = "") -> int:
    response = coordinator.post(
        "/mentoring/run", data={"country": country_code, "region": region_code}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    found = re.search(r"/mentoring/runs/(\d+)$", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


@pytest.fixture
def coordinator_tr(app, make):
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    return login(app, "coord.tr@example.org")


def test_a_country_run_proposes_the_engines_optimum_as_a_draft(
    app, make, db_session, country, coordinator_tr
):
    coordinator_id = db_session.scalar(select(User.id).where(User.email == "coord.tr@example.org"))

    run_id = start_run(coordinator_tr)

    expected = expected_proposals(db_session, country, country.open)
    assert len(expected.proposals) >= 3  # the world is rich enough to mean something
    assert stored_proposals(db_session, run_id) == as_stored(expected)
    run = fresh(db_session, MatchRun, run_id)
    assert (run.country_code, run.region_code, run.confirmed_at) == ("TR", None, None)
    assert run.proposals == len(expected.proposals)
    assert run.total_score == expected.fit_total
    assert run.unmatched == len(expected.unmatched) == len(country.open) - run.proposals
    assert audit_trail(db_session, "match_run", run_id) == [("matching.run", coordinator_id, "TR")]
    page = coordinator_tr.get(f"/mentoring/runs/{run_id}").get_data(as_text=True)
    assert "draft: the mentors do not see it yet" in page
    assert page.count('class="form-card h-100"') == len(expected.proposals)
    assert memory_outbox == []
    assert count(db_session, Notification) == 0


def test_a_region_run_serves_only_that_regions_requests(db_session, country, coordinator_tr):
    run_id = start_run(coordinator_tr, region_code=OWN)

    in_region = [name for name in country.open if name in ("r1", "r2", "declined")]
    expected = expected_proposals(db_session, country, in_region)
    assert expected.proposals
    assert stored_proposals(db_session, run_id) == as_stored(expected)
    assert fresh(db_session, MatchRun, run_id).region_code == OWN


def test_a_draft_is_seen_only_by_coordinators(app, make, db_session, country, coordinator_tr):
    run_id = start_run(coordinator_tr)
    db_session.expire_all()
    drafts = db_session.scalars(select(Match).where(Match.run_id == run_id)).all()
    by_mentor = {
        name: [m.id for m in drafts if m.mentor_id == mid] for name, mid in country.mentors.items()
    }
    first_id, first_request_id = drafts[0].id, drafts[0].request_id
    school_of_first = next(
        name for name, rid in country.requests.items() if rid == first_request_id
    )
    make.member(
        db_session.get(School, country.schools[school_of_first]), email="newcomer@example.org"
    )
    school_side = login(app, "newcomer@example.org")

    for name, match_ids in by_mentor.items():
        if not match_ids:
            continue
        mentor = login(app, country.emails[name])
        overview = mentor.get("/mentoring/").get_data(as_text=True)
        assert not match_links(overview) & set(match_ids)
        for match_id in match_ids:
            assert mentor.get(f"/mentoring/matches/{match_id}").status_code == 404
            assert mentor.post(f"/mentoring/matches/{match_id}/accept").status_code == 404
    request_page = school_side.get(f"/mentoring/requests/{first_request_id}")
    assert first_id not in match_links(request_page.get_data(as_text=True))
    assert school_side.get(f"/mentoring/matches/{first_id}").status_code == 404
    assert coordinator_tr.get(f"/mentoring/matches/{first_id}").status_code == 200
    db_session.expire_all()
    assert {m.status for m in db_session.scalars(select(Match).where(Match.run_id == run_id))} == {
        MatchStatus.PROPOSED
    }


def test_confirming_tells_each_mentor_in_their_language(
    app, make, db_session, country, coordinator_tr
):
    run_id = start_run(coordinator_tr)
    db_session.expire_all()
    drafts = db_session.scalars(select(Match).where(Match.run_id == run_id)).all()
    proposals = {
        name: sorted(m.id for m in drafts if m.mentor_id == mentor_id)
        for name, mentor_id in country.mentors.items()
    }
    assert sum(1 for ids in proposals.values() if ids) >= 3

    response = coordinator_tr.post(f"/mentoring/runs/{run_id}/confirm")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mentoring/runs/{run_id}")
    assert fresh(db_session, MatchRun, run_id).confirmed_at is not None
    assert len(memory_outbox) == len(drafts)
    for name, match_ids in proposals.items():
        messages = mails_to(country.emails[name])
        assert len(messages) == len(match_ids), name
        if not match_ids:
            continue
        locale = country.locales[name] or "en"
        for message in messages:
            assert message["Subject"] == po_text(locale, PROPOSAL_SUBJECT)
            assert message["Content-Language"] == locale
        links = sorted(int(path_of(link_in(m)).rsplit("/", 1)[1]) for m in messages)
        assert links == match_ids
        mentor = login(app, country.emails[name])
        overview = mentor.get("/mentoring/").get_data(as_text=True)
        assert set(match_ids) <= match_links(overview)
        for match_id in match_ids:
            assert mentor.get(f"/mentoring/matches/{match_id}").status_code == 200
    assert [action for action, *_ in audit_trail(db_session, "match_run", run_id)] == [
        "matching.run",
        "matching.confirm",
    ]
    memory_outbox.clear()
    again = coordinator_tr.post(f"/mentoring/runs/{run_id}/confirm")
    assert again.status_code == 302
    assert memory_outbox == []  # nobody is told twice


def test_a_coordinator_of_another_country_cannot_see_or_confirm_a_run(
    app, make, db_session, country, coordinator_tr
):
    run_id = start_run(coordinator_tr)
    db_session.expire_all()
    match_id = db_session.scalars(select(Match.id).where(Match.run_id == run_id)).first()
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    romanian = login(app, "coord.ro@example.org")

    assert romanian.get(f"/mentoring/runs/{run_id}").status_code == 404
    assert romanian.post(f"/mentoring/runs/{run_id}/confirm").status_code == 404
    assert romanian.post(f"/mentoring/proposals/{match_id}/withdraw").status_code == 404
    assert romanian.get(f"/mentoring/matches/{match_id}").status_code == 404
    assert fresh(db_session, MatchRun, run_id).confirmed_at is None
    assert db_session.get(Match, match_id) is not None
    assert memory_outbox == []
    refused = romanian.post("/mentoring/run", data={"country": "TR", "region": ""})
    assert refused.status_code == 422
    assert count(db_session, MatchRun) == 1


def test_withdrawing_a_draft_proposal(app, make, db_session, country, coordinator_tr):
    run_id = start_run(coordinator_tr)
    db_session.expire_all()
    withdrawn, *kept = db_session.scalars(
        select(Match).where(Match.run_id == run_id).order_by(Match.id)
    ).all()
    withdrawn_id, request_id = withdrawn.id, withdrawn.request_id
    kept_ids = {m.id for m in kept}
    coordinator_id = db_session.scalar(
        select(AuditEntry.actor_id).where(AuditEntry.action == "matching.run")
    )

    response = coordinator_tr.post(f"/mentoring/proposals/{withdrawn_id}/withdraw")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mentoring/runs/{run_id}")
    db_session.expire_all()
    assert db_session.get(Match, withdrawn_id) is None
    assert audit_trail(db_session, "match", withdrawn_id) == [
        ("matching.withdraw", coordinator_id, "TR")
    ]
    page = coordinator_tr.get(f"/mentoring/runs/{run_id}").get_data(as_text=True)
    assert f"/mentoring/proposals/{withdrawn_id}/withdraw" not in page
    assert all(f"/mentoring/proposals/{mid}/withdraw" in page for mid in kept_ids)
    assert coordinator_tr.post(f"/mentoring/runs/{run_id}/confirm").status_code == 302
    assert len(memory_outbox) == len(kept_ids)  # the withdrawn proposal is not sent
    # The request waits for a mentor again: its page offers the fitting mentors.
    request_page = coordinator_tr.get(f"/mentoring/requests/{request_id}")
    assert ranked_mentor_ids(request_page.get_data(as_text=True), request_id)


def test_a_region_of_another_country_is_refused(app, make, db_session):
    make.user("root@example.org", role="admin")
    admin = login(app, "root@example.org")

    response = admin.post("/mentoring/run", data={"country": "TR", "region": "RO-AB"})

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "region") == [
        "This region is not in the chosen country."
    ]
    assert count(db_session, MatchRun) == 0
    assert count(db_session, AuditEntry, AuditEntry.action.like("matching.%")) == 0


# A school asks a mentor directly, and the match from the answer to its end ---------------

ACCEPTED_SUBJECT = "Your school has a mentor"
DECLINED_SUBJECT = "A proposed mentor has declined"


@dataclass
class Pair:
    """A mentor and a school asking for one, each with a signed-in browser."""

    mentor: object  # browser of the mentor
    school: object  # browser of the teacher who asked
    mentor_id: int
    mentor_user_id: int
    mentor_school_id: int
    request_id: int
    school_id: int
    teacher_id: int
    admin_id: int
    match_id: int | None = None


@pytest.fixture
def pair(app, make, db_session) -> Pair:
    home = etwinning_school(make, "TR", name="Mentor Anadolu Lisesi")
    profile = add_mentor(
        make, db_session, home, email="mentor@example.org", locale="tr", capacity=2
    )
    newcomer = make.school("TR", name="Yeni Ortaokul")
    admin = make.member(newcomer, role=MembershipRole.ADMIN, email="head@example.org", locale="ro")
    teacher = make.member(newcomer, email="teacher@example.org", locale="nl")
    row = add_request(db_session, newcomer, requested_by=teacher)
    ids = {
        "mentor_id": profile.id,
        "mentor_user_id": profile.user_id,
        "mentor_school_id": home.id,
        "request_id": row.id,
        "school_id": newcomer.id,
        "teacher_id": teacher.id,
        "admin_id": admin.id,
    }
    return Pair(
        mentor=login(app, "mentor@example.org"), school=login(app, "teacher@example.org"), **ids
    )


def ask(pair: Pair, session) -> int:
    response = pair.school.post(f"/mentoring/requests/{pair.request_id}/ask/{pair.mentor_id}")
    assert response.status_code == 302
    match_id = session.scalar(select(Match.id).where(Match.request_id == pair.request_id))
    assert match_id is not None
    pair.match_id = match_id
    memory_outbox.clear()
    return match_id


@pytest.fixture
def asked(pair, db_session) -> Pair:
    """The school has asked the mentor; the proposal waits for an answer."""
    ask(pair, db_session)
    return pair


@pytest.fixture
def accepted(asked) -> Pair:
    response = asked.mentor.post(f"/mentoring/matches/{asked.match_id}/accept")
    assert response.status_code == 302
    memory_outbox.clear()
    return asked


@pytest.fixture
def active(accepted) -> Pair:
    """Accepting starts the mentoring."""
    return accepted


def load_of(session, mentor_id: int) -> int:
    return fresh(session, MentorProfile, mentor_id).load


def match_actions(session, match_id: int) -> list[tuple[str, int | None, str]]:
    return audit_trail(session, "match", match_id)


def test_a_school_sees_the_fitting_mentors_best_first_and_at_most_ten(app, make, db_session):
    newcomer = make.school("TR", region=region(db_session, OWN))
    make.member(newcomer, email="teacher@example.org")
    row = add_request(
        db_session,
        newcomer,
        waiting_days=30,
        languages=["tr", "en"],
        levels=["primary"],
        pillars=["collaboration", "shared_leadership"],
    )
    home = etwinning_school(make, "TR", region=region(db_session, OWN))
    neighbour = etwinning_school(make, "TR", region=region(db_session, SERVED))
    fitting = []
    for index in range(12):
        profile = add_mentor(
            make,
            db_session,
            home if index % 3 else neighbour,
            capacity=10,
            load=index % 7,
            languages=["tr"] if index % 2 else ["en"],
            levels=["primary"] if index % 4 else ["upper_secondary"],
            pillars=["collaboration", "shared_leadership"][: index % 3],
            regions=[OWN] if index % 3 == 0 else [],
        )
        fitting.append(profile)
    unfit = [
        add_mentor(make, db_session, home, paused=True, levels=["primary"]),
        add_mentor(make, db_session, home, capacity=2, load=2),
        add_mentor(make, db_session, home, languages=["ro"]),
        # Meets only in person, and does not serve the school's region.
        add_mentor(make, db_session, neighbour, modes=["in_person"]),
        add_mentor(make, db_session, etwinning_school(make, "RO"), languages=["tr"]),
    ]
    unfit_ids = {profile.id for profile in unfit}
    spec = request_spec(row, 30)
    fits = {profile.id: reference.fit(mentor_spec(profile), spec) for profile in fitting}
    assert None not in fits.values()
    best = sorted(fits, key=lambda mentor_id: (-fits[mentor_id], mentor_id))[:10]
    row_id = row.id
    browser = login(app, "teacher@example.org")

    page = browser.get(f"/mentoring/requests/{row_id}").get_data(as_text=True)

    shown = ranked_mentor_ids(page, row_id)
    assert shown == best
    assert not set(shown) & unfit_ids
    assert [total for total, _facts in score_boxes(page)] == [
        f"Fit: {fits[mentor_id]} out of 100" for mentor_id in best
    ]


def test_the_school_asks_a_mentor_directly(pair, db_session):
    page = pair.school.get(f"/mentoring/requests/{pair.request_id}").get_data(as_text=True)
    assert ranked_mentor_ids(page, pair.request_id) == [pair.mentor_id]

    response = pair.school.post(f"/mentoring/requests/{pair.request_id}/ask/{pair.mentor_id}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mentoring/requests/{pair.request_id}")
    match = db_session.scalar(select(Match).where(Match.request_id == pair.request_id))
    assert (match.mentor_id, match.status, match.run_id) == (
        pair.mentor_id,
        MatchStatus.PROPOSED,
        None,
    )
    assert match.proposed_by_id == pair.teacher_id
    assert match.score == match.explanation["fit"] == sum(match.explanation["parts"].values())
    assert match.score == reference.fit(mentor_spec(match.mentor), request_spec(match.request, 0))
    assert match_actions(db_session, match.id) == [("matching.propose", pair.teacher_id, "TR")]
    (message,) = memory_outbox
    assert message["To"] == "mentor@example.org"
    assert message["Subject"] == po_text("tr", PROPOSAL_SUBJECT)
    assert path_of(link_in(message)) == f"/mentoring/matches/{match.id}"
    assert match.id in match_links(pair.mentor.get("/mentoring/").get_data(as_text=True))
    page = pair.school.get(f"/mentoring/requests/{pair.request_id}").get_data(as_text=True)
    assert match.id in match_links(page)
    assert ranked_mentor_ids(page, pair.request_id) == []  # one proposal at a time


def test_a_second_mentor_cannot_be_asked_while_a_proposal_waits(app, make, asked, db_session):
    other = add_mentor(make, db_session, db_session.get(School, asked.mentor_school_id))
    other_id = other.id

    response = asked.school.post(f"/mentoring/requests/{asked.request_id}/ask/{other_id}")

    assert response.status_code == 302
    assert count(db_session, Match, Match.request_id == asked.request_id) == 1
    assert memory_outbox == []


@pytest.mark.parametrize(
    "unfit",
    [
        {"capacity": 1, "load": 1},
        {"languages": ["ro"]},
        {"available_until": today() - timedelta(days=1)},
        {"paused": True},
    ],
    ids=["full", "no-shared-language", "availability-ended", "paused"],
)
def test_only_a_mentor_who_could_be_offered_can_be_asked(pair, db_session, unfit):
    db_session.execute(
        MentorProfile.__table__.update().where(MentorProfile.id == pair.mentor_id).values(**unfit)
    )
    db_session.commit()
    page = pair.school.get(f"/mentoring/requests/{pair.request_id}").get_data(as_text=True)
    assert ranked_mentor_ids(page, pair.request_id) == []

    response = pair.school.post(f"/mentoring/requests/{pair.request_id}/ask/{pair.mentor_id}")

    assert response.status_code == 302
    assert count(db_session, Match) == 0
    assert count(db_session, AuditEntry, AuditEntry.action == "matching.propose") == 0
    assert memory_outbox == []


def test_the_mentor_accepts(asked, db_session):
    response = asked.mentor.post(f"/mentoring/matches/{asked.match_id}/accept")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mentoring/matches/{asked.match_id}")
    match = fresh(db_session, Match, asked.match_id)
    assert match.status is MatchStatus.ACTIVE
    assert match.decided_at is not None
    assert db_session.get(MentoringRequest, asked.request_id).status is RequestStatus.MATCHED
    assert load_of(db_session, asked.mentor_id) == 1
    assert match_actions(db_session, asked.match_id)[-1] == (
        "mentoring.accept",
        asked.mentor_user_id,
        "TR",
    )
    # The school's admin and the teacher who asked, each in their own language.
    assert sorted(message["To"] for message in memory_outbox) == [
        "head@example.org",
        "teacher@example.org",
    ]
    for address, locale in (("head@example.org", "ro"), ("teacher@example.org", "nl")):
        (message,) = mails_to(address)
        assert message["Subject"] == po_text(locale, ACCEPTED_SUBJECT)
        assert message["Content-Language"] == locale
        assert path_of(link_in(message)) == f"/mentoring/matches/{asked.match_id}"


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_a_second_answer_is_a_conflict(accepted, db_session, answer):
    response = accepted.mentor.post(
        f"/mentoring/matches/{accepted.match_id}/{answer}",
        data={"reason": "Changed my mind."},
    )

    assert response.status_code == 409
    answered = po_text("tr", "This proposal has already been answered.")  # the mentor's language
    assert answered in text_of(response)
    match = fresh(db_session, Match, accepted.match_id)
    assert (match.status, match.decline_reason) == (MatchStatus.ACTIVE, "")
    assert load_of(db_session, accepted.mentor_id) == 1
    assert [a for a, *_ in match_actions(db_session, accepted.match_id)].count(
        "mentoring.accept"
    ) == 1
    assert memory_outbox == []


def test_declining_needs_a_reason(asked, db_session):
    response = asked.mentor.post(
        f"/mentoring/matches/{asked.match_id}/decline?lang=en", data={"reason": "   "}
    )

    assert fresh(db_session, Match, asked.match_id).status is MatchStatus.PROPOSED
    assert [a for a, *_ in match_actions(db_session, asked.match_id)] == ["matching.propose"]
    assert memory_outbox == []
    # Like every refused form: 422, the message beside the field.
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "reason") == ["This field is required."]


def test_declining_keeps_the_request_open(asked, db_session):
    response = asked.mentor.post(
        f"/mentoring/matches/{asked.match_id}/decline",
        data={"reason": "  No time this term.  "},
    )

    assert response.status_code == 302
    match = fresh(db_session, Match, asked.match_id)
    assert (match.status, match.decline_reason) == (MatchStatus.DECLINED, "No time this term.")
    assert match.decided_at is not None
    assert db_session.get(MentoringRequest, asked.request_id).status is RequestStatus.OPEN
    assert load_of(db_session, asked.mentor_id) == 0
    assert match_actions(db_session, asked.match_id)[-1] == (
        "mentoring.decline",
        asked.mentor_user_id,
        "TR",
    )
    for address, locale in (("head@example.org", "ro"), ("teacher@example.org", "nl")):
        (message,) = mails_to(address)
        assert message["Subject"] == po_text(locale, DECLINED_SUBJECT)
    page = asked.school.get(f"/mentoring/requests/{asked.request_id}").get_data(as_text=True)
    assert "No time this term." in page
    # The mentor who declined is neither offered nor asked again.
    assert ranked_mentor_ids(page, asked.request_id) == []
    asking = asked.school.post(f"/mentoring/requests/{asked.request_id}/ask/{asked.mentor_id}")
    assert asking.status_code == 302
    assert count(db_session, Match, Match.request_id == asked.request_id) == 1
    again = asked.mentor.post(f"/mentoring/matches/{asked.match_id}/accept")
    assert again.status_code == 409
    assert fresh(db_session, Match, asked.match_id).status is MatchStatus.DECLINED


def session_form(**overrides) -> dict:
    data = {
        "type": "mentoring_session",
        "title": "First mentoring session",
        "description": "Planning our first eTwinning project.",
        "starts_at": f"{NEXT_YEAR}-03-10T15:00",
        "ends_at": f"{NEXT_YEAR}-03-10T16:00",
        "mode": "online",
        "location": "",
        "online_url": "https://meet.example.org/etwinning",
        "visibility": "network",
        "pillars": ["models_for_other_schools"],
        "languages": ["tr"],
        "audience": ["teachers"],
    }
    data.update(overrides)
    return data


def test_recording_a_session_links_it_to_the_mentoring(accepted, db_session):
    page = accepted.mentor.get(f"/mentoring/matches/{accepted.match_id}").get_data(as_text=True)
    new_session = (
        f"/schools/{accepted.mentor_school_id}/activities/new"
        f"?type=mentoring_session&amp;match={accepted.match_id}"
    )
    assert new_session in page
    url = html.unescape(new_session)

    form = accepted.mentor.get(url)

    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert re.search(r'<option selected value="mentoring_session">', body)
    assert checked(body, "visibility") == {"network"}
    response = accepted.mentor.post(url, data=session_form())
    assert response.status_code == 302
    activity = db_session.scalar(select(Activity).where(Activity.match_id == accepted.match_id))
    assert activity is not None
    assert (activity.type, activity.school_id, activity.visibility) == (
        ActivityType.MENTORING_SESSION,
        accepted.mentor_school_id,
        Visibility.NETWORK,
    )
    assert response.headers["Location"].endswith(f"/activities/{activity.id}")
    assert fresh(db_session, Match, accepted.match_id).status is MatchStatus.ACTIVE
    assert match_actions(db_session, accepted.match_id)[-1][0] == "mentoring.accept"
    assert audit_trail(db_session, "activity", activity.id) == [
        ("activity.create", accepted.mentor_user_id, "TR")
    ]
    match_page = accepted.school.get(f"/mentoring/matches/{accepted.match_id}")
    assert "First mentoring session" in match_page.get_data(as_text=True)
    # A second session for the running mentoring changes nothing else.
    second = accepted.mentor.post(url, data=session_form(title="Second session"))
    assert second.status_code == 302
    assert count(db_session, Activity, Activity.match_id == accepted.match_id) == 2
    assert fresh(db_session, Match, accepted.match_id).status is MatchStatus.ACTIVE


def test_a_session_needs_a_running_match_of_that_school(app, make, asked, db_session):
    stranger_id = etwinning_school(make, "TR").id
    proposed = f"/schools/{asked.mentor_school_id}/activities/new?match={asked.match_id}"

    assert asked.mentor.get(proposed).status_code == 404  # not accepted yet
    assert asked.mentor.post(proposed, data=session_form()).status_code == 404
    assert asked.mentor.post(f"/mentoring/matches/{asked.match_id}/accept").status_code == 302
    make.member(db_session.get(School, stranger_id), email="both@example.org")
    db_session.add(
        Membership(
            user_id=asked.mentor_user_id,
            school_id=stranger_id,
            role=MembershipRole.MEMBER,
            status=MembershipStatus.APPROVED,
        )
    )
    db_session.commit()
    elsewhere = f"/schools/{stranger_id}/activities/new?match={asked.match_id}"
    assert asked.mentor.post(elsewhere, data=session_form()).status_code == 404
    unknown = f"/schools/{asked.mentor_school_id}/activities/new?match=987654"
    assert asked.mentor.post(unknown, data=session_form()).status_code == 404
    assert count(db_session, Activity) == 0
    assert fresh(db_session, Match, asked.match_id).status is MatchStatus.ACTIVE


def test_the_mentor_completes_and_the_school_adds_its_feedback(active, db_session):
    response = active.mentor.post(
        f"/mentoring/matches/{active.match_id}/finish",
        data={"outcome": "completed", "feedback": "  A motivated team.  "},
    )

    assert response.status_code == 302
    match = fresh(db_session, Match, active.match_id)
    assert match.status is MatchStatus.COMPLETED
    assert match.finished_at is not None
    assert (match.feedback_mentor, match.feedback_school) == ("A motivated team.", "")
    assert load_of(db_session, active.mentor_id) == 0
    assert db_session.get(MentoringRequest, active.request_id).status is RequestStatus.CLOSED
    assert match_actions(db_session, active.match_id)[-1] == (
        "mentoring.complete",
        active.mentor_user_id,
        "TR",
    )

    feedback = active.school.post(
        f"/mentoring/matches/{active.match_id}/feedback",
        data={"feedback": "Our mentor opened every door."},
    )

    assert feedback.status_code == 302
    match = fresh(db_session, Match, active.match_id)
    assert (match.feedback_mentor, match.feedback_school) == (
        "A motivated team.",
        "Our mentor opened every door.",
    )
    assert match.status is MatchStatus.COMPLETED
    assert load_of(db_session, active.mentor_id) == 0
    page = active.school.get(f"/mentoring/matches/{active.match_id}").get_data(as_text=True)
    assert "A motivated team." in page
    assert "Our mentor opened every door." in page


def test_the_school_ends_early_and_the_mentor_adds_feedback(accepted, db_session):
    response = accepted.school.post(
        f"/mentoring/matches/{accepted.match_id}/finish",
        data={"outcome": "ended", "feedback": "We merged with another school."},
    )

    assert response.status_code == 302
    match = fresh(db_session, Match, accepted.match_id)
    assert match.status is MatchStatus.ENDED
    assert (match.feedback_mentor, match.feedback_school) == ("", "We merged with another school.")
    assert load_of(db_session, accepted.mentor_id) == 0
    assert match_actions(db_session, accepted.match_id)[-1] == (
        "mentoring.end",
        accepted.teacher_id,
        "TR",
    )

    feedback = accepted.mentor.post(
        f"/mentoring/matches/{accepted.match_id}/feedback", data={"feedback": "Understood."}
    )

    assert feedback.status_code == 302
    match = fresh(db_session, Match, accepted.match_id)
    assert (match.feedback_mentor, match.feedback_school) == (
        "Understood.",
        "We merged with another school.",
    )


def test_every_step_is_audited(active, db_session):
    active.mentor.post(
        f"/mentoring/matches/{active.match_id}/finish", data={"outcome": "completed"}
    )

    assert match_actions(db_session, active.match_id) == [
        ("matching.propose", active.teacher_id, "TR"),
        ("mentoring.accept", active.mentor_user_id, "TR"),
        ("mentoring.complete", active.mentor_user_id, "TR"),
    ]


def test_the_freed_place_can_be_taken_again(app, make, active, db_session):
    assert fresh(db_session, MentorProfile, active.mentor_id).capacity == 2
    db_session.execute(
        MentorProfile.__table__.update()
        .where(MentorProfile.id == active.mentor_id)
        .values(capacity=1)
    )
    db_session.commit()
    newcomer = make.school("TR")
    make.member(newcomer, email="second.teacher@example.org")
    second_request = add_request(db_session, newcomer).id
    second_school = login(app, "second.teacher@example.org")
    page = f"/mentoring/requests/{second_request}"
    assert ranked_mentor_ids(second_school.get(page).get_data(as_text=True), second_request) == []

    active.school.post(f"/mentoring/matches/{active.match_id}/finish", data={"outcome": "ended"})

    assert load_of(db_session, active.mentor_id) == 0
    assert ranked_mentor_ids(second_school.get(page).get_data(as_text=True), second_request) == [
        active.mentor_id
    ]


# Bad input ---------------------------------------------------------------------------


def test_a_finished_match_cannot_be_answered_or_closed_again(active, db_session):
    active.mentor.post(
        f"/mentoring/matches/{active.match_id}/finish",
        data={"outcome": "completed", "feedback": "Done."},
    )
    memory_outbox.clear()
    before = match_actions(db_session, active.match_id)

    for step in ("accept", "decline", "finish"):
        response = active.mentor.post(
            f"/mentoring/matches/{active.match_id}/{step}",
            data={"reason": "Too late.", "outcome": "completed", "feedback": "Again."},
        )
        assert response.status_code == 409, step

    match = fresh(db_session, Match, active.match_id)
    assert (match.status, match.feedback_mentor, match.decline_reason) == (
        MatchStatus.COMPLETED,
        "Done.",
        "",
    )
    assert load_of(db_session, active.mentor_id) == 0
    assert match_actions(db_session, active.match_id) == before
    assert memory_outbox == []


def test_feedback_waits_for_the_end_and_is_not_empty(active, db_session):
    early = active.school.post(
        f"/mentoring/matches/{active.match_id}/feedback", data={"feedback": "Too early."}
    )
    assert early.status_code == 409  # not finished yet: a conflict with its state
    active.mentor.post(f"/mentoring/matches/{active.match_id}/finish", data={"outcome": "ended"})

    empty = active.school.post(
        f"/mentoring/matches/{active.match_id}/feedback?lang=en", data={"feedback": "  "}
    )

    assert empty.status_code == 422
    assert field_errors(empty.get_data(as_text=True), "feedback") == ["This field is required."]
    match = fresh(db_session, Match, active.match_id)
    assert (match.feedback_school, match.feedback_mentor) == ("", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"outcome": "abandoned"}, "outcome", "Not a valid choice."),
        ({"feedback": "Done."}, "outcome", "Choose how the mentoring ended."),
        (
            {"outcome": "completed", "feedback": "x" * 2001},
            "feedback",
            "Field cannot be longer than 2000 characters.",
        ),
    ],
    ids=["unknown-outcome", "no-outcome", "long-feedback"],
)
def test_an_invalid_closing_changes_nothing(active, db_session, data, field, message):
    response = active.mentor.post(f"/mentoring/matches/{active.match_id}/finish?lang=en", data=data)

    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), field)
    match = fresh(db_session, Match, active.match_id)
    assert (match.status, match.feedback_mentor, match.finished_at) == (
        MatchStatus.ACTIVE,
        "",
        None,
    )
    assert load_of(db_session, active.mentor_id) == 1
    assert db_session.get(MentoringRequest, active.request_id).status is RequestStatus.MATCHED


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/mentoring/matches/987654"),
        ("POST", "/mentoring/matches/987654/accept"),
        ("POST", "/mentoring/matches/987654/decline"),
        ("POST", "/mentoring/matches/987654/finish"),
        ("POST", "/mentoring/matches/987654/feedback"),
        ("GET", "/mentoring/requests/987654"),
        ("POST", "/mentoring/requests/987654/ask/{mentor}"),
        ("POST", "/mentoring/requests/{request}/ask/987654"),
        ("GET", "/mentoring/requests/new?school=987654"),
        ("GET", "/mentoring/runs/987654"),
        ("POST", "/mentoring/runs/987654/confirm"),
        ("POST", "/mentoring/proposals/987654/withdraw"),
    ],
)
def test_unknown_ids_are_not_found(app, make, pair, db_session, method, url):
    make.user("root@example.org", role="admin")
    admin = login(app, "root@example.org")

    response = admin.open(
        url.format(mentor=pair.mentor_id, request=pair.request_id),
        method=method,
        data={"reason": "x", "outcome": "completed", "feedback": "x"},
    )

    assert response.status_code == 404
    assert count(db_session, Match) == 0
