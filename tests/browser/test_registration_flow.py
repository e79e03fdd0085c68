"""Registering for an open day without an account, on a phone in Turkish: the form (once
with its errors), the link of the confirmation mail and its one button, the waiting list,
and a cancellation whose place goes to the first one waiting, who is told in Romanian with
the calendar invitation attached. Every page passes axe and fits a phone 320 px wide.

The open day is new and has two places. Before the Turkish visitor comes, one teacher has
confirmed a place (alone) and a Romanian school of two waits for the other (2 + 1 > 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import app_session, choose_language, gettext, ngettext, sign_in, today
from tests.browser.test_flows import demo_member
from tests.support.registrations import body, invitation

#: A phone held upright; ``fits_phone`` narrows it to 320 px for its check.
PHONE = {"width": 360, "height": 740}


@dataclass(frozen=True)
class OpenDay:
    id: int
    title: str
    #: A member of the organising school, who sees the registrations.
    organiser: str


@dataclass(frozen=True)
class Registrant:
    name: str
    email: str
    school: str
    region: str
    people: int


@pytest.fixture
def open_day(live_app) -> OpenDay:
    """A public open day of a Turkish school in a week, with two places; anyone registers."""
    from app.accounts.models import User
    from app.activities.enums import ActivityType, RegistrationMode
    from app.activities.operations import ActivityData, create_activity
    from app.core.enums import Mode
    from app.schools.models import School

    email, ref = demo_member(live_app, "TR", "member")
    zone = ZoneInfo(ref.timezone)
    starts = datetime.combine(today() + timedelta(days=8), time(10), tzinfo=zone).astimezone(UTC)
    title = f"Açık kapı günü: robotik atölyesi {uuid4().hex[:6]}"
    with app_session(live_app) as session:
        organiser = session.scalar(select(User).where(User.email == email))
        data = ActivityData(ActivityType.OPEN_DAY, title, starts, starts + timedelta(hours=3),
                            Mode.IN_PERSON, location="Fen laboratuvarı",
                            pillars=["models_for_other_schools"],
                            registration=RegistrationMode.OPEN, capacity=2)  # fmt: skip
        activity = create_activity(session.get(School, ref.id), data, organiser)
        session.commit()
        return OpenDay(activity.id, title, email)


def registrant(name: str, school: str, region: str, people: int = 1) -> Registrant:
    local = name.split()[0].lower().translate(str.maketrans("şçğıöüă", "scgioua"))
    return Registrant(name, f"{local}.{uuid4().hex[:8]}@example.org", school, region, people)


# Reading the mail the app sent ------------------------------------------------------------------


def mails_to(live_app, address: str) -> list[EmailMessage]:
    """Every mail the app has put in its outbox for ``address``, oldest first."""
    from app.core.models import OutboxMessage

    with app_session(live_app) as session:
        raws = session.scalars(
            select(OutboxMessage.raw)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        ).all()
    return [message_from_string(raw, policy=policy.default) for raw in raws]


def last_mail(live_app, address: str, count: int) -> EmailMessage:
    """The newest mail to ``address``, which must be its ``count``-th."""
    mails = mails_to(live_app, address)
    assert len(mails) == count, [m["Subject"] for m in mails]
    return mails[-1]


def link_in(message: EmailMessage, base: str, confirm: bool = False) -> str:
    """The registration's link in a mail's text: its confirmation link, or the one that
    manages it."""
    ending = r"/confirm" if confirm else r"(?=\s)"
    found = re.search(rf"{re.escape(base)}/registrations/[\w.-]+{ending}", body(message) + "\n")
    assert found, body(message)
    return found.group(0)


def calendar_of(message: EmailMessage) -> Calendar:
    """The mail's text/calendar invitation: a part of its own with ``method=REQUEST``."""
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    return Calendar.from_ical(invitation(message))


# The pages -----------------------------------------------------------------------------------


def phone(open_context, **kwargs) -> Page:
    return open_context(viewport=PHONE, **kwargs).new_page()


def register(page: Page, locale: str, who: Registrant) -> None:
    """Fill the registration form (the page open) and send it."""
    page.get_by_label(gettext(locale, "Your name"), exact=True).fill(who.name)
    page.get_by_label(gettext(locale, "E-mail address"), exact=True).fill(who.email)
    page.get_by_label(gettext(locale, "Your school"), exact=True).fill(who.school)
    page.get_by_label(gettext(locale, "Region of your school"), exact=True).select_option(
        who.region
    )
    page.get_by_label(gettext(locale, "Number of people coming"), exact=True).fill(str(who.people))
    page.locator("main").get_by_role("button", name=gettext(locale, "Register"), exact=True).click()
    sent = gettext(
        locale,
        "Almost done: we have sent a link to %(email)s. Open it and confirm to keep your place.",
        email=who.email,
    )
    expect(page.locator(".flash-area")).to_contain_text(sent)


