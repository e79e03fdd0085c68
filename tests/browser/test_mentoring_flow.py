"""A mentoring from end to end, in Romanian: the national coordinator runs the matching for
a region and confirms the proposal, the mentor accepts it, records a session and closes the
mentoring as completed.

The flow works on a school and a request of its own, in a Romanian region that one mentor
alone serves: the other flows leave Romania alone, and the page tests only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from uuid import uuid4

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import (
    app_session,
    choose_language,
    gettext,
    ngettext,
    sign_in,
    today,
    unambiguous_local,
)

LOCALE = "ro"
COORDINATOR = "coordinator.ro@example.org"
#: The mentor the signed-in page tests look at: this flow prefers another one.
PAGE_TESTS_MENTOR = "mentor.ro1@example.org"
_ = partial(gettext, LOCALE)


@dataclass(frozen=True)
class Setting:
    school: str
    region: str
    region_label: str  # as the region menu of the run page shows it in Romanian
    criterion: str  # how the proposal's region fact reads in Romanian
    fit: str  # the proposal's fit line in Romanian
    mentor_email: str
    mentor_name: str
    mentor_timezone: str


@pytest.fixture
def waiting_request(live_app) -> Setting:
    """A new verified Romanian school without label and its open request, in a region that
    exactly one available mentor serves and where no other request waits; the request
    shares the mentor's first language, level and pillar, and either way of meeting."""
    from app.accounts.models import User
    from app.core.enums import Mode
    from app.core.i18n import region_name
    from app.geography.models import Region
    from app.mentoring import pool
    from app.mentoring.models import MentoringRequest
    from app.schools.operations import SchoolData, create_school

    with app_session(live_app) as session:
        mentors = [profile for profile, _held in pool.free_mentors("RO", today())]
        mentors.sort(key=lambda m: (m.user.email == PAGE_TESTS_MENTOR, -m.id))

        def serves(mentor, region: str) -> bool:
            return region == mentor.region_code or region in (mentor.regions or [])

        chosen = next(
            (
                (mentor, region)
                for mentor in mentors
                if mentor.languages
                for region in [mentor.region_code, *sorted(mentor.regions or [])]
                if not any(serves(other, region) for other in mentors if other is not mentor)
                and not pool.waiting_requests("RO", region)
            ),
            None,
        )
        assert chosen is not None, "no Romanian mentor with free places serves a region alone"
        mentor, region = chosen
        coordinator = session.scalar(select(User).where(User.email == COORDINATOR))
        language, levels, pillars = mentor.languages[0], mentor.levels[:1], mentor.pillars[:1]
        school = create_school(
            SchoolData(
                name=f"Școala Gimnazială Mugurel {uuid4().hex[:6]}",
                region_code=region,
                city="Testești",
                levels=levels or ["primary"],
                languages=[language],
            ),
            coordinator,
            verified=True,
        )
        assert school.label_year is None
        session.add(
            MentoringRequest(
                school_id=school.id,
                country_code="RO",
                region_code=region,
                requested_by_id=None,
                pillars=pillars,
                languages=[language],
                levels=levels or ["primary"],
                mode=Mode.HYBRID,
                message="Suntem o școală nouă în eTwinning.",
            )
        )
        session.commit()
        own = region == mentor.region_code
        criterion = "Same region" if own else "Serves the school's region"
        # Region, then the level (shared when the mentor names one), then every pillar.
        fit = (30 if own else 20) + (30 if mentor.levels else 0) + 40
        return Setting(
            school=school.name,
            region=region,
            region_label=f"{region_name(session.get(Region, region).name, LOCALE)} (RO)",
            criterion=_(criterion),
            fit=_("Fit: %(fit)s out of 100", fit=fit),
            mentor_email=mentor.user.email,
            mentor_name=mentor.user.name,
            mentor_timezone=mentor.school.timezone,
        )


def romanian_page(open_context, base: str, email: str) -> Page:
    """A fresh browser for one person, signed in, who picks Romanian in the language menu."""
    page = open_context().new_page()
    sign_in(page, base, email)
    page.goto(f"{base}/")
    choose_language(page, LOCALE)
    return page


def match_status(page: Page):
    return page.locator("main .lead .match-status")


