"""People read a proposal as a fit out of 100 and the facts behind it, and every request a
run left out with its reason, in their language.

The expected words come from the message catalogs themselves (read with babel), not
from the code that renders them.
"""

from __future__ import annotations

import gettext
import html
import re
from functools import cache

import pytest
from babel.lists import format_list
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.core.enums import Mode
from app.core.i18n import LOCALES
from app.geography.models import Region
from app.mentoring.models import Match
from tests.support.mentoring import (
    TRANSLATIONS,
    add_mentor,
    add_request,
    etwinning_school,
    login,
    po_text,
    score_boxes,
)

FIT = "Fit: %(fit)s out of 100"
REGION = {
    "same": "Same region",
    "served": "Serves the school's region",
    "online": "Online, from another region",
}
LEVEL_NAMES = {"primary": "Primary", "lower_secondary": "Lower secondary"}
LANGUAGE_NAMES = {"en": {"nl": "Dutch"}, "nl": {"nl": "Nederlands"}, "tr": {"nl": "Felemenkçe"},
                  "nb": {"nl": "nederlandsk"}, "ro": {"nl": "neerlandeză"}}  # fmt: skip

_CARD = re.compile(r'<article class="form-card h-100">(.*?)</article>', re.S)
_WITHDRAW = re.compile(r'action="/mentoring/proposals/(\d+)/withdraw"')
_UNMATCHED = re.compile(
    r'<a href="/mentoring/requests/(\d+)">[^<]*</a>.*?<p class="unmatched-reason mb-0">(.*?)</p>',
    re.S,
)


