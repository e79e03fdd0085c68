"""Searching schools by name and town, ignoring case and accents, with filters and keyset
pagination: through ``app.schools.directory.search_schools`` and through ``GET /schools``."""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.pagination import BadCursor
from app.geography.models import Region
from app.schools.directory import search_schools
from app.schools.enums import AmbassadorStatus, EducationLevel, SchoolStatus
from app.schools.models import AmbassadorPeriod, SchoolLanguage, SchoolLevel

_RESULT = re.compile(r'<p class="school-name[^"]*"><a href="/schools/(\d+)">([^<]*)</a>')
_NEXT = re.compile(r'<a class="btn btn-outline-primary" rel="next" href="([^"]+)"')

COMMA_BELOW = "\u0218coala Gimnazial\u0103 nr. 1"  # Ș (S with comma below)
CEDILLA = "\u015ecoala Gimnazial\u0103 nr. 2"  # Ş (S with cedilla), as older keyboards type it


def _today() -> date:
    return datetime.now(UTC).date()


def _search(text: str | None = None, per_page: int = 50, cursor: str | None = None, **filters):
    arguments = {
        "country": None,
        "region": None,
        "level": None,
        "language": None,
        "ambassadors_only": False,
        **filters,
    }
    return search_schools(text, **arguments, today=_today(), cursor=cursor, per_page=per_page)


def _names(page) -> list[str]:
    return [school.name for school in page.items]


def _get(client, **query):
    with client.get("/schools", query_string=query, headers={"Accept-Language": "en"}) as response:
        return response.status_code, response.get_data(as_text=True)


def _listed(body: str) -> list[str]:
    return [html.unescape(name) for _id, name in _RESULT.findall(body)]


def _next_link(body: str) -> str | None:
    found = _NEXT.search(body)
    return html.unescape(found.group(1)) if found else None


@pytest.fixture
def accented(make):
    """Schools written the way their own countries write them, and one that matches nothing."""
    make.school("TR", name="Atatürk Anadolu Lisesi", city="İSTANBUL")
    make.school("TR", name="Şişli Terakki Lisesi", city="Ankara")
    make.school("RO", name=COMMA_BELOW, city="Cluj-Napoca")
    make.school("RO", name=CEDILLA, city="Iași")
    make.school("NO", name="Nordland videregående skole", city="Bodø")
    make.school("NL", name="Charlois College", city="IJsselmonde")
    make.school("BE", name="Koninklijk Atheneum", city="Antwerpen")


ACCENT_CASES = [
    ("istanbul", ["Atatürk Anadolu Lisesi"]),
    ("İstanbul", ["Atatürk Anadolu Lisesi"]),
    ("ISTANBUL", ["Atatürk Anadolu Lisesi"]),
    ("sisli", ["Şişli Terakki Lisesi"]),
    ("ŞİŞLİ", ["Şişli Terakki Lisesi"]),
    ("scoala", [COMMA_BELOW, CEDILLA]),
    ("\u0219coala", [COMMA_BELOW, CEDILLA]),  # typed with comma below
    ("\u015fcoala", [COMMA_BELOW, CEDILLA]),  # typed with cedilla
    ("gimnaziala nr. 2", [CEDILLA]),
    ("iasi", [CEDILLA]),
    ("bodo", ["Nordland videregående skole"]),
    ("BODØ", ["Nordland videregående skole"]),
    ("videregaende", ["Nordland videregående skole"]),
    ("ijsselmonde", ["Charlois College"]),
    ("\u0133sselmonde", ["Charlois College"]),  # the Dutch ĳ ligature
    ("  charlois   COLLEGE ", ["Charlois College"]),
    ("zzz", []),
]


@pytest.mark.parametrize(("text", "expected"), ACCENT_CASES)
def test_search_ignores_case_and_accents(app_ctx, accented, text, expected):
    assert sorted(_names(_search(text))) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), ACCENT_CASES)
def test_search_page_ignores_case_and_accents(client, accented, text, expected):
    status, body = _get(client, q=text)
    assert status == 200
    assert sorted(_listed(body)) == sorted(expected)
    if not expected:
        assert "No school matches." in body


def test_an_empty_query_lists_every_verified_school(client, accented):
    status, body = _get(client, q="")
    assert status == 200
    assert len(_listed(body)) == 7


