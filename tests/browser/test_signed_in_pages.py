"""The pages behind sign-in, in every locale (``?lang=``), for the role that uses them: axe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.i18n import LOCALES
from tests.browser.helpers import ADMIN, app_session, gettext, user_id, with_lang

COORDINATOR = "coordinator.tr@example.org"

#: Page name → (role, path); ``None``: a path found in the demo data (``accounts``).
PAGES = {
    "account-profile": ("school_admin", "/account/"),
    "account-password": ("school_admin", "/account/password"),
    "account-two-factor": ("school_admin", "/account/two-factor"),
    "account-privacy": ("school_admin", "/account/privacy"),
    "account-tokens": ("school_admin", "/account/tokens"),
    "account-notifications": ("school_admin", "/account/notifications"),
    "account-notifications-coordinator": ("coordinator", "/account/notifications"),
    "school-edit": ("school_admin", None),
    "school-members": ("school_admin", None),
    "activity-new": ("school_admin", None),
    "activity-edit": ("school_admin", None),
    "activity-report": ("school_admin", None),
    "activity-held": ("coordinator", None),  # with the form that retracts its report
    "coordination": ("coordinator", "/coordination"),
    "schools-import": ("coordinator", "/schools/import"),
    "schools-new": ("coordinator", "/schools/new"),
    "admin-users": ("admin", "/admin/users"),
    "admin-user": ("admin", None),
    "admin-audit": ("admin", "/admin/audit"),
    "admin-audit-coordinator": ("coordinator", "/admin/audit?action=school.verify"),
    "admin-outbox": ("admin", "/admin/outbox"),
    "school-activities": ("school_admin", None),
    "mentoring-overview": ("mentor", "/mentoring/"),
    "mentor-profile": ("mentor", "/mentoring/profile"),
    "mentoring-match": ("admin", None),
    "mentoring-run": ("coordinator", "/mentoring/run"),
    "dashboards": ("admin", "/dashboards/"),
    "dashboard": ("coordinator", "/dashboards/TR"),
    "dashboard-region": ("coordinator", "/dashboards/TR?region=TR-06"),
    "home-school-admin": ("school_admin", "/home"),
    "home-mentor": ("mentor", "/home"),
    "home-coordinator": ("coordinator", "/home"),
    "home-admin": ("admin", "/home"),
    "notifications": ("school_admin", "/notifications"),
    "registrations": ("coordinator", None),
    "registrations-check-in": ("coordinator", None),
    "registrations-sign-in-sheet": ("coordinator", None),
    "registrations-feedback": ("coordinator", "/dashboards/TR/feedback"),
}


@dataclass(frozen=True)
class Accounts:
    emails: dict[str, str]
    paths: dict[str, str]


@pytest.fixture(scope="module")
def accounts(live_app) -> Accounts:
    """The first Romanian or Turkish demo school admin (by e-mail) whose school has a planned
    activity and one that has started: the flows use other countries, so nothing changes
    under these pages."""
    from app.accounts.enums import MembershipRole, MembershipStatus
    from app.accounts.models import Membership, User
    from app.schools.enums import SchoolStatus
    from app.schools.models import School

    now = datetime.now(UTC).replace(tzinfo=None)
    with app_session(live_app) as session:
        rows = session.execute(
            select(User.email, Membership.school_id)
            .join(Membership, Membership.user_id == User.id)
            .join(School, School.id == Membership.school_id)
            .where(
                User.email.like("member.%"),
                School.country_code.in_(["RO", "TR"]),
                School.status == SchoolStatus.VERIFIED,
                Membership.role == MembershipRole.ADMIN,
                Membership.status == MembershipStatus.APPROVED,
            )
            .order_by(User.email)
        ).all()
        fitting = (
            (email, school_id, found)
            for email, school_id in rows
            if (found := _planned_and_started(session, school_id, now)) is not None
        )
        chosen = next(fitting, None)
        if chosen is None:
            pytest.fail("no demo school admin with a planned and a started activity")
        email, school_id, (planned, started) = chosen
        return Accounts(
            emails={
                "school_admin": email,
                "coordinator": COORDINATOR,
                "admin": ADMIN,
                "mentor": "mentor.ro1@example.org",
            },
            paths={
                "school-edit": f"/schools/{school_id}/edit",
                "school-members": f"/schools/{school_id}/members",
                "activity-new": f"/schools/{school_id}/activities/new",
                "activity-edit": f"/activities/{planned}/edit",
                "activity-report": f"/activities/{started}/report",
                "admin-user": f"/admin/users/{user_id(session, COORDINATOR)}",
                "school-activities": f"/schools/{school_id}/activities",
                "mentoring-match": f"/mentoring/matches/{_first_match(session)}",
                "activity-held": f"/activities/{_first_held(session)}",
                **_registration_pages(session),
            },
        )


def _first_match(session) -> int:
    from app.mentoring.models import Match

    return session.scalar(select(Match.id).order_by(Match.id))


def _first_held(session) -> int:
    """A held activity of Türkiye, whose coordinator may retract its report."""
    from app.activities.enums import ActivityStatus
    from app.activities.models import Activity

    return session.scalar(
        select(Activity.id)
        .where(Activity.country_code == "TR", Activity.status == ActivityStatus.HELD)
        .order_by(Activity.id)
    )


def _registration_pages(session) -> dict[str, str]:
    """The organisers' pages of the Turkish activity with the most registrations."""
    from sqlalchemy import func

    from app.activities.models import Activity
    from app.registrations.models import Registration

    busiest = session.scalar(
        select(Registration.activity_id)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Activity.country_code == "TR")
        .group_by(Registration.activity_id)
        .order_by(func.count().desc(), Registration.activity_id)
    )
    return {
        "registrations": f"/activities/{busiest}/registrations",
        "registrations-check-in": f"/activities/{busiest}/check-in",
        "registrations-sign-in-sheet": f"/activities/{busiest}/sign-in-sheet",
    }


def _planned_and_started(session, school_id: int, now: datetime) -> tuple[int, int] | None:
    """A planned activity of the school (to edit) and one that has started (to report)."""
    from app.activities.enums import ActivityStatus
    from app.activities.models import Activity

    activities = session.scalars(
        select(Activity).where(Activity.school_id == school_id).order_by(Activity.id)
    ).all()
    planned = [a.id for a in activities if a.status is ActivityStatus.PLANNED]
    started = [
        a.id
        for a in activities
        if a.status is not ActivityStatus.CANCELLED and a.starts_at.replace(tzinfo=None) <= now
    ]
    return (planned[0], started[0]) if planned and started else None


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", PAGES)
def test_signed_in_page_is_accessible_in_every_locale(
    shared_page, live_server, accounts, axe_check, fits_phone, name, locale
):
    role, path = PAGES[name]
    path = path or accounts.paths[name]
    page = shared_page(accounts.emails[role])
    response = page.goto(f"{live_server}{with_lang(path, locale)}")
    assert response is not None
    assert response.status == 200, path
    assert urlsplit(page.url).path == urlsplit(path).path, f"{path} went to {page.url}"
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.get_by_role("button", name=gettext(locale, "Your account"))).to_be_visible()
    axe_check(page)
    fits_phone(page)