@cache
def _plural(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return catalog, gettext.c2py(catalog.plural_expr)


def po_plural(locale: str, singular: str, plural: str, n: int) -> str:
    """The form the catalog of ``locale`` gives for ``n``."""
    if locale == "en":
        return singular if n == 1 else plural
    catalog, choose = _plural(locale)
    message = catalog.get(singular)
    assert message is not None, (locale, singular)
    assert all(message.string), (locale, singular)
    assert not message.fuzzy
    return message.string[choose(n)]


def said(locale: str, facts: dict) -> list[str]:
    """The facts of a stored proposal, as the catalogs word them."""
    words = [po_text(locale, REGION[facts["region"]])]
    if facts["levels"]:
        names = [po_text(locale, LEVEL_NAMES[code]) for code in facts["levels"]]
        levels = format_list(names, locale=locale)
        words.append(po_text(locale, "Both teach: %(levels)s") % {"levels": levels})
    elif facts["levels_wanted"]:
        words.append(po_text(locale, "No education level in common"))
    else:
        words.append(po_text(locale, "Any education level"))
    wanted = facts["pillars_wanted"]
    if wanted:
        form = po_plural(
            locale, "%(covered)s of %(num)s pillar", "%(covered)s of %(num)s pillars", wanted
        )
        words.append(form % {"covered": len(facts["pillars"]), "num": wanted})
    else:
        words.append(po_text(locale, "Any pillar"))
    days = facts["waiting_days"]
    if days:
        waiting = po_plural(locale, "Waiting %(num)s day", "Waiting %(num)s days", days)
        words.append(waiting % {"num": days})
    return words


def region(session, code: str) -> Region:
    return session.get(Region, code)


@pytest.fixture
def world(make, db_session) -> dict[str, int]:
    """Two requests served (every kind of fact between them), two left out."""
    own, other = region(db_session, "TR-01"), region(db_session, "TR-06")
    local = add_mentor(
        make,
        db_session,
        etwinning_school(make, "TR", region=own),
        capacity=1,
        levels=["primary"],
        pillars=["collaboration", "shared_leadership"],
        locale="nb",
        email="kari.mentor@example.org",
    )
    travelling = add_mentor(
        make, db_session, etwinning_school(make, "TR", region=other), capacity=2, load=1,
        regions=["TR-01"],
    )  # fmt: skip
    first = add_request(
        db_session,
        make.school("TR", region=own, name="Yeni İlkokul"),
        waiting_days=45,
        levels=["primary", "lower_secondary"],
        pillars=["collaboration", "shared_leadership", "inclusive_innovative"],
    )
    second = add_request(
        db_session,
        make.school("TR", region=own, name="Yeni Ortaokul"),
        waiting_days=90,
        mode=Mode.ONLINE,
    )
    dutch = add_request(
        db_session, make.school("TR", region=own, name="Hollanda Okulu"), languages=["nl"]
    )
    far = add_request(
        db_session,
        make.school("TR", region=region(db_session, "TR-34"), name="Uzak Okul"),
        mode=Mode.IN_PERSON,
        waiting_days=3,
    )
    return {"local": local.id, "travelling": travelling.id, "first": first.id,
            "second": second.id, "dutch": dutch.id, "far": far.id}  # fmt: skip


def run_for_turkey(app, make) -> tuple[object, int]:
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    coordinator = login(app, "coord.tr@example.org")
    response = coordinator.post("/mentoring/run", data={"country": "TR", "region": ""})
    assert response.status_code == 302
    return coordinator, int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.parametrize("locale", LOCALES)
def test_the_run_page_explains_each_proposal_and_each_request_left_out(
    app, make, db_session, world, locale
):
    coordinator, run_id = run_for_turkey(app, make)
    db_session.expire_all()
    matches = {m.id: m for m in db_session.scalars(select(Match).where(Match.run_id == run_id))}
    assert {(m.request_id, m.mentor_id, m.score) for m in matches.values()} == {
        (world["first"], world["local"], 30 + 30 + 27),
        (world["second"], world["travelling"], 20 + 30 + 40),
    }

    page = coordinator.get(f"/mentoring/runs/{run_id}?lang={locale}").get_data(as_text=True)

    cards = {int(_WITHDRAW.findall(card)[0]): score_boxes(card)[0] for card in _CARD.findall(page)}
    assert set(cards) == set(matches)
    for match_id, (total, facts) in cards.items():
        match = matches[match_id]
        assert total == po_text(locale, FIT) % {"fit": round(match.score)}
        assert facts == said(locale, match.explanation)
    reasons = {
        int(request_id): html.unescape(text) for request_id, text in _UNMATCHED.findall(page)
    }
    dutch = LANGUAGE_NAMES[locale]["nl"]
    assert reasons == {
        world["dutch"]: po_text(locale, "No mentor speaks %(languages)s.").replace(
            "%(languages)s", dutch[:1].upper() + dutch[1:]
        ),
        world["far"]: po_text(locale, "No mentor for in-person mentoring in this region."),
    }
    matched = po_plural(locale, "%(num)s request matched", "%(num)s requests matched", 2)
    assert matched % {"num": 2} in html.unescape(page)
    left = po_plural(
        locale,
        "%(num)s request left without a proposal",
        "%(num)s requests left without a proposal",
        2,
    )
    assert left % {"num": 2} in html.unescape(page)
    assert "4,611" not in page
    assert "+0." not in page


def test_the_mentor_reads_the_facts_in_their_own_language(app, make, db_session, world):
    coordinator, run_id = run_for_turkey(app, make)
    confirmed = coordinator.post(f"/mentoring/runs/{run_id}/confirm?lang=en", follow_redirects=True)
    assert "2 proposals have been sent to the mentors." in confirmed.get_data(as_text=True)
    match = db_session.scalar(
        select(Match).where(Match.run_id == run_id, Match.mentor_id == world["local"])
    )
    match_id, facts, fit = match.id, dict(match.explanation), round(match.score)
    mentor = login(app, "kari.mentor@example.org")  # saved language: Norwegian Bokmål

    page = mentor.get(f"/mentoring/matches/{match_id}").get_data(as_text=True)

    assert score_boxes(page) == [(po_text("nb", FIT) % {"fit": fit}, said("nb", facts))]
    assert facts["levels"] == ["primary"]
    assert facts["pillars_wanted"] == 3


def test_one_proposal_is_one_in_every_language(app, make, db_session):
    place = region(db_session, "TR-01")
    add_mentor(make, db_session, etwinning_school(make, "TR", region=place))
    add_request(db_session, make.school("TR", region=place))
    coordinator, run_id = run_for_turkey(app, make)

    confirmed = coordinator.post(f"/mentoring/runs/{run_id}/confirm?lang=ro", follow_redirects=True)

    text = html.unescape(confirmed.get_data(as_text=True))
    singular = po_plural(
        "ro",
        "%(num)s proposal has been sent to its mentor.",
        "%(num)s proposals have been sent to the mentors.",
        1,
    )
    assert singular % {"num": 1} in text
    assert "1 propuneri" not in text


def test_the_request_page_explains_each_mentor_who_fits(app, make, db_session, world):
    newcomer_school = make.school("TR", region=region(db_session, "TR-01"))
    make.member(newcomer_school, email="teacher@example.org")
    request_id = add_request(
        db_session, newcomer_school, levels=["primary"], pillars=["collaboration"], waiting_days=2
    ).id
    teacher = login(app, "teacher@example.org")

    page = teacher.get(f"/mentoring/requests/{request_id}?lang=ro").get_data(as_text=True)

    boxes = score_boxes(page)
    facts = {
        "local": {"region": "same", "levels": ["primary"], "pillars": ["collaboration"]},
        "travelling": {"region": "served", "levels": [], "pillars": []},
    }
    expected = [
        (
            po_text("ro", FIT) % {"fit": fit},
            # the page says when the school asked: no waiting time beside each mentor
            said("ro", {**facts[name], "levels_wanted": 1, "pillars_wanted": 1, "waiting_days": 0}),
        )
        for name, fit in (("local", 100), ("travelling", 20))
    ]
    assert boxes == expected  # the best first
