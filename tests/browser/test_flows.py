"""Real user flows, by clicking and typing: registering and verifying a school, ambassador
status, finding an ambassador in the directory, and recording an activity in Norwegian.

Each flow works on schools of its own (new ones, or a country no other browser test
changes), so the flows and the page tests can run in any order.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from babel.dates import format_date, get_month_names
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import (
    SchoolRef,
    ambassador_schools,
    app_session,
    choose_language,
    gettext,
    school_ref,
    sign_in,
    unambiguous_local,
)


def demo_member(live_app, country: str, role: str) -> tuple[str, SchoolRef]:
    """The first demo account ``member.<cc>N`` (by e-mail) with ``role`` at a verified school."""
    from app.accounts.enums import MembershipRole, MembershipStatus
    from app.accounts.models import Membership, User
    from app.schools.enums import SchoolStatus
    from app.schools.models import School

    with app_session(live_app) as session:
        row = session.execute(
            select(User.email, School)
            .join(Membership, Membership.user_id == User.id)
            .join(School, School.id == Membership.school_id)
            .where(
                User.email.like(f"member.{country.lower()}%"),
                School.country_code == country,
                School.status == SchoolStatus.VERIFIED,
                Membership.role == MembershipRole(role),
                Membership.status == MembershipStatus.APPROVED,
            )
            .order_by(User.email)
        ).first()
        assert row is not None, f"no demo {role} in {country}"
        return row[0], school_ref(row[1])


def new_page(open_context, base: str, email: str | None, locale: str) -> Page:
    """A fresh browser for one person: signed in when ``email`` is given, then switched to
    ``locale`` with the language menu (which a signed-in user's profile remembers)."""
    page = open_context().new_page()
    if email is not None:
        sign_in(page, base, email)
    # Not from the page sign_in lands on (/?lang=en): the menu sends the reader back to the
    # same address, whose ?lang= would win over the choice.
    page.goto(f"{base}/")
    choose_language(page, locale)
    return page


def open_coordination(page: Page) -> None:
    """The staff menu of the navigation bar → the schools and applications to decide."""
    page.get_by_role("button", name="Coordination").click()
    page.get_by_role("link", name="Schools and applications to decide").click()
    expect(page.get_by_role("heading", name="Coordination", level=1)).to_be_visible()


def pending_badge(page: Page):
    return page.locator(".school-header").get_by_text("Pending verification")


def ambassador_badge(page: Page):
    return page.locator(".school-header").get_by_text("Ambassador school", exact=True)


# a. Registering a school, and its verification ------------------------------------------------


def test_a_member_registers_a_school_and_the_coordinator_verifies_it(
    open_context, live_server, live_app, axe_check
):
    email, _school = demo_member(live_app, "NL", "member")
    name = f"Basisschool De Proefbank {uuid4().hex[:6]}"
    member = new_page(open_context, live_server, email, "en")

    member.goto(f"{live_server}/schools/new")
    expect(member.get_by_role("heading", name="Register a school")).to_be_visible()
    member.get_by_label("Name of the school").fill(name)
    member.get_by_label("Region").select_option(label="Utrecht")
    member.get_by_label("Town or city").fill("Amersfoort")
    member.get_by_label("Primary", exact=True).check()
    axe_check(member)
    member.get_by_role("button", name="Save the school").click()

    expect(member.get_by_role("heading", level=1)).to_have_text(name)
    expect(
        member.get_by_text(
            "The school has been registered. A national coordinator will verify it; "
            "you are its school admin."
        )
    ).to_be_visible()
    expect(pending_badge(member)).to_be_visible()
    axe_check(member)
    school_url = member.url

    coordinator = new_page(open_context, live_server, "coordinator.nl@example.org", "en")
    open_coordination(coordinator)
    axe_check(coordinator)
    coordinator.get_by_role("button", name=f"Verify {name}", exact=True).click()

    expect(coordinator.get_by_text("The school is verified.")).to_be_visible()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(name)
    expect(pending_badge(coordinator)).to_have_count(0)

    member.reload()
    expect(member.get_by_role("heading", level=1)).to_have_text(name)
    expect(pending_badge(member)).to_have_count(0)
    visitor = open_context().new_page()
    response = visitor.goto(f"{school_url}?lang=en")
    assert response is not None
    assert response.status == 200
    expect(pending_badge(visitor)).to_have_count(0)


# b. Ambassador status --------------------------------------------------------------------------


@pytest.fixture
def verified_school(live_app) -> tuple[str, SchoolRef]:
    """A new verified Belgian school whose only admin is a demo member, without ambassador
    status or application: registered by the member, verified by the coordinator."""
    from app.accounts.models import User
    from app.geography.models import Region
    from app.schools.operations import SchoolData, create_school, verify_school

    email, _school = demo_member(live_app, "BE", "member")
    with app_session(live_app) as session:
        creator = session.scalar(select(User).where(User.email == email))
        coordinator = session.scalar(select(User).where(User.email == "coordinator.be@example.org"))
        region = session.scalars(
            select(Region)
            .where(Region.country_code == "BE", Region.is_leaf.is_(True))
            .order_by(Region.code)
        ).first()
        data = SchoolData(
            name=f"Basisschool Het Proefveld {uuid4().hex[:6]}",
            region_code=region.code,
            city="Testdorp",
            levels=["primary"],
            languages=["nl"],
        )
        school = create_school(data, creator, verified=False)
        verify_school(school, coordinator)
        session.commit()
        return email, school_ref(school)


def test_a_school_admin_applies_and_the_coordinator_approves_ambassador_status(
    open_context, live_server, verified_school, axe_check
):
    email, school = verified_school
    school_url = f"{live_server}/schools/{school.id}"
    admin = new_page(open_context, live_server, email, "en")

    admin.goto(school_url)
    expect(ambassador_badge(admin)).to_have_count(0)
    admin.get_by_role("link", name="Apply for ambassador status").click()
    expect(admin.get_by_role("heading", name="Apply for ambassador status")).to_be_visible()
    admin.get_by_label("Why your school wants to be an ambassador for its region").fill(
        "We hold open days for the primary schools of our town and mentor two of them."
    )
    axe_check(admin)
    admin.get_by_role("button", name="Apply", exact=True).click()
    expect(
        admin.get_by_text("Your application has been sent to your national coordinator.")
    ).to_be_visible()
    expect(ambassador_badge(admin)).to_have_count(0)

    coordinator = new_page(open_context, live_server, "coordinator.be@example.org", "en")
    open_coordination(coordinator)
    application = coordinator.locator("article").filter(
        has=coordinator.get_by_role("heading", name=school.name, exact=True)
    )
    expect(application).to_have_count(1)
    axe_check(coordinator)
    application.get_by_role("button", name="Approve").click()
    expect(coordinator.get_by_text(f"{school.name} is now an ambassador school.")).to_be_visible()

    coordinator.goto(school_url)
    expect(ambassador_badge(coordinator)).to_be_visible()
    admin.reload()
    expect(ambassador_badge(admin)).to_be_visible()
    axe_check(admin)


# c. Finding an ambassador through the directory -------------------------------------------------

#: Exact texts of translations/<locale>/LC_MESSAGES/messages.po, and CLDR's country names.
DIRECTORY = {
    "tr": {
        "country": "TR",
        "country_name": "Türkiye",
        "nav": "Okul dizini",
        "title": "Elçi okullar dizini",
        "in_country": "{} ülkesindeki elçi okullar",
        "in_region": "{} bölgesindeki elçi okullar",
        "badge": "Elçi okul",
    },
    "ro": {
        "country": "RO",
        "country_name": "România",
        "nav": "Lista școlilor",
        "title": "Lista școlilor ambasadoare",
        "in_country": "Școli ambasadoare din {}",
        "in_region": "Școli ambasadoare din {}",
        "badge": "Școală ambasadoare",
    },
}


@pytest.mark.parametrize("locale", DIRECTORY)
def test_a_visitor_finds_an_ambassador_school_through_the_directory(
    open_context, live_server, live_app, locale
):
    from app.core.i18n import region_name

    texts = DIRECTORY[locale]
    with app_session(live_app) as session:
        school = school_ref(ambassador_schools(session, texts["country"])[0])
    region = region_name(school.region_name, locale)
    page = new_page(open_context, live_server, None, locale)

    page.get_by_role("link", name=texts["nav"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["title"])
    page.get_by_role("link", name=re.compile(f"^{texts['country_name']}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        texts["in_country"].format(texts["country_name"])
    )
    page.get_by_role("link", name=region, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["in_region"].format(region))
    listed = page.locator(".school-list .school-item").filter(
        has=page.get_by_role("link", name=school.name, exact=True)
    )
    expect(listed.get_by_text(texts["badge"], exact=True)).to_be_visible()
    listed.get_by_role("link", name=school.name, exact=True).click()

    expect(page).to_have_url(re.compile(f"/schools/{school.id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(school.name)
    expect(page.locator(".school-header").get_by_text(texts["badge"], exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", locale)


# d. A Norwegian open day, recorded and reported -------------------------------------------------


def test_a_norwegian_member_records_an_open_day_and_its_participants(
    open_context, live_server, live_app, axe_check
):
    email, school = demo_member(live_app, "NO", "member")
    starts = unambiguous_local(datetime.now(UTC) - timedelta(hours=1), school.timezone)
    ends = unambiguous_local(starts + timedelta(hours=2), school.timezone)
    title = f"Åpen dag for nabeskolene {uuid4().hex[:6]}"
    page = new_page(open_context, live_server, email, "nb")

    page.goto(f"{live_server}/schools/{school.id}/activities")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Aktivitetene til {school.name}")
    axe_check(page)
    page.get_by_role("link", name="Registrer en aktivitet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer en aktivitet")
    expect(page.get_by_label("Aktivitetstype", exact=True)).to_have_value("open_day")
    expect(page.get_by_label("Modeller for andre skoler", exact=True)).to_be_checked()
    expect(page.get_by_label("Samarbeid", exact=True)).not_to_be_checked()
    page.get_by_label("Tittel", exact=True).fill(title)
    page.get_by_label("Starter", exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter", exact=True).fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted", exact=True).fill("Biblioteket")
    page.get_by_label("Samarbeid", exact=True).check()
    axe_check(page)
    page.get_by_role("button", name="Lagre aktiviteten").click()

    expect(page.get_by_text("Aktiviteten er registrert.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    for label in ("Modeller for andre skoler", "Samarbeid"):
        expect(page.locator(".activity-detail .pillar-badge").get_by_text(label)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Registrer deltakere").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hvordan gikk det?")
    page.get_by_label("Lærere", exact=True).fill("4")
    page.get_by_label("Elever", exact=True).fill("35")
    page.get_by_label("Foreldre", exact=True).fill("6")
    axe_check(page)
    page.get_by_role("button", name="Lagre rapporten").click()

    expect(page.get_by_text("Takk! Rapporten er lagret.")).to_be_visible()
    expect(page.locator(".activity-detail")).to_contain_text("Gjennomført")
    axe_check(page)

    page.goto(
        f"{live_server}/calendar/NO?region={school.region}&date_from={starts.date().isoformat()}"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalender for Norge")
    item = page.locator(".activity-item").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    expect(item).to_have_count(1)
    shown = format_date(starts.date(), "medium", locale="nb")  # e.g. "23. nov. 2026"
    month = get_month_names("abbreviated", locale="nb")[starts.month]
    assert month in shown
    assert month != get_month_names("abbreviated", locale="en")[starts.month]
    expect(item.locator(".activity-when")).to_contain_text(shown)
    badges = item.locator(".pillar-badge")
    expect(badges).to_have_count(2)
    for label in ("Modeller for andre skoler", "Samarbeid"):
        expect(badges.get_by_text(label, exact=True)).to_be_visible()
    axe_check(page)


def test_the_account_menu_works_with_the_keyboard_and_signs_out(
    open_context, live_server, live_app, axe_check
):
    email, _school = demo_member(live_app, "RO", "member")
    page = open_context().new_page()
    page.set_viewport_size({"width": 1200, "height": 800})
    sign_in(page, live_server, email, "ro")

    menu = page.get_by_role("button", name="Contul dumneavoastră")
    # On a phone the menu opens under its button, whole on the screen.
    page.set_viewport_size({"width": 320, "height": 800})
    page.get_by_role("button", name=gettext("ro", "Show or hide the menu")).click()
    # The menu slides open first: its account button is clicked once the menu is open.
    expect(page.locator("#site-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#account-menu + .dropdown-menu")).to_be_visible()
    box = page.locator("#account-menu + .dropdown-menu").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 320
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1200, "height": 800})
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    items = page.locator("#account-menu + .dropdown-menu")
    expect(items.get_by_role("link", name="Notificări prin e-mail")).to_be_visible()
    axe_check(page)
    # The header keeps one line beside the name, in the longest language of the menu.
    header = page.locator("header nav").bounding_box()
    assert header is not None
    assert header["height"] < 80, header
    sign_out = items.get_by_role("button", name="Deconectare")
    sign_out.focus()
    page.keyboard.press("Enter")
    # Signed out, the page follows the browser's language again (English here).
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()
