"""Locale choice: ?lang=, saved preference, session, Accept-Language, then English."""

import re

import pytest
from babel import Locale
from babel.numbers import format_decimal

from app.accounts.models import User
from app.core.i18n import LOCALES, country_name, language_name, normalise_locale, region_name
from app.core.templating import number


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ro-RO", "ro"),
        ("nb_NO", "nb"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("NL-be", "nl"),
        ("tr", "tr"),
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_locale(tag, expected):
    assert normalise_locale(tag) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ro-RO,en;q=0.5", "ro"),
        ("no", "nb"),
        ("nn,en;q=0.2", "nb"),
        ("de-DE,nl;q=0.8,en;q=0.5", "nl"),
        ("tr-TR", "tr"),
        ("fr-FR,de;q=0.9", "en"),
        ("", "en"),
    ],
)
def test_accept_language_picks_the_best_supported_locale(client, header, expected):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert html_lang(response) == expected


def test_session_choice_beats_accept_language(client):
    response = client.post("/language", data={"locale": "tr", "next": "/pillars"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/pillars"
    assert html_lang(client.get("/", headers={"Accept-Language": "nl"})) == "tr"


def test_saved_preference_beats_session(client, make, auth):
    make.user(email="pref@example.org", locale="ro")
    client.post("/language", data={"locale": "nl"})
    auth.login("pref@example.org")
    # Signing in starts a fresh session but keeps the chosen language; the profile wins.
    assert html_lang(client.get("/")) == "ro"


def test_switching_language_while_signed_in_saves_the_preference(client, make, auth, db_session):
    user = make.user(email="switch@example.org")
    auth.login("switch@example.org")
    client.post("/language", data={"locale": "nb"})
    assert db_session.get(User, user.id).locale == "nb"


def test_lang_parameter_overrides_for_one_request(client):
    assert html_lang(client.get("/?lang=ro")) == "ro"
    assert html_lang(client.get("/")) == "en"


@pytest.mark.parametrize("locale", ["xx", "de", "'><script>"])
def test_unknown_locale_is_a_localised_400(client, locale):
    response = client.post("/language", data={"locale": locale}, headers={"Accept-Language": "tr"})
    assert response.status_code == 400
    assert "Bu dil kullanılamıyor." in response.get_data(as_text=True)
    assert client.get(f"/?lang={locale}").status_code == 400


def test_language_switch_never_redirects_off_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/language", data={"locale": "nl", "next": target})
        assert response.headers["Location"] == "/"


def test_names_come_from_cldr_and_pycountry(app_ctx):
    assert country_name("TR", "nl") == "Turkije"
    assert country_name("NO", "tr") == "Norveç"
    assert language_name("tr", "nb") == "Tyrkisk"
    assert region_name("İstanbul", "en") == "İstanbul"


@pytest.mark.parametrize("locale", LOCALES)
def test_numbers_read_as_babel_writes_them(app, locale):
    """The short way for counts gives exactly what Babel gives, in every language."""
    values = [0, 1, 999, 1000, 1001, 65_536, 999_999, 1_200_000, 2**40, -5, -12_345, 3.25]
    with app.test_request_context(f"/?lang={locale}"):
        assert [number(v) for v in values] == [
            format_decimal(v, locale=Locale.parse(locale)) for v in values
        ]
        assert number(None) == "—"
