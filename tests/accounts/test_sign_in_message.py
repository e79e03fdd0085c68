"""Following a link to a signed-in page while signed out: the sign-in page says why, in
the reader's language."""

from __future__ import annotations

import pytest

from app.core.i18n import LOCALES
from tests.support.mentoring import po_text

MESSAGE = "Please sign in to see this page."


@pytest.mark.parametrize("locale", LOCALES)
def test_the_sign_in_prompt_is_in_the_readers_language(client, locale):
    response = client.get("/account/", headers={"Accept-Language": locale})
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers={"Accept-Language": locale})
    text = page.get_data(as_text=True)
    expected = MESSAGE if locale == "en" else po_text(locale, MESSAGE)
    assert expected
    assert expected in text
    assert "Please log in to access this page." not in text
