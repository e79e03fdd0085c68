"""Mentoring through the web: mentor profiles, requests, the coordinators' matching runs,
a school asking a mentor directly, and a match from the mentor's answer to its end.

Every step is taken by a signed-in browser; the database is then read to check what
was stored, what was audited and what was sent.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mail import memory_outbox
from app.matching import engine
from app.models import (
    Activity,
    AuditEntry,
    Match,
    MatchRun,
    Membership,
    MentoringRequest,
    MentorProfile,
    Notification,
    Region,
    SchoolLanguage,
)
from app.models.enums import (
    ActivityType,
    MatchStatus,
    MembershipRole,
    MembershipStatus,
    Mode,
    RequestStatus,
    SchoolStatus,
    Visibility,
)
from tests.support.mentoring import (
    add_mentor,
    add_request,
    audit_trail,
    etwinning_school,
    login,
    mentor_spec,
    po_text,
    request_spec,
    this_school_year,
    today,
)
from tests.support.web import body_of, link_in, path_of

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
        ("two", "Not a valid integer value."),
        (None, "This field is required."),
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


def test_the_own_region_is_always_served_and_other_countries_regions_are_ignored(
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
        requests[code] = add_request(db_session, requesting, languages=["tr"]).id
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
    auth.login("new.teacher@example.org")

    form = client.get(f"/mentoring/requests/new?school={school.id}")
    assert form.status_code == 200
    assert checked(form.get_data(as_text=True), "languages") == {"tr"}  # the school's languages

    response = client.post(f"/mentoring/requests/new?school={school.id}", data=request_form())

    assert response.status_code == 302
    row = db_session.scalar(select(MentoringRequest))
    assert response.headers["Location"].endswith(f"/mentoring/requests/{row.id}")
    assert (row.school_id, row.country_code, row.region_code) == (
        school.id,
        "TR",
        school.region_code,
    )
    assert (row.requested_by_id, row.status, row.mode) == (
        member.id,
        RequestStatus.OPEN,
        Mode.ONLINE,
    )
    assert row.languages == ["en", "tr"]
    assert row.pillars == ["collaboration", "inclusive_innovative"]
    assert (row.levels, row.message) == (["primary"], "We are new to eTwinning.")
    assert audit_trail(db_session, "mentoring_request", row.id) == [
        ("mentoring.request", member.id, "TR")
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
    auth.login("coord.tr@example.org")

    response = client.post(
        f"/mentoring/requests/new?school={school.id}", data=request_form(mode="hybrid")
    )

    assert response.status_code == 302
    row = db_session.scalar(select(MentoringRequest))
    assert (row.school_id, row.requested_by_id, row.mode) == (
        school.id,
        coordinator.id,
        Mode.HYBRID,
    )
    assert audit_trail(db_session, "mentoring_request", row.id) == [
        ("mentoring.request", coordinator.id, "TR")
    ]
    assert client.get(f"/mentoring/requests/{row.id}").status_code == 200
    school_side = login(app, "new.teacher@example.org")
    assert school_side.get(f"/mentoring/requests/{row.id}").status_code == 200


def test_nobody_else_asks_for_a_school(app, client, auth, make, db_session):
    school = make.school("TR")
    hidden = make.school("TR", status=SchoolStatus.PENDING)
    other = make.school("TR")
    make.member(other, email="other.teacher@example.org")
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    auth.login("other.teacher@example.org")

    assert client.get(f"/mentoring/requests/new?school={school.id}").status_code == 403
    refused = client.post(f"/mentoring/requests/new?school={school.id}", data=request_form())
    assert refused.status_code == 403
    hidden_refused = client.post(f"/mentoring/requests/new?school={hidden.id}", data=request_form())
    assert hidden_refused.status_code == 404
    assert client.post("/mentoring/requests/new", data=request_form()).status_code == 404
    romanian_coordinator = login(app, "coord.ro@example.org")
    assert (
        romanian_coordinator.post(
            f"/mentoring/requests/new?school={school.id}", data=request_form()
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
    auth.login("new.teacher@example.org")

    response = client.post(
        f"/mentoring/requests/new?school={school.id}", data=request_form(**overrides)
    )

    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Please correct the fields marked below." in body
    assert message in field_errors(body, field)
    assert count(db_session, MentoringRequest) == 0
    assert count(db_session, AuditEntry) == 0
