"""A person creates an API token on their account page, a program uses it, the person
revokes it, and the program is refused from then on."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.helpers import gettext, sign_in


def test_a_token_made_on_the_account_page_works_until_revoked(page: Page, live_server, axe_check):
    sign_in(page, live_server, "coordinator.nl@example.org")
    page.goto(f"{live_server}/account/tokens?lang=nl")
    page.get_by_label(gettext("nl", "What the token is for")).fill("Regionale website")
    page.get_by_role("button", name=gettext("nl", "Create a token")).click()

    shown = page.get_by_label(gettext("nl", "Token"), exact=True)
    expect(shown).to_be_visible()
    token = shown.input_value()
    axe_check(page)
    api = page.context.request
    headers = {"Authorization": f"Bearer {token}"}
    answer = api.get(f"{live_server}/api/v1/dashboards/NL", headers=headers)
    assert answer.status == 200
    assert answer.json()["country"] == "NL"

    page.goto(f"{live_server}/account/tokens?lang=nl")
    assert token not in page.content()  # shown once, never again
    revoke = gettext("nl", "Revoke the token %(name)s", name="Regionale website")
    page.get_by_role("button", name=revoke).click()
    expect(page.get_by_text(gettext("nl", "revoked"), exact=True)).to_be_visible()

    refused = api.get(f"{live_server}/api/v1/dashboards/NL", headers=headers)
    assert refused.status == 401
    assert refused.headers["content-language"] == "en"
