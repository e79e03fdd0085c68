"""Reporting an activity: registered schools reached are found by search and added by
keyboard, removed again, and saved as links; the page passes axe with the list open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import app_session, gettext, sign_in
from tests.browser.test_flows import demo_member


def _started_activity_and_neighbours(live_app, school_id: int) -> tuple[int, list]:
    from app.accounts.models import User
    from app.activities.enums import ActivityType
    from app.activities.operations import ActivityData, create_activity
    from app.core.enums import Mode
    from app.schools.enums import SchoolStatus
    from app.schools.models import School

    with app_session(live_app) as session:
        school = session.get(School, school_id)
        actor = session.scalar(select(User).where(User.email == "admin@example.org"))
        start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
        data = ActivityData(ActivityType.INFO_SESSION, "Informatiemiddag", start,
                            start + timedelta(hours=1), Mode.ONLINE, online_url="https://meet.example/x",
                            pillars=["collaboration"])  # fmt: skip
        activity = create_activity(school, data, actor)
        neighbours = session.execute(
            select(School.id, School.name, School.city)
            .where(
                School.country_code == school.country_code,
                School.id != school.id,
                School.status == SchoolStatus.VERIFIED,
            )
            .order_by(School.id)
            .limit(2)
        ).all()
        session.commit()
        return activity.id, neighbours


def test_reached_schools_are_found_by_search_and_saved_as_links(
    page: Page, live_server, live_app, axe_check
):
    email, school = demo_member(live_app, "NL", "admin")
    activity_id, (first, second) = _started_activity_and_neighbours(live_app, school.id)
    sign_in(page, live_server, email, "nl")
    page.goto(f"{live_server}/activities/{activity_id}/report?lang=nl")

    search = page.get_by_label(gettext("nl", "Find a registered school"))
    for found in (first, second):
        search.fill(found.name)
        label = f"{found.name} — {found.city}" if found.city else found.name
        expect(page.locator(f'#reach-search-list option[value="{label}"]')).to_have_count(1)
        search.fill(label)
        search.press("Enter")
        expect(page.locator(f'.reach-chip[data-id="{found.id}"]')).to_be_visible()
    axe_check(page)
    remove = gettext("nl", "Remove %(name)s", name=second.name)
    page.get_by_role("button", name=remove).click()
    expect(page.locator(f'.reach-chip[data-id="{second.id}"]')).to_have_count(0)
    page.get_by_label(gettext("nl", "Teachers")).fill("7")
    page.get_by_role("button", name=gettext("nl", "Save the report")).click()

    expect(page).to_have_url(f"{live_server}/activities/{activity_id}")
    expect(page.locator(f'a[href="/schools/{first.id}"]').first).to_be_visible()
    expect(page.locator(f'main a[href="/schools/{second.id}"]')).to_have_count(0)
