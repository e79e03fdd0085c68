"""Every public page, in every locale: its language, the verbatim mission text, and axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.i18n import LOCALES
from app.mission import mission
from app.models import PILLAR_CODES
from app.templating import mission_plain

PAGES = ["/", "/pillars", *[f"/pillars/{code}" for code in PILLAR_CODES], "/login", "/no-such-page"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible_in_every_locale(page: Page, live_server, axe_check, path, locale):
    page.goto(f"{live_server}{path}?lang={locale}")
    expect(page.locator("html")).to_have_attribute("lang", locale)
    axe_check(page)


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
