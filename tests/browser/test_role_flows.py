"""From signing in to the first thing to do, for each role, each in another language:
everyone lands on their signed-in home and follows it to their work, on axe-clean pages.

Each flow makes its own people and schools, so flows and page tests run in any order."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.core.i18n import LOCALES
from tests.browser.helpers import PASSWORD as DEMO_PASSWORD
from tests.browser.helpers import app_session, gettext, ngettext
from tests.factories import PASSWORD, Factories


def sign_in_home(page: Page, base: str, email: str, locale: str) -> None:
    """Sign in through the form without a page to go back to: the signed-in home opens."""
    page.goto(f"{base}/login?lang={locale}")
    page.get_by_label(gettext(locale, "E-mail address")).fill(email)
    page.get_by_label(gettext(locale, "Password"), exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=gettext(locale, "Sign in")).click()
    expect(page).to_have_url(f"{base}/home")
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext(locale, "My work"))
    expect(page.locator("html")).to_have_attribute("lang", locale)


def block(page: Page, heading_id: str):
    return page.locator(f'section[aria-labelledby="{heading_id}"]')


def unique(text: str) -> str:
    return f"{text} {uuid4().hex[:6]}"


def test_a_teacher_in_romanian_reports_an_activity_from_the_home(
    page: Page, live_server, live_app, axe_check, fits_phone
):
    from app.accounts.models import User
    from app.activities.enums import ActivityType
    from app.activities.operations import ActivityData, create_activity
    from app.core.enums import Mode

    title = unique("Zi porților deschise")
    email = f"profesor.{uuid4().hex[:6]}@example.org"
    with app_session(live_app) as session:
        make = Factories(session)
        school = make.school("RO", name=unique("Școala Gimnazială Avram Iancu"))
        make.member(school, email=email, name="Ioana Popescu", locale="ro")
        start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=2)
        data = ActivityData(
            ActivityType.OPEN_DAY,
            title,
            start,
            start + timedelta(hours=2),
            Mode.ONLINE,
            online_url="https://meet.example/ro",
            pillars=["models_for_other_schools"],
        )
        activity = create_activity(school, data, session.get(User, 1))
        session.commit()
        activity_id = activity.id

    sign_in_home(page, live_server, email, "ro")
    to_report = block(page, "report-title")
    expect(to_report.get_by_role("heading")).to_contain_text(gettext("ro", "Activities to report"))
    axe_check(page)
    fits_phone(page)
    to_report.get_by_role("link", name=title).click()

    expect(page).to_have_url(f"{live_server}/activities/{activity_id}/report")
    axe_check(page)
    page.get_by_label(gettext("ro", "Teachers")).fill("12")
    page.get_by_role("button", name=gettext("ro", "Save the report")).click()

    expect(page.get_by_text(gettext("ro", "Thank you: the report has been saved."))).to_be_visible()
    page.goto(f"{live_server}/home")
    expect(block(page, "report-title").get_by_role("link", name=title)).to_have_count(0)


def test_a_school_admin_in_dutch_approves_a_join_request_from_the_home(
    page: Page, live_server, live_app, axe_check
):
    from app.accounts.enums import MembershipRole
    from app.schools.operations import request_membership

    email = f"directie.{uuid4().hex[:6]}@example.org"
    applicant = unique("Sanne de Vries")
    with app_session(live_app) as session:
        make = Factories(session)
        school = make.school("NL", name=unique("Het Stedelijk Lyceum"))
        make.member(school, role=MembershipRole.ADMIN, email=email, locale="nl", name="Kees Bakker")
        request_membership(school, make.user(name=applicant, locale="nl"))
        session.commit()

    sign_in_home(page, live_server, email, "nl")
    bell = ngettext("nl", "Notifications, %(num)d unread", "Notifications, %(num)d unread", 1)
    expect(page.get_by_role("link", name=bell)).to_be_visible()
    joins = block(page, "joins-title")
    expect(joins.get_by_role("heading")).to_contain_text(gettext("nl", "Requests to join"))
    axe_check(page)
    joins.get_by_role("link", name=applicant).click()

    expect(page).to_have_url(re.compile(r"/schools/\d+/members$"))
    axe_check(page)
    page.get_by_role("button", name=f"{gettext('nl', 'Approve')} {applicant}").click()

    approved = gettext("nl", "%(name)s is now a member of the school.", name=applicant)
    expect(page.get_by_text(approved)).to_be_visible()
    page.goto(f"{live_server}/home")
    expect(
        block(page, "joins-title").get_by_text(gettext("nl", "Nobody is waiting to join."))
    ).to_be_visible()


def test_a_mentor_in_norwegian_opens_a_proposal_from_the_home(
    page: Page, live_server, live_app, axe_check, fits_phone
):
    from app.mentoring.enums import MatchStatus
    from app.mentoring.models import Match, MentoringRequest, MentorProfile

    email = f"mentor.{uuid4().hex[:6]}@example.org"
    asking = unique("Tromsø barneskole")
    with app_session(live_app) as session:
        make = Factories(session)
        school = make.school(
            "NO", name=unique("Bergen katedralskole"), label_year=datetime.now(UTC).year
        )
        mentor = make.member(school, email=email, locale="nb", name="Ingrid Hansen")
        profile = MentorProfile(
            user_id=mentor.id,
            school_id=school.id,
            country_code="NO",
            region_code=school.region_code,
            capacity=2,
            languages=["nb"],
        )
        other = make.school("NO", name=asking)
        request = MentoringRequest(
            school_id=other.id, country_code="NO", region_code=other.region_code, languages=["nb"]
        )
        session.add_all([profile, request])
        session.flush()
        match = Match(request_id=request.id, mentor_id=profile.id, status=MatchStatus.PROPOSED)
        session.add(match)
        session.commit()
        match_id = match.id

    sign_in_home(page, live_server, email, "nb")
    proposals = block(page, "proposals-title")
    expect(proposals.get_by_role("heading")).to_contain_text(
        gettext("nb", "Proposals waiting for your answer")
    )
    axe_check(page)
    fits_phone(page)
    proposals.get_by_role("link", name=asking).click()

    expect(page).to_have_url(f"{live_server}/mentoring/matches/{match_id}")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    axe_check(page)


def test_a_coordinator_in_turkish_opens_the_verification_queue_from_the_home(
    page: Page, live_server, live_app, axe_check, fits_phone
):
    from app.schools.enums import SchoolStatus

    email = f"koordinator.{uuid4().hex[:6]}@example.org"
    waiting = unique("Yeni Ufuklar Ortaokulu")
    with app_session(live_app) as session:
        make = Factories(session)
        make.user(email, role="coordinator", countries=("TR",), locale="tr", name="Elif Yılmaz")
        make.school("TR", name=waiting, status=SchoolStatus.PENDING)

    sign_in_home(page, live_server, email, "tr")
    verify = block(page, "verify-title")
    expect(verify.get_by_role("heading")).to_contain_text(gettext("tr", "Schools to verify"))
    expect(verify.get_by_role("link", name=waiting)).to_be_visible()
    expect(block(page, "spots-title").get_by_role("link")).not_to_have_count(0)
    axe_check(page)
    fits_phone(page)
    verify.get_by_role("link", name=gettext("tr", "Schools and applications to decide")).click()

    expect(page).to_have_url(f"{live_server}/coordination")
    expect(page.get_by_text(waiting)).not_to_have_count(0)
    axe_check(page)


def test_the_admin_in_english_reads_their_notifications_from_the_bell(
    page: Page, live_server, live_app, axe_check, fits_phone
):
    from app.core.models import Notification

    email = f"root.{uuid4().hex[:6]}@example.org"
    name = unique("Liceul Teoretic Lucian Blaga")
    with app_session(live_app) as session:
        make = Factories(session)
        admin = make.user(email, role="admin", locale="en", name="Admin")
        school = make.school("RO", name=name)
        session.add_all(
            [
                Notification(
                    user_id=admin.id, kind="school.verified", payload={"school": school.id}
                ),
                Notification(
                    user_id=admin.id, kind="school.join_approved", payload={"school": school.id}
                ),
            ]
        )
        session.commit()

    sign_in_home(page, live_server, email, "en")
    page.get_by_role("link", name="Notifications, 2 unread").click()

    expect(page).to_have_url(f"{live_server}/notifications")
    expect(page.get_by_text("2 unread notifications.")).to_be_visible()
    axe_check(page)
    fits_phone(page)
    page.get_by_role("button", name=f"Mark as read You are now a member of {name}.").click()
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()

    expect(page.get_by_text("You have read every notification.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    page.get_by_role(
        "link", name=f"{name} has been verified: it is now part of the network."
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


@pytest.fixture(scope="module")
def notified(live_app) -> str:
    """An account with one notification of every kind the operations write, unread."""
    from app.accounts.operations import hash_password
    from app.core.models import Notification
    from app.mentoring.models import Match
    from app.schools.models import AmbassadorPeriod, LabelAward

    email = f"notified.{uuid4().hex[:6]}@example.org"
    with app_session(live_app) as session:
        make = Factories(session)
        school = make.school("BE", name=unique("Koninklijk Atheneum Sint-Niklaas"))
        user = make.member(school, email=email, name="Lotte Peeters")
        user.password_hash = hash_password(DEMO_PASSWORD)  # shared_page signs in with it
        ids = {
            "match": session.scalar(select(Match.id).order_by(Match.id)),
            "period": session.scalar(select(AmbassadorPeriod.id).order_by(AmbassadorPeriod.id)),
            "award": session.scalar(select(LabelAward.id).order_by(LabelAward.id)),
        }
        assert None not in ids.values(), ids
        payloads = [
            ("mentoring.proposal", {"match": ids["match"]}),
            ("mentoring.mentoring_accepted", {"match": ids["match"]}),
            ("mentoring.mentoring_declined", {"match": ids["match"]}),
            ("school.verified", {"school": school.id}),
            ("school.join_request", {"school": school.id, "user": user.id}),
            ("school.join_approved", {"school": school.id}),
            ("ambassador.decided", {"period": ids["period"], "approved": True}),
            ("ambassador.decided", {"period": ids["period"], "approved": False}),
            ("label.decided", {"award": ids["award"], "verified": True}),
            ("label.decided", {"award": ids["award"], "verified": False}),
        ]
        session.add_all(
            Notification(user_id=user.id, kind=kind, payload=payload) for kind, payload in payloads
        )
        session.commit()
    return email


@pytest.mark.parametrize("locale", LOCALES)
def test_every_kind_of_notification_reads_well_in_every_language(
    shared_page, live_server, notified, axe_check, fits_phone, locale
):
    page = shared_page(notified)
    page.goto(f"{live_server}/notifications?lang={locale}")

    expect(page.locator("html")).to_have_attribute("lang", locale)
    items = page.locator(".notification-body a")
    expect(items).to_have_count(10)  # each a sentence with a link to its object
    general = gettext(locale, "Something changed that concerns you.")
    expect(page.locator(".notification-body").filter(has_text=general)).to_have_count(0)
    axe_check(page)
    fits_phone(page)
