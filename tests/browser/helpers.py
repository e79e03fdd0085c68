"""What the browser tests share: signing in, the language menu, catalogues, demo-data look-ups."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from playwright.sync_api import Page, expect
from sqlalchemy import select

PASSWORD = "demo-password"
ADMIN = "admin@example.org"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
#: Each locale's name for itself, as the language menu shows it.
LANGUAGE_NAMES = {
    "en": "English",
    "nl": "Nederlands",
    "tr": "Türkçe",
    "nb": "Norsk bokmål",
    "ro": "Română",
}


@lru_cache(maxsize=8)
def _catalog(locale: str) -> NullTranslations:
    if locale == "en":
        return NullTranslations()
    catalog = Translations.load(str(TRANSLATIONS), [locale])
    assert isinstance(catalog, Translations), f"no compiled catalogue for {locale}"
    return catalog


def gettext(locale: str, msgid: str, **values) -> str:
    """The app's own translation of ``msgid`` (compiled catalogue), with its placeholders."""
    text = _catalog(locale).gettext(msgid)
    return text % values if values else text


def ngettext(locale: str, singular: str, plural: str, num: int, **values) -> str:
    """The app's own translation of a message with plural forms, the form for ``num``."""
    return _catalog(locale).ngettext(singular, plural, num) % {"num": num, **values}


def with_lang(path: str, locale: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={locale}"


def sign_in(page: Page, base: str, email: str, locale: str = "en") -> None:
    """Sign in through the form, land on the home page in ``locale`` and see the account menu."""
    page.goto(f"{base}/login?lang={locale}&next={quote(f'/?lang={locale}', safe='')}")
    page.get_by_label(gettext(locale, "E-mail address")).fill(email)
    page.get_by_label(gettext(locale, "Password"), exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=gettext(locale, "Sign in")).click()
    expect(page.get_by_role("button", name=gettext(locale, "Your account"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", locale)


def choose_language(page: Page, locale: str) -> None:
    """Open the language menu and pick ``locale`` by its own name."""
    page.locator("#language-menu").click()
    page.get_by_role("button", name=LANGUAGE_NAMES[locale], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", locale)


# Demo data -------------------------------------------------------------------------------


def unambiguous_local(moment: datetime, timezone: str) -> datetime:
    """``moment`` as the school's wall-clock time to the minute, moved an hour earlier while
    that time happens twice (the form refuses it when the clocks go back)."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone).replace(second=0, microsecond=0)
    while local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        local = (local - timedelta(hours=1)).astimezone(zone)
    return local


def today() -> date:
    return datetime.now(UTC).date()


@contextmanager
def app_session(live_app):
    """The live app's database session, in a request context (audit and mail need one)."""
    from app.core.extensions import db

    with live_app.test_request_context():
        try:
            yield db.session
        finally:
            db.session.remove()


@dataclass(frozen=True)
class SchoolRef:
    id: int
    name: str
    country: str
    region: str
    region_name: str  # the official name; translate with app.core.i18n.region_name
    timezone: str


def school_ref(school) -> SchoolRef:
    return SchoolRef(
        school.id,
        school.name,
        school.country_code,
        school.region_code,
        school.region.name,
        school.timezone,
    )


def ambassador_schools(session, country: str) -> list:
    from app.schools.enums import SchoolStatus
    from app.schools.models import School
    from app.schools.operations import ambassador_now

    return session.scalars(
        select(School)
        .where(
            School.country_code == country,
            School.status == SchoolStatus.VERIFIED,
            ambassador_now(today()),
        )
        .order_by(School.id)
    ).all()


def user_id(session, email: str) -> int:
    from app.accounts.models import User

    found = session.scalar(select(User.id).where(User.email == email))
    assert found is not None, f"no demo account {email}"
    return found