def test_the_coordinator_matches_a_school_and_the_mentor_completes_the_mentoring(
    open_context, live_server, waiting_request, axe_check
):
    setting = waiting_request
    assert _("Confirm and send to the mentors") == "Confirmați și trimiteți mentorilor"

    # The coordinator computes the proposals for the region and confirms them.
    coordinator = romanian_page(open_context, live_server, COORDINATOR)
    coordinator.goto(f"{live_server}/mentoring/run")
    expect(coordinator.locator("html")).to_have_attribute("lang", LOCALE)
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(_("Run the matching"))
    axe_check(coordinator)
    coordinator.get_by_label(_("Country"), exact=True).select_option(label="România")
    coordinator.get_by_label(_("Region"), exact=True).select_option(label=setting.region_label)
    coordinator.get_by_role("button", name=_("Compute proposals")).click()

    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        f"{_('Matching proposals')}: România · {setting.region}"
    )
    expect(coordinator.locator("html")).to_have_attribute("lang", LOCALE)
    expect(coordinator.get_by_text(_("draft: the mentors do not see it yet"))).to_be_visible()
    proposals = coordinator.locator("main article")
    expect(proposals).to_have_count(1)
    proposal = proposals.first
    expect(proposal.get_by_role("heading", level=2)).to_have_text(
        f"{setting.school} → {setting.mentor_name}"
    )
    expect(proposal.locator(".match-status")).to_have_text(_("Proposed"))
    expect(proposal.locator(".score-total")).to_have_text(setting.fit)
    facts = proposal.locator(".score-parts li")
    expect(facts.filter(has_text=setting.criterion)).to_have_count(1)
    axe_check(coordinator)
    coordinator.get_by_role("button", name="Confirmați și trimiteți mentorilor").click()

    sent = ngettext(
        LOCALE,
        "%(num)s proposal has been sent to its mentor.",
        "%(num)s proposals have been sent to the mentors.",
        1,
    )
    assert sent.startswith("1 propunere")
    expect(coordinator.get_by_text(sent)).to_be_visible()
    expect(
        coordinator.get_by_role("button", name=_("Confirm and send to the mentors"))
    ).to_have_count(0)
    expect(coordinator.get_by_text(_("draft: the mentors do not see it yet"))).to_have_count(0)

    # The mentor finds the proposal and accepts it.
    mentor = romanian_page(open_context, live_server, setting.mentor_email)
    mentor.goto(f"{live_server}/mentoring/")
    expect(mentor.get_by_role("heading", level=1)).to_have_text(_("Mentoring"))
    mentor.get_by_role("link", name=setting.school, exact=True).click()

    title = _("Mentoring of %(school)s", school=setting.school)
    expect(mentor.get_by_role("heading", level=1)).to_have_text(title)
    expect(match_status(mentor)).to_have_text(_("Proposed"))
    expect(mentor.locator(".score-parts li").filter(has_text=setting.criterion)).to_have_count(1)
    match_url = mentor.url
    axe_check(mentor)
    expect(mentor.get_by_text(_("Contact details"), exact=True)).to_have_count(0)
    mentor.get_by_role("button", name=_("Accept and start the mentoring"), exact=True).click()

    accepted = _("You have accepted and the mentoring has started. The school has been told.")
    expect(mentor.get_by_text(accepted)).to_be_visible()
    expect(match_status(mentor)).to_have_text(_("Active"))  # accepting starts it
    expect(mentor.get_by_role("region", name=_("Contact details"))).to_be_visible()
    expect(mentor.get_by_text(_("No session recorded yet."))).to_be_visible()
    axe_check(mentor)

    # A session held in the past hour, recorded from the match page.
    starts = unambiguous_local(datetime.now(UTC) - timedelta(minutes=55), setting.mentor_timezone)
    ends = starts + timedelta(minutes=45)
    session_title = f"Prima întâlnire de mentorat {uuid4().hex[:6]}"
    mentor.get_by_role("link", name=_("Record a session")).click()

    expect(mentor.get_by_role("heading", level=1)).to_have_text(_("Record an activity"))
    expect(mentor.get_by_label(_("Type of activity"), exact=True)).to_have_value(
        "mentoring_session"
    )
    mentor.get_by_label(_("Title"), exact=True).fill(session_title)
    mentor.get_by_label(_("Starts"), exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    mentor.get_by_label(_("Ends"), exact=True).fill(ends.strftime("%Y-%m-%dT%H:%M"))
    mentor.get_by_label(_("Place"), exact=True).fill("Biblioteca școlii")
    axe_check(mentor)
    mentor.get_by_role("button", name=_("Save the activity")).click()

    expect(mentor.get_by_text(_("The activity has been recorded."))).to_be_visible()
    expect(mentor.get_by_role("heading", level=1)).to_have_text(session_title)

    # Back on the match page: the mentoring runs; it is closed as completed.
    mentor.goto(match_url)
    expect(mentor.get_by_role("heading", level=1)).to_have_text(title)
    expect(match_status(mentor)).to_have_text(_("Active"))
    sessions = mentor.get_by_role("region", name=_("Mentoring sessions"))
    expect(sessions.get_by_role("link", name=session_title, exact=True)).to_be_visible()
    feedback = "Școala a pornit primul ei proiect eTwinning."
    mentor.get_by_label(_("Completed"), exact=True).check()
    mentor.get_by_label(_("Short feedback"), exact=True).fill(feedback)
    mentor.get_by_role("button", name=_("Close the mentoring")).click()

    expect(
        mentor.get_by_text(_("The mentoring has been closed. Thank you for the feedback."))
    ).to_be_visible()
    expect(match_status(mentor)).to_have_text(_("Completed"))
    expect(mentor.locator(".profile-list").last).to_contain_text(feedback)  # after the school's
    expect(mentor.get_by_role("button", name=_("Close the mentoring"))).to_have_count(0)
    expect(mentor.locator("html")).to_have_attribute("lang", LOCALE)
    axe_check(mentor)