def press_confirm(page: Page, locale: str) -> None:
    page.locator("main").get_by_role(
        "button", name=gettext(locale, "Confirm my registration")
    ).click()


def status(page: Page):
    return page.locator("main .registration-status")


def registered_earlier(
    open_context, base: str, live_app, open_day: OpenDay, who: Registrant, locale: str
) -> str:
    """``who`` registers in a browser that speaks ``locale`` and confirms by the mail's
    link; the link to their registration (from the mail that answers the confirmation)."""
    page = phone(open_context, locale=locale)
    page.goto(f"{base}/activities/{open_day.id}/register")
    expect(page.locator("html")).to_have_attribute("lang", locale)
    register(page, locale, who)
    page.goto(link_in(last_mail(live_app, who.email, 1), base, confirm=True))
    press_confirm(page, locale)
    expect(status(page)).to_be_visible()
    manage = link_in(last_mail(live_app, who.email, 2), base)
    page.context.close()
    return manage


def tr(msgid: str, **values) -> str:
    """The Turkish of ``msgid``, which must be translated (English would pass unseen)."""
    text = gettext("tr", msgid, **values)
    assert text != (msgid % values if values else msgid), f"not translated into Turkish: {msgid}"
    return text


# The flow --------------------------------------------------------------------------------------


