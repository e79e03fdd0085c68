"""The API answers in the language of ``?lang=`` or Accept-Language, names it in
Content-Language, and localises its error messages, pillars and place names."""

from __future__ import annotations

import pytest
from babel import Locale

from app.core.i18n import LOCALES
from app.mission.models import PILLAR_CODES
from app.mission.texts import mission
from tests.api.helpers import body, error, event_payload, invalid
from tests.support.mentoring import po_text

NEEDS_TOKEN = "This needs an API token. Create one on your account page."
NOT_SAVED = "Some fields are not valid. Nothing has been saved."


def _pillars(response, locale: str) -> None:
    items = body(response)["items"]
    assert response.headers["Content-Language"] == locale
    assert [item["code"] for item in items] == list(PILLAR_CODES)
    sections = mission(locale).pillars
    assert [item["title"] for item in items] == [section.title for section in sections]
    assert ["\n\n".join(item["paragraphs"]) for item in items] == [
        section.paragraph.strip() for section in sections
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_pillars_come_in_the_language_asked_with_lang(api, locale):
    _pillars(api("GET", f"pillars?lang={locale}"), locale)


def test_romanian_pillar_titles_are_the_mission_texts(api):
    titles = [item["title"] for item in body(api("GET", "pillars?lang=ro"))["items"]]
    assert titles == [section.title for section in mission("ro").pillars]
    assert titles != [section.title for section in mission("en").pillars]


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("nb", "nb"),
        ("nb-NO,en;q=0.5", "nb"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("tr-TR", "tr"),
        ("xx, ro;q=0.8", "ro"),
        ("xx", "en"),
        ("", "en"),
    ],
)
def test_pillars_follow_accept_language(api, header, locale):
    _pillars(api("GET", "pillars", headers={"Accept-Language": header}), locale)


def test_lang_wins_over_accept_language(api):
    _pillars(api("GET", "pillars?lang=tr", headers={"Accept-Language": "nb"}), "tr")


def test_the_answer_varies_by_accept_language(api):
    assert "Accept-Language" in api("GET", "countries").headers["Vary"]


@pytest.mark.parametrize("locale", ["tr", "nb", "ro", "nl"])
def test_error_messages_are_localised(api, locale):
    response = api("GET", f"mentoring-requests?lang={locale}")
    problem = error(response, 401, "unauthorized")
    assert response.headers["Content-Language"] == locale
    assert problem["message"] == po_text(locale, NEEDS_TOKEN)
    assert problem["message"] != NEEDS_TOKEN


def test_validation_messages_are_localised(api, member):
    payload = event_payload(member.school_id, pillars=[])
    headers = {"Accept-Language": "nb"}
    response = api("POST", "events", token=member.token, json=payload, headers=headers)
    assert response.headers["Content-Language"] == "nb"
    assert error(response, 422)["message"] == po_text("nb", NOT_SAVED)
    assert invalid(response)["pillars"] == [po_text("nb", "Choose at least one pillar.")]


def test_not_found_is_localised(api):
    problem = error(api("GET", "events/999999?lang=ro"), 404, "not_found")
    expected = po_text("ro", "The page you asked for does not exist or has moved.")
    assert problem["message"] == expected


@pytest.mark.parametrize("lang", ["xx", "english", "de"])
def test_an_unknown_lang_is_a_json_400(api, lang):
    response = api("GET", f"pillars?lang={lang}")
    problem = error(response, 400, "bad_request")
    assert problem["message"] == "That language is not available."
    assert response.headers["Content-Language"] == "en"


def test_country_names_are_localised(api):
    items = body(api("GET", "countries?lang=tr"))["items"]
    names = {item["code"]: item["name"] for item in items}
    turkish, english = Locale.parse("tr").territories, Locale.parse("en").territories
    assert names == {code: turkish[code] for code in ("BE", "NL", "NO", "RO", "TR")}
    assert names["NL"] != english["NL"]
    assert {item["timezone"] for item in items if item["code"] == "TR"} == {"Europe/Istanbul"}


def test_regions_of_a_country(api):
    items = body(api("GET", "countries/tr/regions"))["items"]
    codes = [item["code"] for item in items]
    assert "TR-34" in codes
    assert codes == sorted(codes)
    assert all(code.startswith("TR-") for code in codes)
    error(api("GET", "countries/XX/regions"), 404, "not_found")
