"""Every public page, in every locale: its language, the verbatim mission text, and axe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.certificates import codes
from app.core.i18n import LOCALES
from app.core.templating import mission_plain
from app.mission.models import PILLAR_CODES
from app.mission.texts import mission
from app.registrations.links import token
from tests.browser.helpers import ambassador_schools, app_session, with_lang

#: Public pages by a name; a path, or a name looked up in the demo data (``demo_paths``).
PAGES = {
    "home": "/",
    "pillars": "/pillars",
    **{f"pillar-{code}": f"/pillars/{code}" for code in PILLAR_CODES},
    "privacy": "/privacy",
    "design": "/design",  # development and tests only
    "login": "/login",
    "register": "/register",
    "reset": "/reset",
    "directory": "/directory",
    "directory-country": "/directory/TR",
    "open-data": "/open-data/TR",
    "directory-region-with-ambassadors": None,
    "directory-region-without-ambassadors": None,
    "search": None,
    "school": None,
    "calendar-index": "/calendar",
    "calendar-country": "/calendar/TR",
    "calendar-month": "/calendar/TR/month",
    "activity": None,
    "activity-register": None,
    "registration": None,
    "registration-feedback": None,
    "certificates": "/certificates",
    "certificate": None,
    "api-docs": "/api/v1/docs",
    "not-found": "/no-such-page",
    "bad-request": "/?lang=xx",
}
STATUS = {"not-found": 404, "bad-request": 400}


@pytest.fixture(scope="module")
def demo_paths(live_app) -> dict[str, str]:
    """Stable choices in the demo data: the first Turkish ambassador school, its region, one
    of its public activities, and the first Turkish region without an ambassador school."""
    from app.activities.enums import ActivityStatus, Visibility
    from app.activities.models import Activity
    from app.geography.models import Region

    with app_session(live_app) as session:
        school = ambassador_schools(session, "TR")[0]
        covered = {s.region_code for s in ambassador_schools(session, "TR")}
        without = session.scalars(
            select(Region.code)
            .where(Region.country_code == "TR", Region.is_leaf.is_(True))
            .where(Region.code.not_in(covered))
            .order_by(Region.code)
        ).first()
        activities = session.scalars(
            select(Activity)
            .where(Activity.school_id == school.id, Activity.visibility == Visibility.PUBLIC)
            .order_by(Activity.id)
        ).all()
        held = [a for a in activities if a.status is ActivityStatus.HELD and a.reached]
        activity = (held or activities)[0]
        coming, came = registrations(session, school)
        return {
            "activity-register": f"/activities/{coming.activity_id}/register",
            "registration": f"/registrations/{token(coming)}",
            "registration-feedback": f"/registrations/{token(came)}/feedback",
            "certificate": f"/certificates/{codes.for_registration(came.id)}",
            "directory-region-with-ambassadors": f"/directory/TR/{school.region_code}",
            "directory-region-without-ambassadors": f"/directory/TR/{without}",
            "search": f"/schools?q={school.name.split()[0]}",
            "school": f"/schools/{school.id}",
            "activity": f"/activities/{activity.id}",
        }


def registrations(session, school):
    """A registration with a place for an open day of ``school`` in a week, and one of a
    teacher who came to its professional development day yesterday (certificate, survey)."""
    from app.activities.enums import ActivityStatus, ActivityType, RegistrationMode
    from app.activities.models import Activity, ActivityPillar
    from app.registrations.enums import RegistrationStatus
    from app.registrations.models import Registration

    made = []
    for kind, days, status in (
        (ActivityType.OPEN_DAY, 7, ActivityStatus.PLANNED),
        (ActivityType.PROFESSIONAL_DEVELOPMENT, -1, ActivityStatus.HELD),
    ):
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
        activity = Activity(
            school_id=school.id, country_code="TR", region_code=school.region_code, type=kind,
            title="Açık kapı günü", starts_at=starts, ends_at=starts + timedelta(hours=2),
            timezone=school.timezone, mode="in_person", location="Kadıköy", status=status,
            registration=RegistrationMode.OPEN, capacity=20,
        )  # fmt: skip
        activity.pillars = [ActivityPillar(pillar_code="models_for_other_schools")]
        registration = Registration(
            activity=activity, status=RegistrationStatus.CONFIRMED, name="Ayşe Yılmaz",
            email=f"ayse.{kind.value}@example.org", locale="tr", school_name="Yeni Okul",
            country_code="TR", region_code=school.region_code, people=2,
            attended=2 if status is ActivityStatus.HELD else None, secret="0" * 32,
            queued_at=starts - timedelta(days=3),
        )  # fmt: skip
        session.add_all([activity, registration])
        made.append(registration)
    session.commit()
    return made


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_in_every_locale(
    shared_page, live_server, demo_paths, axe_check, fits_phone, name, locale
):
    page = shared_page()
    path = PAGES[name] or demo_paths[name]
    if name == "bad-request":
        # ?lang= is what is wrong here: the reader's language comes from the browser.
        page.set_extra_http_headers({"Accept-Language": f"{locale};q=0.9"})
        url = f"{live_server}{path}"
    else:
        url = f"{live_server}{with_lang(path, locale)}"
    try:
        response = page.goto(url)
    finally:
        page.set_extra_http_headers({})
    assert response is not None
    assert response.status == STATUS.get(name, 200), url
    expect(page.locator("html")).to_have_attribute("lang", locale)
    axe_check(page)
    fits_phone(page)


def test_region_pages_show_ambassadors_or_their_absence(shared_page, live_server, demo_paths):
    page = shared_page()
    page.goto(f"{live_server}{demo_paths['directory-region-with-ambassadors']}?lang=en")
    expect(page.locator(".school-list .ambassador-badge").first).to_be_visible()
    page.goto(f"{live_server}{demo_paths['directory-region-without-ambassadors']}?lang=en")
    expect(page.get_by_text("This region has no ambassador school yet.")).to_be_visible()


@pytest.mark.parametrize("locale", LOCALES)
def test_pillars_page_shows_the_mission_text_verbatim(page: Page, live_server, locale):
    page.goto(f"{live_server}/pillars?lang={locale}")
    sections = page.locator(".pillar-section")
    expect(sections).to_have_count(len(PILLAR_CODES))
    for index, pillar in enumerate(mission(locale).pillars):
        section = sections.nth(index)
        assert section.locator("h2").inner_text() == pillar.title
        assert section.locator(".pillar-paragraph").inner_text() == mission_plain(pillar.paragraph)


def test_language_switcher_works_with_the_keyboard(page: Page, live_server):
    page.goto(f"{live_server}/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    switcher = page.locator("#language-menu")
    switcher.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Română").click()
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    first_title = mission("ro").pillars[0].title
    expect(page.locator(".pillar-card h3").first).to_have_text(first_title)


def test_a_content_security_policy_violation_is_caught(page: Page, live_server, no_csp_violations):
    """The guard every test relies on: an inline script refused by the CSP is reported."""
    page.goto(f"{live_server}/?lang=en")
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.inline = true";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("window.inline") is None
    assert any("Content Security Policy" in text for text in no_csp_violations)
    no_csp_violations.clear()