def test_a_visitor_registers_on_a_phone_in_turkish_and_moves_up_when_a_place_frees(
    open_context, live_server, live_app, open_day, axe_check, fits_phone
):
    holder = registrant("Mehmet Demir", "Üsküdar Ortaokulu", "TR-34")
    waiting = registrant("Ioana Popescu", "Școala Gimnazială nr. 5", "RO-CJ", people=2)
    visitor = registrant("Ayşe Yılmaz", "Kadıköy İlkokulu", "TR-34")
    holder_link = registered_earlier(open_context, live_server, live_app, open_day, holder, "tr")
    registered_earlier(open_context, live_server, live_app, open_day, waiting, "ro")
    placed = last_mail(live_app, holder.email, 2)
    assert placed["Subject"] == tr("Your place is confirmed: %(title)s", title=open_day.title)
    assert calendar_of(placed).get("method") == "REQUEST"
    assert invitation(last_mail(live_app, waiting.email, 2)) is None

    # 1. The visitor's phone speaks English; she chooses Turkish in the menu.
    page = phone(open_context)
    page.goto(f"{live_server}/activities/{open_day.id}")
    page.get_by_role("button", name="Show or hide the menu").click()
    # The menu slides open; its language menu takes clicks once it has (class "show").
    expect(page.locator("#site-nav")).to_have_class(re.compile(r"\bshow\b"))
    choose_language(page, "tr")
    panel = page.locator(".registration-panel")
    expect(panel.get_by_role("heading", level=2)).to_have_text(tr("Come to this activity"))
    expect(panel).to_contain_text(tr("All places are taken."))
    panel.get_by_role("link", name=tr("Register"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Register for this activity"))
    axe_check(page)
    fits_phone(page)
    # Sent empty once: the errors are said in Turkish, and the page still passes.
    page.locator("main").get_by_role("button", name=tr("Register"), exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text(
        tr("Please correct the fields marked below.")
    )
    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    axe_check(page)
    fits_phone(page)
    register(page, "tr", visitor)
    expect(page.locator("html")).to_have_attribute("lang", "tr")

    # 2. The link of the mail opens a page with one button; pressing it puts her on the list.
    asked = last_mail(live_app, visitor.email, 1)
    assert asked["Content-Language"] == "tr"
    assert asked["Subject"] == tr("Confirm your registration: %(title)s", title=open_day.title)
    page.goto(link_in(asked, live_server, confirm=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Confirm your registration"))
    expect(page.locator("main")).to_contain_text(visitor.name)
    axe_check(page)
    fits_phone(page)
    press_confirm(page, "tr")

    expect(page.locator(".flash-area")).to_contain_text(
        tr(
            "All places are taken: you are number %(position)s on the waiting list. We will"
            " write to you as soon as a place frees up.",
            position=2,
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Your registration"))
    expect(status(page)).to_have_text(tr("Number %(position)s on the waiting list", position=2))
    axe_check(page)
    fits_phone(page)
    told = last_mail(live_app, visitor.email, 2)
    assert told["Subject"] == tr("You are on the waiting list: %(title)s", title=open_day.title)
    assert invitation(told) is None  # no place, no invitation
    assert link_in(told, live_server) == page.url

    # 3. The one with a place cancels by the link of their mail (in Turkish as well)...
    holding = phone(open_context, locale="tr")
    holding.goto(holder_link)
    expect(status(holding)).to_have_text(tr("Place confirmed"))
    axe_check(holding)
    fits_phone(holding)
    holding.get_by_role("button", name=tr("Cancel my registration")).click()
    expect(holding.locator(".flash-area")).to_contain_text(
        tr("Your registration has been cancelled. Thank you for letting us know.")
    )
    expect(status(holding)).to_have_text(tr("Cancelled"))

    # ... and the Romanian school of two, first on the list, is told in Romanian with the
    # invitation, while the visitor (one person, behind them) is now first on the list.
    promoted = last_mail(live_app, waiting.email, 3)
    assert promoted["Content-Language"] == "ro"
    assert promoted["Subject"] == gettext(
        "ro", "A place has freed up for you: %(title)s", title=open_day.title
    )
    assert promoted["Subject"].startswith("S-a eliberat un loc")
    good_news = ngettext(
        "ro",
        "Good news: a place has freed up, and it is yours. Your place is confirmed for %(num)s"
        " person. The invitation attached adds the activity to your calendar.",
        "Good news: places have freed up, and they are yours. Your places are confirmed for"
        " %(num)s people. The invitation attached adds the activity to your calendar.",
        2,
    )
    assert good_news in " ".join(body(promoted).split())
    invite = calendar_of(promoted)
    assert invite.get("method") == "REQUEST"
    (event,) = invite.walk("VEVENT")
    assert str(event["summary"]) == open_day.title
    assert str(event["attendee"]) == f"mailto:{waiting.email}"
    assert invitation(last_mail(live_app, holder.email, 3)) is not None  # the withdrawal
    page.reload()
    expect(status(page)).to_have_text(tr("Number %(position)s on the waiting list", position=1))
    assert len(mails_to(live_app, visitor.email)) == 2  # nothing to tell her yet

    # 4. The organising school sees who comes, who waits and who cancelled.
    organiser = open_context().new_page()
    sign_in(organiser, live_server, open_day.organiser, "tr")
    organiser.set_viewport_size(PHONE)
    organiser.goto(f"{live_server}/activities/{open_day.id}/registrations?lang=tr")
    expect(organiser.get_by_role("heading", level=1)).to_have_text(tr("Registrations"))
    for heading, name in (
        ("With a place", waiting.name),
        ("Waiting list", visitor.name),
        ("Cancelled", holder.name),
    ):
        section = organiser.locator("main section").filter(
            has=organiser.get_by_role("heading", name=f"{tr(heading)} (1)", exact=True)
        )
        expect(section.get_by_role("cell", name=name, exact=True)).to_be_visible()
    axe_check(organiser)
    fits_phone(organiser)
    for path, title in (("sign-in-sheet", "Sign-in sheet"), ("check-in", "Check-in")):
        organiser.goto(f"{live_server}/activities/{open_day.id}/{path}?lang=tr")
        expect(organiser.get_by_role("heading", level=1)).to_have_text(tr(title))
        axe_check(organiser)
        fits_phone(organiser)


def test_registered_schools_are_suggested_and_choosing_one_sets_its_region(
    open_context, live_server, live_app, open_day
):
    from app.schools.enums import SchoolStatus
    from app.schools.models import School

    with app_session(live_app) as session:
        school = session.scalars(
            select(School)
            .where(School.country_code == "RO", School.status == SchoolStatus.VERIFIED)
            .order_by(School.id)
        ).first()
        name, city, region = school.name, school.city, school.region_code
    page = phone(open_context)
    page.goto(f"{live_server}/activities/{open_day.id}/register?lang=en")
    field = page.get_by_label("Your school", exact=True)
    field.fill(name)
    suggestion = f"{name} — {city}" if city else name
    options = page.locator("#school-suggestions option")
    expect(options.first).to_be_attached()
    assert suggestion in options.evaluate_all("found => found.map(option => option.value)")
    field.fill(suggestion)  # what choosing the suggestion does
    expect(field).to_have_value(name)
    expect(page.get_by_label("Region of your school", exact=True)).to_have_value(region)
