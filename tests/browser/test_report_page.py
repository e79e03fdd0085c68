"""The printable report of a country: a page of its own (no site navigation), axe-clean
in every locale, fitting a phone, and printed without its links."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.core.i18n import LOCALES
from tests.browser.helpers import with_lang

COORDINATOR = "coordinator.tr@example.org"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_report_is_accessible_in_every_locale(
    shared_page, live_server, axe_check, fits_phone, locale
):
    page = shared_page(COORDINATOR)
    response = page.goto(f"{live_server}{with_lang('/dashboards/TR/report', locale)}")
    assert response is not None
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.locator("section.report-section")).to_have_count(4)
    axe_check(page)
    fits_phone(page)


def test_the_printed_report_has_no_links_bar_and_a_section_per_page(shared_page, live_server):
    page = shared_page(COORDINATOR)
    page.goto(f"{live_server}/dashboards/TR/report?lang=en")
    expect(page.locator(".report-actions")).to_be_visible()
    page.emulate_media(media="print")
    try:
        expect(page.locator(".report-actions")).to_be_hidden()
        breaks = page.locator("section.report-section").evaluate_all(
            "sections => sections.map(s => getComputedStyle(s).breakBefore)"
        )
    finally:
        page.emulate_media(media="screen")
    assert breaks == ["auto", "page", "page", "page"]