WILDCARD_NAMES = (
    "Okul 100% Başarı",
    "Okul 1000 Başarı",
    "Okul_A",
    "OkulXA",
    "Okul\\Kolej",
    "Okulk Kolej",  # what "l\k" would match if \ escaped the k
)


def _search_both_ways(app, client, text: str) -> tuple[list[str], list[str]]:
    with app.app_context():
        found = sorted(_names(_search(text)))
    status, body = _get(client, q=text)
    assert status == 200
    return found, sorted(_listed(body))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1%0", []),  # as a LIKE wildcard: "Okul 100% Başarı" and "Okul 1000 Başarı"
        ("k%j", []),  # as a LIKE wildcard: "Okul\Kolej" and "Okulk Kolej"
        ("l_a", ["Okul_A"]),  # as a LIKE wildcard: "OkulXA" as well
        ("_", ["Okul_A"]),  # as a LIKE wildcard: every school
        ("okul\\kolej", ["Okul\\Kolej", "Okulk Kolej"]),  # \ separates words, never escapes
    ],
)
def test_percent_underscore_and_backslash_are_no_wildcards(app, client, make, text, expected):
    for name in WILDCARD_NAMES:
        make.school("TR", name=name)
    assert _search_both_ways(app, client, text) == (expected, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100%", ["Okul 100% Başarı"]),
        ("%", ["Okul 100% Başarı"]),
        ("%_%", []),
    ],
)
def test_a_percent_sign_is_matched_literally(app, client, make, text, expected):
    for name in WILDCARD_NAMES:
        make.school("TR", name=name)
    assert _search_both_ways(app, client, text) == (expected, expected)


def _with_links(make, country, name, region=None, levels=(), languages=(), **fields):
    extra = {}
    if region:
        extra["region"] = make.session.get(Region, region)
    return make.school(
        country,
        name=name,
        levels=[SchoolLevel(level=EducationLevel(level)) for level in levels],
        languages=[SchoolLanguage(language=code) for code in languages],
        **extra,
        **fields,
    )


@pytest.fixture
def schools(make):
    """Verified schools that differ in country, region, levels, languages and status."""
    made = {
        "istanbul": _with_links(make, "TR", "Filter Istanbul", "TR-34", ["primary"], ["tr", "en"]),
        "ankara": _with_links(
            make, "TR", "Filter Ankara", "TR-06", ["upper_secondary", "vocational"], ["tr"]
        ),
        "cluj": _with_links(make, "RO", "Filter Cluj", "RO-CJ", ["primary"], ["ro", "en"]),
        "oslo": _with_links(make, "NO", "Filter Oslo", "NO-03", ["lower_secondary"], ["nb"]),
        "pending": _with_links(
            make,
            "TR",
            "Filter Pending",
            "TR-34",
            ["primary"],
            ["tr", "en"],
            status=SchoolStatus.PENDING,
        ),
    }
    make.ambassador(made["ankara"])
    make.ambassador(made["cluj"])
    # An ambassador period that ended yesterday and one not yet begun count for nothing.
    today = _today()
    make.session.add_all(
        [
            AmbassadorPeriod(
                school_id=made["oslo"].id,
                status=AmbassadorStatus.APPROVED,
                starts_on=today - timedelta(days=400),
                ends_on=today - timedelta(days=1),
            ),
            AmbassadorPeriod(
                school_id=made["istanbul"].id,
                status=AmbassadorStatus.APPROVED,
                starts_on=today + timedelta(days=1),
                ends_on=today + timedelta(days=300),
            ),
            AmbassadorPeriod(
                school_id=made["istanbul"].id,
                status=AmbassadorStatus.APPLIED,
                starts_on=today - timedelta(days=10),
                ends_on=today + timedelta(days=300),
            ),
        ]
    )
    make.session.commit()
    return made


FILTER_CASES = [
    ({}, ["Filter Ankara", "Filter Cluj", "Filter Istanbul", "Filter Oslo"]),
    ({"country": "TR"}, ["Filter Ankara", "Filter Istanbul"]),
    ({"country": "RO"}, ["Filter Cluj"]),
    ({"country": "BE"}, []),
    ({"region": "TR-34"}, ["Filter Istanbul"]),
    ({"level": "primary"}, ["Filter Cluj", "Filter Istanbul"]),
    ({"level": "vocational"}, ["Filter Ankara"]),
    ({"level": "pre_primary"}, []),
    ({"language": "en"}, ["Filter Cluj", "Filter Istanbul"]),
    ({"language": "nb"}, ["Filter Oslo"]),
    ({"ambassadors_only": True}, ["Filter Ankara", "Filter Cluj"]),
    ({"country": "TR", "ambassadors_only": True}, ["Filter Ankara"]),
    ({"country": "TR", "level": "primary", "language": "en"}, ["Filter Istanbul"]),
    ({"country": "RO", "level": "vocational"}, []),
]


