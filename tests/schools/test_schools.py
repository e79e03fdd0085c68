"""Schools: registration and verification, editing, joining, ambassador status, the public
directory, the school page and the eTwinning School label."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale, format_date
from sqlalchemy import select

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership
from app.activities.enums import ActivityStatus, Visibility
from app.core.extensions import db
from app.core.models import AuditEntry, Notification
from app.core.school_years import (
    EXPIRING_DAYS,
    LabelState,
    label_state,
    label_valid_until,
    school_year_of,
)
from app.geography.models import Region
from app.schools.enums import AmbassadorStatus, EducationLevel, SchoolStatus
from app.schools.models import AmbassadorPeriod, School, SchoolLanguage, SchoolLevel
from tests.factories import PASSWORD
from tests.support.web import body_of, translated

_CARD = re.compile(r'<p class="school-name[^"]*"><a href="/schools/(\d+)">([^<]*)</a>')
_BADGE = '<span class="ambassador-badge">'
_REGION_ROW = re.compile(
    r'<a href="/directory/(\w\w)/([\w-]+)">[^<]*</a></th>\s*'
    r'<td class="text-end">(\d+)(.*?)</td>\s*<td class="text-end">(\d+)</td>',
    re.DOTALL,
)
_PILLAR_ROW = re.compile(
    r'<span class="legend-dot pillar-fill-([a-z_]+)" aria-hidden="true"></span>[^<]*</th>\s*'
    r'<td class="text-end">(\d+)</td>'
)
MOTIVATION = "We open our doors every month to the schools of İstanbul and run eTwinning days."


def _today() -> date:
    return datetime.now(UTC).date()


def login(app, email: str):
    """A browser of its own, signed in as ``email``."""
    browser = app.test_client()
    with browser.post("/login", data={"email": email, "password": PASSWORD}) as response:
        assert response.status_code == 302, f"could not sign in as {email}"
    return browser


def page(browser, url: str, expected: int = 200, **query) -> str:
    query.setdefault("lang", "en")
    with browser.get(url, query_string=query) as response:
        assert response.status_code == expected, url
        return response.get_data(as_text=True)


def post(browser, url: str, data: dict | None = None):
    with browser.post(url, data=data or {}, query_string={"lang": "en"}) as response:
        return response.status_code, response.headers.get("Location", ""), response.get_data(True)


def cards(body: str) -> list[str]:
    return [html.unescape(name) for _id, name in _CARD.findall(body)]


def badged(body: str) -> set[str]:
    """Names of the schools shown with the "Ambassador school" badge in a list."""
    names = set()
    for item in body.split('<li class="school-item">')[1:]:
        found = _CARD.search(item)
        if found and _BADGE in item:
            names.add(html.unescape(found.group(2)))
    return names


def audit(session, action: str) -> list[AuditEntry]:
    session.expire_all()
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by("id"))
    )


def region(session, code: str) -> Region:
    return session.get(Region, code)


def school_in(make, session, code: str, name: str, levels=(), languages=(), **fields) -> School:
    return make.school(
        code.split("-")[0],
        name=name,
        region=region(session, code),
        levels=[SchoolLevel(level=EducationLevel(level)) for level in levels],
        languages=[SchoolLanguage(language=language) for language in languages],
        **fields,
    )


def period(session, school: School, starts_on: date, ends_on: date, **fields):
    entry = AmbassadorPeriod(
        school_id=school.id,
        starts_on=starts_on,
        ends_on=ends_on,
        status=fields.pop("status", AmbassadorStatus.APPROVED),
        **fields,
    )
    session.add(entry)
    session.commit()
    return entry


def in_locale(app, locale: str, function, *args):
    with app.test_request_context(), force_locale(locale):
        return function(*args)


SCHOOL_FORM = {
    "name": "Kadıköy Anadolu Lisesi",
    "region": "TR-34",
    "city": "İstanbul",
    "website": "https://kadikoyanadolu.example.org",
    "levels": ["upper_secondary"],
    "languages": ["tr", "en", "de"],
    "label_year": "",
    "pupil_count": "980",
    "contact_name": "Elif Şahin",
    "contact_email": "Elif.Sahin@Example.org",
}


# Registration and verification -----------------------------------------------------------


def test_a_registered_school_waits_for_verification_and_its_creator_administers_it(
    app, make, db_session
):
    creator = make.user("ayse.yilmaz@example.org", name="Ayşe Yılmaz", locale="tr")
    creator_id = creator.id
    browser = login(app, "ayse.yilmaz@example.org")

    status, location, _body = post(browser, "/schools/new", SCHOOL_FORM)

    assert status == 302
    school = db_session.scalar(select(School).where(School.name == "Kadıköy Anadolu Lisesi"))
    assert location.endswith(f"/schools/{school.id}")
    assert school.status is SchoolStatus.PENDING
    assert school.verified_at is None
    assert (school.country_code, school.region_code, school.timezone) == (
        "TR",
        "TR-34",
        "Europe/Istanbul",
    )
    assert school.created_by_id == creator_id
    assert school.contact_email == "elif.sahin@example.org"
    assert [row.level for row in school.levels] == [EducationLevel.UPPER_SECONDARY]
    assert sorted(row.language for row in school.languages) == ["de", "en", "tr"]
    membership = db_session.get(Membership, (creator_id, school.id))
    assert (membership.role, membership.status) == (MembershipRole.ADMIN, MembershipStatus.APPROVED)
    [entry] = audit(db_session, "school.create")
    assert (entry.actor_id, entry.object_id, entry.details) == (
        creator_id,
        str(school.id),
        {"verified": False},
    )

    # The creator sees the school, marked as pending; nobody else does.
    body = page(browser, f"/schools/{school.id}")
    assert "Pending verification" in body
    page(app.test_client(), f"/schools/{school.id}", expected=404)
    make.user("someone.else@example.org")
    page(login(app, "someone.else@example.org"), f"/schools/{school.id}", expected=404)

    # It is in neither the search nor the directory.
    for visitor in (app.test_client(), browser):
        assert "Kadıköy" not in " ".join(cards(page(visitor, "/schools", q="kadikoy")))
        assert cards(page(visitor, "/schools", q="")) == []
        assert "Kadıköy Anadolu Lisesi" not in page(visitor, "/directory/TR/TR-34")


def test_a_coordinator_verifies_a_school_and_its_admins_are_told_in_their_language(
    app, make, db_session, outbox
):
    school = school_in(
        make, db_session, "TR-34", "Kadıköy Anadolu Lisesi", status=SchoolStatus.PENDING
    )
    school_id = school.id
    make.member(school, MembershipRole.ADMIN, email="ayse@example.org", name="Ayşe", locale="tr")
    make.member(school, MembershipRole.ADMIN, email="bram@example.org", name="Bram", locale="nl")
    make.member(school, email="teacher@example.org")  # a member, not an admin
    coordinator = make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    coordinator_id = coordinator.id
    outbox.clear()
    browser = login(app, "coord.tr@example.org")

    queue = page(browser, "/coordination")
    assert "Kadıköy Anadolu Lisesi" in queue
    assert f'action="/schools/{school_id}/verify"' in queue

    status, location, _body = post(browser, f"/schools/{school_id}/verify")

    assert status == 302
    assert location.endswith(f"/schools/{school_id}")
    db_session.expire_all()
    school = db_session.get(School, school_id)
    assert school.status is SchoolStatus.VERIFIED
    assert school.verified_at is not None
    [entry] = audit(db_session, "school.verify")
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.country_code) == (
        coordinator_id,
        "school",
        str(school_id),
        "TR",
    )
    assert sorted(message["To"] for message in outbox) == ["ayse@example.org", "bram@example.org"]
    for message in outbox:
        locale, name = ("tr", "Ayşe") if message["To"] == "ayse@example.org" else ("nl", "Bram")
        assert message["Content-Language"] == locale
        assert message["Subject"] == translated(
            app, locale, "%(school)s is verified", school="Kadıköy Anadolu Lisesi"
        )
        assert translated(app, locale, "Hello %(name)s,", name=name) in body_of(message)
        assert f"/schools/{school_id}" in body_of(message)
    kinds = db_session.scalars(select(Notification.kind)).all()
    assert kinds == ["school.verified", "school.verified"]

    # Verified: listed in the search, gone from the queue (its decision kept).
    assert cards(page(app.test_client(), "/schools", q="kadikoy")) == ["Kadıköy Anadolu Lisesi"]
    queue = page(browser, "/coordination")
    assert f'action="/schools/{school_id}/verify"' not in queue
    assert "verified by coord.tr@example.org on" in queue  # among the recent decisions


def test_a_coordinator_of_another_country_cannot_verify(app, make, db_session, outbox):
    pending = school_in(make, db_session, "TR-34", "Bekleyen Okul", status=SchoolStatus.PENDING)
    verified = school_in(make, db_session, "TR-06", "Doğrulanmış Okul")
    pending_id, verified_id = pending.id, verified.id
    make.member(pending, MembershipRole.ADMIN, email="admin@example.org")
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    outbox.clear()
    browser = login(app, "coord.ro@example.org")

    assert "Bekleyen Okul" not in page(browser, "/coordination")
    # The pending school of Türkiye is hidden from Romania's coordinator (404, see
    # app.policy.require); a school they can see is refused with 403.
    assert post(browser, f"/schools/{pending_id}/verify")[0] == 404
    assert post(browser, f"/schools/{verified_id}/verify")[0] == 403

    db_session.expire_all()
    assert db_session.get(School, pending_id).status is SchoolStatus.PENDING
    assert audit(db_session, "school.verify") == []
    assert outbox == []


# Editing ---------------------------------------------------------------------------------


def _edit_form(school: School, **changes) -> dict:
    form = {
        "name": school.name,
        "region": school.region_code,
        "city": school.city,
        "levels": [row.level.value for row in school.levels],
        "languages": [row.language for row in school.languages],
    }
    form.update(changes)
    return form


def test_a_school_admin_edits_the_school(app, make, db_session):
    school = school_in(
        make, db_session, "TR-34", "Eski Ad Lisesi", ["primary"], ["tr"], city="İstanbul"
    )
    school_id = school.id
    admin = make.member(school, MembershipRole.ADMIN, email="admin@example.org")
    admin_id = admin.id
    form = _edit_form(
        school,
        name="Yeni Ad Lisesi",
        region="TR-06",
        city="Ankara",
        levels=["lower_secondary", "upper_secondary"],
        languages=["en"],
        pupil_count="640",
    )
    browser = login(app, "admin@example.org")

    assert page(browser, f"/schools/{school_id}/edit").count('value="Eski Ad Lisesi"') == 1
    status, location, _body = post(browser, f"/schools/{school_id}/edit", form)

    assert status == 302
    assert location.endswith(f"/schools/{school_id}")
    db_session.expire_all()
    school = db_session.get(School, school_id)
    assert (school.name, school.city, school.region_code, school.pupil_count) == (
        "Yeni Ad Lisesi",
        "Ankara",
        "TR-06",
        640,
    )
    assert [row.level.value for row in school.levels] == ["lower_secondary", "upper_secondary"]
    assert [row.language for row in school.languages] == ["en"]
    assert school.search_key == "yeni ad lisesi ankara"
    [entry] = audit(db_session, "school.update")
    assert entry.actor_id == admin_id
    assert cards(page(app.test_client(), "/schools", q="yeni ad")) == ["Yeni Ad Lisesi"]


def test_a_school_admin_cannot_move_the_school_to_another_country(app, make, db_session):
    school = school_in(make, db_session, "TR-34", "Sınır Lisesi", ["primary"], ["tr"])
    school_id = school.id
    make.member(school, MembershipRole.ADMIN, email="admin@example.org")
    form = _edit_form(school, name="Renamed While Moving", region="RO-CJ")
    browser = login(app, "admin@example.org")

    status, _location, body = post(browser, f"/schools/{school_id}/edit", form)

    assert status == 422
    assert "Only a coordinator can move a school to another country." in body
    db_session.expire_all()
    school = db_session.get(School, school_id)
    assert (school.name, school.country_code, school.region_code, school.timezone) == (
        "Sınır Lisesi",
        "TR",
        "TR-34",
        "Europe/Istanbul",
    )
    assert audit(db_session, "school.update") == []


def test_a_coordinator_of_both_countries_may_move_a_school(app, make, db_session):
    school = school_in(make, db_session, "TR-34", "Göçen Okul")
    school_id = school.id
    make.user("coord.both@example.org", role="coordinator", countries=("TR", "RO"))
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    form = _edit_form(school, region="RO-CJ")

    status, _location, body = post(
        login(app, "coord.tr@example.org"), f"/schools/{school_id}/edit", form
    )
    assert status == 422
    assert "Only a coordinator can move a school to another country." in body

    status, _location, _body = post(
        login(app, "coord.both@example.org"), f"/schools/{school_id}/edit", form
    )
    assert status == 302
    db_session.expire_all()
    school = db_session.get(School, school_id)
    assert (school.country_code, school.region_code, school.timezone) == (
        "RO",
        "RO-CJ",
        "Europe/Bucharest",
    )


def test_a_member_who_is_not_admin_cannot_edit(app, make, db_session):
    school = school_in(make, db_session, "TR-34", "Okul")
    school_id = school.id
    make.member(school, email="teacher@example.org")
    form = _edit_form(school, name="X")
    browser = login(app, "teacher@example.org")
    page(browser, f"/schools/{school_id}/edit", expected=403)
    assert post(browser, f"/schools/{school_id}/edit", form)[0] == 403
    db_session.expire_all()
    assert db_session.get(School, school_id).name == "Okul"


# Joining a school ------------------------------------------------------------------------


def test_a_join_request_is_approved_by_the_school_admin(app, make, db_session, outbox):
    school = school_in(make, db_session, "NL-ZH", "Charlois College", city="Rotterdam")
    school_id = school.id
    make.member(school, MembershipRole.ADMIN, email="admin@example.org", name="Bram", locale="nl")
    teacher = make.user("teacher@example.org", name="Ingrid Berg", locale="nb")
    teacher_id = teacher.id
    outbox.clear()
    browser = login(app, "teacher@example.org")
    assert f'action="/schools/{school_id}/join"' in page(browser, f"/schools/{school_id}")

    status, location, _body = post(browser, f"/schools/{school_id}/join")

    assert status == 302
    assert location.endswith(f"/schools/{school_id}")
    db_session.expire_all()
    membership = db_session.get(Membership, (teacher_id, school_id))
    assert (membership.role, membership.status) == (MembershipRole.MEMBER, MembershipStatus.PENDING)
    body = page(browser, f"/schools/{school_id}")
    assert "Your request has been sent to the school&#39;s admins." in body
    assert "Your request to join is waiting for approval." in body
    assert f'action="/schools/{school_id}/join"' not in body
    [request_mail] = outbox
    assert request_mail["To"] == "admin@example.org"
    assert request_mail["Content-Language"] == "nl"
    assert "teacher@example.org" in body_of(request_mail)
    page(browser, f"/schools/{school_id}/members", expected=403)  # pending is not a member yet

    admin = login(app, "admin@example.org")
    members = page(admin, f"/schools/{school_id}/members")
    assert "Ingrid Berg" in members
    assert f'action="/schools/{school_id}/members/{teacher_id}/approve"' in members
    outbox.clear()

    status, location, _body = post(admin, f"/schools/{school_id}/members/{teacher_id}/approve")

    assert status == 302
    assert location.endswith(f"/schools/{school_id}/members")
    db_session.expire_all()
    membership = db_session.get(Membership, (teacher_id, school_id))
    assert (membership.role, membership.status) == (
        MembershipRole.MEMBER,
        MembershipStatus.APPROVED,
    )
    [entry] = audit(db_session, "school.membership_approved")
    assert entry.details == {"member": teacher_id}
    [approved_mail] = outbox
    assert approved_mail["To"] == "teacher@example.org"
    assert approved_mail["Content-Language"] == "nb"
    body = page(browser, f"/schools/{school_id}")
    assert "Your request to join is waiting for approval." not in body
    assert f'action="/schools/{school_id}/join"' not in body


def test_nobody_joins_a_school_waiting_for_verification(app, make, db_session, outbox):
    school = school_in(make, db_session, "TR-34", "Bekleyen Okul", status=SchoolStatus.PENDING)
    school_id = school.id
    make.member(school, MembershipRole.ADMIN, email="admin@example.org")
    coordinator_id = make.user("coord.tr@example.org", role="coordinator", countries=("TR",)).id
    coordinator = login(app, "coord.tr@example.org")
    outbox.clear()

    status, _location, _body = post(coordinator, f"/schools/{school_id}/join")

    assert status == 302
    assert "cannot take new members yet" in page(coordinator, f"/schools/{school_id}")
    assert db_session.get(Membership, (coordinator_id, school_id)) is None
    assert audit(db_session, "school.join_request") == []
    assert outbox == []


# Ambassador status -----------------------------------------------------------------------


@pytest.fixture
def candidate(make, db_session):
    """A verified school in İstanbul with a Turkish-speaking and a Dutch-speaking admin."""
    school = school_in(
        make, db_session, "TR-34", "Atatürk Anadolu Lisesi", ["upper_secondary"], ["tr", "en"]
    )
    make.member(school, MembershipRole.ADMIN, email="ayse@example.org", name="Ayşe", locale="tr")
    make.member(school, MembershipRole.ADMIN, email="bram@example.org", name="Bram", locale="nl")
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    return school.id


def _apply(app, school_id: int, email: str = "ayse@example.org") -> int:
    browser = login(app, email)
    body = page(browser, f"/schools/{school_id}/ambassador")
    first_year = school_year_of(_today())
    assert f'<option value="{first_year}"' in body
    status, location, _body = post(
        browser,
        f"/schools/{school_id}/ambassador",
        {"first_year": str(first_year), "years": "1", "motivation": MOTIVATION},
    )
    assert status == 302
    assert location.endswith(f"/schools/{school_id}")
    return db.session.scalar(
        select(AmbassadorPeriod.id).where(AmbassadorPeriod.school_id == school_id)
    )


def test_an_approved_application_makes_an_ambassador_school(app, db_session, outbox, candidate):
    school_id = candidate
    period_id = _apply(app, school_id)
    entry = db_session.get(AmbassadorPeriod, period_id)
    first_year = school_year_of(_today())
    assert entry.status is AmbassadorStatus.APPLIED
    assert (entry.starts_on, entry.ends_on) == (date(first_year, 9, 1), date(first_year + 1, 8, 31))
    assert entry.motivation == MOTIVATION
    assert len(audit(db_session, "ambassador.apply")) == 1
    # Before the decision the school is no ambassador anywhere.
    assert _BADGE not in page(app.test_client(), f"/schools/{school_id}")

    coordinator = login(app, "coord.tr@example.org")
    queue = page(coordinator, "/coordination")
    assert "Atatürk Anadolu Lisesi" in queue
    assert MOTIVATION in queue
    assert f'action="/ambassador-applications/{period_id}"' in queue
    outbox.clear()

    status, location, _body = post(
        coordinator, f"/ambassador-applications/{period_id}", {"approve": "1", "reason": ""}
    )

    assert status == 302
    assert location.endswith("/coordination")
    db_session.expire_all()
    entry = db_session.get(AmbassadorPeriod, period_id)
    assert entry.status is AmbassadorStatus.APPROVED
    assert entry.decided_at is not None
    [decision] = audit(db_session, "ambassador.approve")
    assert (decision.object_type, decision.object_id, decision.country_code) == (
        "ambassador_period",
        str(period_id),
        "TR",
    )
    assert decision.actor_id == entry.decided_by_id
    assert sorted(message["To"] for message in outbox) == ["ayse@example.org", "bram@example.org"]
    for message in outbox:
        locale = "tr" if message["To"] == "ayse@example.org" else "nl"
        assert message["Content-Language"] == locale
        assert message["Subject"] == translated(
            app, locale, "%(school)s is an ambassador school", school="Atatürk Anadolu Lisesi"
        )
        # Dates are written the way the reader's language writes them.
        assert in_locale(app, locale, format_date, entry.starts_on) in body_of(message)
        assert in_locale(app, locale, format_date, entry.ends_on) in body_of(message)
    assert "No application is waiting for a decision." in page(coordinator, "/coordination")

    visitor = app.test_client()
    assert _BADGE in page(visitor, f"/schools/{school_id}")
    assert badged(page(visitor, "/schools", q="ataturk")) == {"Atatürk Anadolu Lisesi"}
    assert cards(page(visitor, "/schools", q="", ambassadors="1")) == ["Atatürk Anadolu Lisesi"]
    region_page = page(visitor, "/directory/TR/TR-34")
    assert badged(region_page) == {"Atatürk Anadolu Lisesi"}
    assert "This region has no ambassador school yet." not in region_page
    counts = {row[1]: int(row[2]) for row in _REGION_ROW.findall(page(visitor, "/directory/TR"))}
    assert counts["TR-34"] == 1


def test_an_application_cannot_be_made_twice_or_by_a_plain_member(app, make, db_session, candidate):
    _apply(app, candidate)
    browser = login(app, "ayse@example.org")
    with browser.get(f"/schools/{candidate}/ambassador") as response:
        assert response.status_code == 302
    school = db_session.get(School, candidate)
    make.member(school, email="teacher@example.org")
    page(login(app, "teacher@example.org"), f"/schools/{candidate}/ambassador", expected=403)
    assert len(db_session.scalars(select(AmbassadorPeriod)).all()) == 1


def test_rejecting_an_application_needs_a_reason(app, db_session, outbox, candidate):
    period_id = _apply(app, candidate)
    coordinator = login(app, "coord.tr@example.org")
    outbox.clear()

    for reason in ("", "   \r\n  "):
        status, location, _body = post(
            coordinator, f"/ambassador-applications/{period_id}", {"reject": "1", "reason": reason}
        )
        assert status == 302
        assert location.endswith("/coordination")
        body = page(coordinator, "/coordination")
        assert "Please give the school a reason when you reject its application." in body
        db_session.expire_all()
        assert db_session.get(AmbassadorPeriod, period_id).status is AmbassadorStatus.APPLIED
    assert audit(db_session, "ambassador.reject") == []
    assert outbox == []

    reason = "Please plan at least two open days for other schools first."
    status, _location, _body = post(
        coordinator, f"/ambassador-applications/{period_id}", {"reject": "1", "reason": reason}
    )

    assert status == 302
    db_session.expire_all()
    entry = db_session.get(AmbassadorPeriod, period_id)
    assert entry.status is AmbassadorStatus.REJECTED
    assert entry.decision_reason == reason
    assert len(audit(db_session, "ambassador.reject")) == 1
    assert sorted(message["To"] for message in outbox) == ["ayse@example.org", "bram@example.org"]
    assert all(reason in body_of(message) for message in outbox)
    assert _BADGE not in page(app.test_client(), f"/schools/{candidate}")
    assert badged(page(app.test_client(), "/schools", q="ataturk")) == set()


def test_a_coordinator_of_another_country_cannot_decide(app, make, db_session, candidate):
    period_id = _apply(app, candidate)
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    coordinator = login(app, "coord.ro@example.org")
    assert "Atatürk Anadolu Lisesi" not in page(coordinator, "/coordination")
    status, _location, _body = post(
        coordinator, f"/ambassador-applications/{period_id}", {"approve": "1"}
    )
    assert status == 403
    db_session.expire_all()
    assert db_session.get(AmbassadorPeriod, period_id).status is AmbassadorStatus.APPLIED


def test_only_a_period_covering_today_counts(app, make, db_session):
    today = _today()
    current = school_in(make, db_session, "TR-34", "Current Ambassador")
    last_day = school_in(make, db_session, "TR-34", "Last Day Ambassador")
    expired = school_in(make, db_session, "TR-34", "Expired Ambassador")
    future = school_in(make, db_session, "TR-34", "Future Ambassador")
    rejected = school_in(make, db_session, "TR-34", "Rejected Ambassador")
    period(db_session, current, today - timedelta(days=30), today + timedelta(days=300))
    # Two overlapping approved periods still make one ambassador school.
    period(db_session, current, today - timedelta(days=10), today + timedelta(days=30))
    period(db_session, last_day, today - timedelta(days=365), today)
    period(db_session, expired, today - timedelta(days=365), today - timedelta(days=1))
    period(db_session, future, today + timedelta(days=1), today + timedelta(days=365))
    period(
        db_session,
        rejected,
        today - timedelta(days=30),
        today + timedelta(days=300),
        status=AmbassadorStatus.REJECTED,
    )
    hidden = [expired.id, future.id, rejected.id]
    last_day_id = last_day.id
    visitor = app.test_client()
    ambassadors = {"Current Ambassador", "Last Day Ambassador"}

    assert badged(page(visitor, "/schools", q="ambassador")) == ambassadors
    assert sorted(cards(page(visitor, "/schools", q="", ambassadors="1"))) == sorted(ambassadors)
    assert set(cards(page(visitor, "/directory/TR/TR-34"))) == ambassadors
    counts = {row[1]: int(row[2]) for row in _REGION_ROW.findall(page(visitor, "/directory/TR"))}
    assert counts["TR-34"] == 2
    assert "2 ambassador schools" in page(visitor, "/directory")
    for school_id in hidden:
        assert _BADGE not in page(visitor, f"/schools/{school_id}")
    assert _BADGE in page(visitor, f"/schools/{last_day_id}")


# The directory ---------------------------------------------------------------------------


def test_country_table_counts_ambassadors_and_upcoming_activities_per_region(app, make, db_session):
    istanbul_a = school_in(make, db_session, "TR-34", "İstanbul A")
    istanbul_b = school_in(make, db_session, "TR-34", "İstanbul B")
    school_in(make, db_session, "TR-34", "İstanbul Not Ambassador")
    ankara = school_in(make, db_session, "TR-06", "Ankara A")
    cluj = school_in(make, db_session, "RO-CJ", "Cluj A")
    for school in (istanbul_a, istanbul_b, ankara, cluj):
        make.ambassador(school)
    make.activity(istanbul_a, title="Açık gün")
    make.activity(istanbul_a, title="Ağ toplantısı", visibility=Visibility.NETWORK)
    make.activity(istanbul_b, title="İptal", status=ActivityStatus.CANCELLED)
    make.activity(istanbul_b, title="Geçmiş", starts_at=datetime.now(UTC) - timedelta(days=3))
    make.activity(ankara, title="Bilgi günü")
    make.activity(ankara, title="Bilgi günü 2")

    body = page(app.test_client(), "/directory/TR")

    rows = {
        code: (int(ambassadors), extra, int(upcoming))
        for _cc, code, ambassadors, extra, upcoming in _REGION_ROW.findall(body)
    }
    assert len(rows) == 81  # every province of Türkiye
    assert rows["TR-34"][0] == 2
    assert rows["TR-06"][0] == 1
    assert rows["TR-34"][2] == 1
    assert rows["TR-06"][2] == 2
    assert sum(ambassadors for ambassadors, _extra, _upcoming in rows.values()) == 3
    assert "no ambassador yet" in rows["TR-35"][1]
    assert "no ambassador yet" not in rows["TR-34"][1]
    assert body.count('class="white-spot"') == 79
    assert "RO-CJ" not in body


def test_a_region_without_ambassadors_lists_the_nearest_of_the_same_country(app, make, db_session):
    # Antwerpen (BE-VAN) lies in Flanders (BE-VLG) and has no ambassador school.
    hainaut = school_in(make, db_session, "BE-WHT", "Athénée Royal de Mons")
    brussels = school_in(make, db_session, "BE-BRU", "Brussels International School")
    flanders = school_in(make, db_session, "BE-VOV", "Sint-Barbaracollege Gent")
    limburg = school_in(make, db_session, "BE-VLI", "Zonnewijzer Hasselt")
    netherlands = school_in(make, db_session, "NL-NB", "Aa College Breda")
    for school in (hainaut, brussels, flanders, limburg, netherlands):
        make.ambassador(school)
    school_in(make, db_session, "BE-VAN", "Antwerps Atheneum")  # not an ambassador

    body = page(app.test_client(), "/directory/BE/BE-VAN")

    assert "This region has no ambassador school yet." in body
    assert "These ambassador schools nearby in the same country welcome visitors:" in body
    assert cards(body) == [
        "Sint-Barbaracollege Gent",  # same parent region first, by name
        "Zonnewijzer Hasselt",
        "Athénée Royal de Mons",  # then the rest of Belgium, by name
        "Brussels International School",
    ]
    assert badged(body) == set(cards(body))


def test_a_region_in_a_country_without_ambassadors_says_so(app, make, db_session):
    school_in(make, db_session, "NO-18", "Bodø videregående skole")
    body = page(app.test_client(), "/directory/NO/NO-18")
    assert "This region has no ambassador school yet." in body
    assert "No school in this country holds ambassador status yet." in body
    assert cards(body) == []


def test_region_page_filters_by_level_and_language(app, make, db_session):
    primary = school_in(make, db_session, "TR-34", "İlkokul", ["primary"], ["tr"])
    lycee = school_in(
        make, db_session, "TR-34", "Lise", ["lower_secondary", "upper_secondary"], ["tr", "en"]
    )
    make.ambassador(primary)
    make.ambassador(lycee)
    make.ambassador(school_in(make, db_session, "TR-06", "Ankara İlkokulu", ["primary"], ["tr"]))
    visitor = app.test_client()

    assert cards(page(visitor, "/directory/TR/TR-34")) == ["İlkokul", "Lise"]
    assert cards(page(visitor, "/directory/TR/TR-34", level="primary")) == ["İlkokul"]
    assert cards(page(visitor, "/directory/TR/TR-34", level="upper_secondary")) == ["Lise"]
    assert cards(page(visitor, "/directory/TR/TR-34", language="en")) == ["Lise"]
    assert cards(page(visitor, "/directory/TR/TR-34", language="tr")) == ["İlkokul", "Lise"]
    assert cards(page(visitor, "/directory/TR/TR-34", level="upper_secondary", language="tr")) == [
        "Lise"
    ]
    body = page(visitor, "/directory/TR/TR-34", level="vocational")
    assert cards(body) == []  # no "nearest" suggestions when filters find nothing
    assert "No ambassador school here matches these filters." in body
    assert "This region has no ambassador school yet." not in body
    page(visitor, "/directory/TR/TR-34", expected=400, level="nursery")
    page(visitor, "/directory/TR/TR-34", expected=400, language="xx")


@pytest.mark.parametrize(
    "url",
    ["/directory/XX", "/directory/TR/TR-99", "/directory/RO/TR-34", "/directory/XX/TR-34"],
)
def test_unknown_country_or_region_is_a_404(client, url):
    page(client, url, expected=404)


def test_directory_codes_are_case_insensitive(client):
    assert "Ambassador schools in" in page(client, "/directory/tr")
    page(client, "/directory/tr/tr-34")


# The school page -------------------------------------------------------------------------


def test_school_page_counts_non_cancelled_activities_per_pillar(app, make, db_session):
    school = school_in(make, db_session, "RO-CJ", "Școala Gimnazială nr. 1")
    other = school_in(make, db_session, "RO-CJ", "Alta Școală")
    past = datetime.now(UTC) - timedelta(days=20)
    make.activity(school, pillars=("collaboration", "shared_leadership"))
    make.activity(school, pillars=("collaboration",), visibility=Visibility.NETWORK)
    make.activity(school, starts_at=past, status=ActivityStatus.HELD, pillars=("collaboration",))
    make.activity(
        school, pillars=("collaboration", "inclusive_innovative"), status=ActivityStatus.CANCELLED
    )
    make.activity(other, pillars=("models_for_other_schools",))
    make.member(other, email="teacher@example.org")
    school_id = school.id

    body = page(login(app, "teacher@example.org"), f"/schools/{school_id}")

    assert {code: int(count) for code, count in _PILLAR_ROW.findall(body)} == {
        "shared_leadership": 1,
        "collaboration": 3,
        "students_agents_of_change": 0,
        "models_for_other_schools": 0,
        "inclusive_innovative": 0,
    }


def test_a_school_without_activities_has_no_chart(client, make, db_session):
    school = school_in(make, db_session, "RO-CJ", "Școala Nouă")
    body = page(client, f"/schools/{school.id}")
    assert _PILLAR_ROW.findall(body) == []
    assert "The chart appears once the school records activities." in body


def test_network_only_activities_are_hidden_from_anonymous_visitors(app, make, db_session):
    school = school_in(make, db_session, "NO-18", "Bodø videregående skole")
    past = datetime.now(UTC) - timedelta(days=20)
    make.activity(school, title="Åpen dag for alle")
    make.activity(school, title="Nettverksmøte for lærere", visibility=Visibility.NETWORK)
    make.activity(school, title="Holdt åpen dag", starts_at=past, status=ActivityStatus.HELD)
    make.activity(
        school,
        title="Holdt nettverksmøte",
        starts_at=past,
        status=ActivityStatus.HELD,
        visibility=Visibility.NETWORK,
    )
    make.activity(school, title="Avlyst åpen dag", status=ActivityStatus.CANCELLED)
    make.member(make.school("NO"), email="member@example.org")  # of another verified school
    school_id = school.id

    anonymous = page(app.test_client(), f"/schools/{school_id}")
    signed_in = page(login(app, "member@example.org"), f"/schools/{school_id}")

    for body in (anonymous, signed_in):
        assert "Åpen dag for alle" in body
        assert "Holdt åpen dag" in body
        assert "Avlyst åpen dag" not in body  # cancelled: not among the upcoming ones
    for title in ("Nettverksmøte for lærere", "Holdt nettverksmøte"):
        assert title not in anonymous
        assert title in signed_in


def test_contact_address_is_shown_to_signed_in_users_only(app, make, db_session):
    school = school_in(
        make,
        db_session,
        "NL-ZH",
        "Charlois College",
        contact_name="Sanne de Vries",
        contact_email="sanne.devries@example.org",
    )
    make.user("member@example.org")
    school_id = school.id
    assert "sanne.devries@example.org" not in page(app.test_client(), f"/schools/{school_id}")
    assert "sanne.devries@example.org" in page(
        login(app, "member@example.org"), f"/schools/{school_id}"
    )


# The eTwinning School label --------------------------------------------------------------


@pytest.mark.parametrize(
    ("label_year", "today", "expected"),
    [
        (None, date(2026, 8, 31), LabelState.NONE),
        (2024, date(2024, 8, 31), LabelState.NONE),  # awarded for a school year not begun
        (2024, date(2024, 9, 1), LabelState.VALID),
        (2024, date(2025, 8, 31), LabelState.VALID),
        (2024, date(2025, 9, 1), LabelState.VALID),  # the second school year of validity
        (2024, date(2026, 5, 3), LabelState.VALID),  # 120 days left
        (2024, date(2026, 5, 4), LabelState.EXPIRING),  # 119 days left
        (2024, date(2026, 8, 31), LabelState.EXPIRING),  # the last day
        (2024, date(2026, 9, 1), LabelState.EXPIRED),
        (2023, date(2026, 8, 31), LabelState.EXPIRED),
        (2025, date(2026, 8, 31), LabelState.VALID),
        (2026, date(2026, 8, 31), LabelState.NONE),
        (2026, date(2026, 9, 1), LabelState.VALID),
        (2026, date(2028, 8, 31), LabelState.EXPIRING),
        (2026, date(2028, 9, 1), LabelState.EXPIRED),
        (2026, date(2028, 2, 29), LabelState.VALID),  # leap day, 184 days left
    ],
)
def test_label_state_around_the_end_of_august(label_year, today, expected):
    assert label_state(label_year, today) is expected


def test_label_validity_and_school_years():
    assert label_valid_until(2024) == date(2026, 8, 31)
    assert school_year_of(date(2026, 8, 31)) == 2025
    assert school_year_of(date(2026, 9, 1)) == 2026
    assert school_year_of(date(2027, 1, 1)) == 2026
    assert EXPIRING_DAYS == 120


@pytest.mark.parametrize(
    ("years_ago", "css", "text"),
    [
        (0, "label-valid", "eTwinning School label valid"),
        (2, "label-expired", "eTwinning School label expired"),
        (None, None, None),
    ],
)
def test_school_page_shows_the_label_state(client, make, db_session, years_ago, css, text):
    label_year = None if years_ago is None else school_year_of(_today()) - years_ago
    school = school_in(make, db_session, "TR-34", "Etiketli Okul", label_year=label_year)
    body = page(client, f"/schools/{school.id}")
    if css is None:
        assert 'class="label-badge' not in body
    else:
        assert f'<span class="label-badge {css}">{text}</span>' in body