def _query_string(filters: dict) -> dict:
    query = {key: value for key, value in filters.items() if key != "ambassadors_only"}
    if filters.get("ambassadors_only"):
        query["ambassadors"] = "1"
    return query


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_filters_narrow_the_search(app_ctx, schools, filters, expected):
    assert _names(_search("filter", **filters)) == expected


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_filters_narrow_the_search_page(client, schools, filters, expected):
    status, body = _get(client, q="filter", **_query_string(filters))
    assert status == 200
    assert _listed(body) == expected


def test_only_verified_schools_are_found(app, client, schools):
    pending_id = schools["pending"].id
    with app.app_context():
        assert _names(_search("pending")) == []
        assert "Filter Pending" not in _names(_search("filter"))
    status, body = _get(client, q="pending")
    assert status == 200
    assert _listed(body) == []
    assert f'href="/schools/{pending_id}"' not in body


def test_search_results_mark_ambassador_schools(client, schools):
    status, body = _get(client, q="filter")
    assert status == 200
    marked = set()
    for item in body.split('<li class="school-item">')[1:]:
        name = html.unescape(_RESULT.search(item).group(2))
        if "Ambassador school" in item:
            marked.add(name)
    assert marked == {"Filter Ankara", "Filter Cluj"}


# Pagination ------------------------------------------------------------------------------


@pytest.fixture
def many(app, make):
    """PER_PAGE + 5 schools; names repeat in threes so that a page boundary falls inside a
    group of schools with the same search key (only the id tells them apart)."""
    count = app.config["PER_PAGE"] + 5
    made = [make.school("NL", name=f"Paging School {index // 3:02d}") for index in range(count)]
    make.school("NL", name="Something Else")
    return sorted(made, key=lambda school: (school.search_key, school.id))


def test_search_pages_by_keyset(app, app_ctx, many):
    per_page = app.config["PER_PAGE"]
    first = _search("paging", per_page=per_page)
    assert [s.id for s in first.items] == [s.id for s in many[:per_page]]
    assert first.next_cursor
    second = _search("paging", per_page=per_page, cursor=first.next_cursor)
    assert [s.id for s in second.items] == [s.id for s in many[per_page:]]
    assert second.next_cursor is None


def test_search_page_next_link_keeps_the_filters(app, client, many):
    per_page = app.config["PER_PAGE"]
    status, body = _get(client, q="paging", country="NL")
    assert status == 200
    first = _RESULT.findall(body)
    assert [int(school_id) for school_id, _ in first] == [s.id for s in many[:per_page]]
    link = _next_link(body)
    assert link is not None
    assert "q=paging" in link
    assert "country=NL" in link

    with client.get(link) as response:
        assert response.status_code == 200
        body = response.get_data(as_text=True)
    second = _RESULT.findall(body)
    assert [int(school_id) for school_id, _ in second] == [s.id for s in many[per_page:]]
    assert _next_link(body) is None
    assert "Back to the first page" in body


def test_a_full_page_without_more_results_has_no_next_link(app, client, make):
    for index in range(app.config["PER_PAGE"]):
        make.school("BE", name=f"Exact Page {index:02d}")
    status, body = _get(client, q="exact page")
    assert status == 200
    assert len(_listed(body)) == app.config["PER_PAGE"]
    assert _next_link(body) is None


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


GARBAGE_CURSORS = [
    "garbage",
    "!!!",
    "%%%",
    _cursor(["only one value"]),
    _cursor(["paging school 00", 1, 2]),
    _cursor({"a": 1}),
    _cursor([True, 1]),
    _cursor([None, 1]),
    base64.urlsafe_b64encode(b"\xff\xfe not json").decode(),
    # Well-formed cursors whose values have the wrong type for (search_key, id):
    _cursor(["paging school 00", "not a number"]),
    _cursor([1, 2]),
]


@pytest.mark.parametrize("after", GARBAGE_CURSORS)
def test_a_garbage_cursor_is_a_400(client, many, after):
    status, _body = _get(client, q="paging", after=after)
    assert status == 400


@pytest.mark.parametrize("after", GARBAGE_CURSORS)
def test_search_schools_refuses_a_garbage_cursor(app_ctx, many, after):
    with pytest.raises(BadCursor):
        _search("paging", cursor=after)


@pytest.mark.parametrize(
    "query",
    [
        {"country": "XX"},
        {"country": "tr"},
        {"level": "nursery"},
        {"language": "xx"},
        {"language": "EN"},
        {"region": "TR-99"},
        {"region": "nowhere"},
    ],
)
def test_an_unknown_filter_value_is_a_400(client, query):
    status, body = _get(client, q="okul", **query)
    assert status == 400
    assert "That filter value is not available." in body


def test_a_very_long_query_is_cut_not_refused(client, make):
    make.school("TR", name="Uzun Okul")
    status, body = _get(client, q="uzun okul" + "x" * 5000)
    assert status == 200
    assert _listed(body) == []
    status, body = _get(client, q="uzun" + " " * 300)
    assert status == 200
    assert _listed(body) == ["Uzun Okul"]


# Every word of the query, in any order ---------------------------------------------


@pytest.fixture
def worded(make):
    """Names as registers write them (capitals, the town first) and as schools write them."""
    make.school("TR", name="İSTANBUL ŞİŞLİ ANADOLU LİSESİ", city="İstanbul")
    make.school("TR", name="Kadıköy Anadolu Lisesi", city="İstanbul")
    make.school("TR", name="Şişli Terakki Ortaokulu", city="İstanbul")
    make.school("RO", name="Colegiul Na\u021bional \u0218tefan cel Mare", city="Suceava")
    make.school("NO", name="Bodø videregående skole", city="Bodø")
    make.school("NL", name="Stedelijk Gymnasium IJsselstein", city="IJsselstein")


WORD_CASES = [
    ("sisli istanbul", ["İSTANBUL ŞİŞLİ ANADOLU LİSESİ", "Şişli Terakki Ortaokulu"]),
    ("sisli istanbul lisesi", ["İSTANBUL ŞİŞLİ ANADOLU LİSESİ"]),
    ("lisesi ŞİŞLİ", ["İSTANBUL ŞİŞLİ ANADOLU LİSESİ"]),
    ("kadıköy lisesi", ["Kadıköy Anadolu Lisesi"]),
    ("KADIKÖY   İstanbul", ["Kadıköy Anadolu Lisesi"]),
    ("anadolu lisesi", ["İSTANBUL ŞİŞLİ ANADOLU LİSESİ", "Kadıköy Anadolu Lisesi"]),
    ("lis anad", ["İSTANBUL ŞİŞLİ ANADOLU LİSESİ", "Kadıköy Anadolu Lisesi"]),  # parts of words
    ("kadıköy ortaokulu", []),  # each word is somewhere, never in the same school
    ("\u015ftefan na\u0163ional", ["Colegiul Na\u021bional \u0218tefan cel Mare"]),  # cedilla
    ("suceava colegiul", ["Colegiul Na\u021bional \u0218tefan cel Mare"]),
    ("skole BODO videregaende", ["Bodø videregående skole"]),
    ("\u0133sselstein gymnasium", ["Stedelijk Gymnasium IJsselstein"]),  # the ĳ ligature
    ("gymnasium zzqx", []),
]


@pytest.mark.parametrize(("text", "expected"), WORD_CASES)
def test_every_word_matches_somewhere_in_any_order(app, client, worded, text, expected):
    assert _search_both_ways(app, client, text) == (sorted(expected), sorted(expected))


def test_the_api_finds_schools_by_every_word(client, worded):
    with client.get("/api/v1/schools", query_string={"q": "sisli istanbul lisesi"}) as response:
        assert response.status_code == 200
        names = [item["name"] for item in response.get_json()["items"]]
    assert names == ["İSTANBUL ŞİŞLİ ANADOLU LİSESİ"]


def test_the_words_of_a_search_are_folded_and_the_redundant_ones_left_out():
    from app.core.text import search_words

    assert search_words("  Şişli İSTANBUL ist is ") == ["istanbul", "sisli"]
    assert search_words("ştefan ȘTEFAN") == ["stefan"]
    assert search_words("") == []
