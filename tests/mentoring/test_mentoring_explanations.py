"""A proposal's score is explained criterion by criterion, in the reader's language.

The expected labels come from the message catalogs themselves (read with babel), and
the points shown must add up to the score shown beside them.
"""

from __future__ import annotations

import re

import pytest
from babel.numbers import format_decimal
from sqlalchemy import select

from app.core.enums import Mode
from app.core.i18n import LOCALES
from app.geography.models import Region
from app.mentoring.matching import engine
from app.mentoring.models import Match
from tests.support.mentoring import (
    add_mentor,
    add_request,
    etwinning_school,
    login,
    number,
    po_text,
    score_boxes,
)

#: The English label (the msgid) of each criterion of a score.
CRITERIA = {
    "same_region": "The mentor works in the school's own region",
    "region_served": "The mentor serves the school's region",
    "level_match": "They share an education level",
    "pillar_overlap": "The mentor knows the pillars the school wants to grow in",
    "mentor_load": "The mentor has free places",
    "waiting_time": "The school has been waiting",
}
SCORE = "Score %(score)s"

_CARD = re.compile(r'<article class="form-card h-100">(.*?)</article>', re.S)
_WITHDRAW = re.compile(r'action="/mentoring/proposals/(\d+)/withdraw"')


def run_cards(body: str) -> dict[int, tuple[str, list[tuple[str, str]]]]:
    """The score shown for each proposal on a run page, by match id."""
    cards = {}
    for card in _CARD.findall(body):
        (match_id,) = _WITHDRAW.findall(card)
        (box,) = score_boxes(card)
        cards[int(match_id)] = box
    return cards


def shown_score(total: str, locale: str):
    """The number in a "Score …" line, read in ``locale``."""
    prefix, suffix = po_text(locale, SCORE).split("%(score)s")
    assert total.startswith(prefix), total
    assert total.endswith(suffix), total
    return number(total[len(prefix) : len(total) - len(suffix)], locale)


def region(session, code: str) -> Region:
    return session.get(Region, code)


def run_for_turkey(app, make) -> tuple[object, int]:
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    coordinator = login(app, "coord.tr@example.org")
    response = coordinator.post("/mentoring/run", data={"country": "TR", "region": ""})
    assert response.status_code == 302
    return coordinator, int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def every_criterion(make, db_session) -> dict[str, int]:
    """Two requests whose best mentors together use all six criteria.

    The values are chosen so that every part is a whole number of tenths.
    """
    own, other = region(db_session, "TR-01"), region(db_session, "TR-06")
    near = etwinning_school(make, "TR", region=own)
    far = etwinning_school(make, "TR", region=other)
    local = add_mentor(
        make,
        db_session,
        near,
        capacity=1,
        levels=["primary"],
        pillars=["collaboration", "shared_leadership"],
        locale="nb",
        email="kari.mentor@example.org",
    )
    travelling = add_mentor(make, db_session, far, capacity=2, load=1, regions=["TR-01"])
    first = add_request(
        db_session,
        make.school("TR", region=own, name="Yeni İlkokul"),
        waiting_days=45,
        levels=["primary"],
        pillars=["collaboration", "shared_leadership"],
    )
    second = add_request(
        db_session,
        make.school("TR", region=own, name="Yeni Ortaokul"),
        waiting_days=90,
        mode=Mode.ONLINE,
    )
    return {
        "local": local.id,
        "travelling": travelling.id,
        "first": first.id,
        "second": second.id,
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_the_run_page_explains_each_score_in_five_languages(
    app, make, db_session, every_criterion, locale
):
    coordinator, run_id = run_for_turkey(app, make)
    db_session.expire_all()
    matches = {m.id: m for m in db_session.scalars(select(Match).where(Match.run_id == run_id))}
    used = {name for match in matches.values() for name in match.explanation}
    assert used == set(CRITERIA)  # both proposals together show every criterion

    page = coordinator.get(f"/mentoring/runs/{run_id}?lang={locale}")

    assert page.status_code == 200
    cards = run_cards(page.get_data(as_text=True))
    assert set(cards) == set(matches)
    for match_id, (total, parts) in cards.items():
        match = matches[match_id]
        score = format_decimal(match.score, locale=locale)
        assert total == po_text(locale, SCORE) % {"score": score}
        largest_first = sorted(match.explanation.items(), key=lambda item: -item[1])
        assert [label for label, _points in parts] == [
            po_text(locale, CRITERIA[name]) for name, _value in largest_first
        ]
        shown = [number(points, locale) for _label, points in parts]
        assert shown == [number(str(value / engine.POINTS), "en") for _n, value in largest_first]
        assert sum(shown) == number(score, locale)


def test_the_mentor_reads_the_explanation_in_their_own_language(
    app, make, db_session, every_criterion
):
    coordinator, run_id = run_for_turkey(app, make)
    assert coordinator.post(f"/mentoring/runs/{run_id}/confirm").status_code == 302
    match = db_session.scalar(
        select(Match).where(Match.run_id == run_id, Match.mentor_id == every_criterion["local"])
    )
    match_id, explanation = match.id, dict(match.explanation)
    mentor = login(app, "kari.mentor@example.org")  # saved language: Norwegian Bokmål

    page = mentor.get(f"/mentoring/matches/{match_id}")

    assert page.status_code == 200
    ((total, parts),) = score_boxes(page.get_data(as_text=True))
    assert [label for label, _points in parts] == [
        po_text("nb", CRITERIA[name])
        for name, _value in sorted(explanation.items(), key=lambda item: -item[1])
    ]
    assert sum(number(points, "nb") for _label, points in parts) == shown_score(total, "nb")


def test_points_in_thousandths_still_add_up_to_the_score(app, make, db_session):
    """A third of the places free and ten days of waiting: 0.667 and 0.111 points."""
    place = region(db_session, "TR-01")
    home = etwinning_school(make, "TR", region=place)
    add_mentor(make, db_session, home, capacity=3, load=1)
    add_request(db_session, make.school("TR", region=place), waiting_days=10)
    coordinator, run_id = run_for_turkey(app, make)
    match = db_session.scalar(select(Match).where(Match.run_id == run_id))
    assert match.explanation == {"same_region": 3000, "mentor_load": 667, "waiting_time": 111}

    page = coordinator.get(f"/mentoring/runs/{run_id}?lang=en").get_data(as_text=True)

    ((total, parts),) = run_cards(page).values()
    assert shown_score(total, "en") == number("3.778", "en")
    assert sum(number(points, "en") for _label, points in parts) == shown_score(total, "en")


def test_the_request_page_explains_each_ranked_mentor(app, make, db_session, every_criterion):
    newcomer_school = make.school("TR", region=region(db_session, "TR-01"))
    make.member(newcomer_school, email="teacher@example.org")
    request_id = add_request(
        db_session, newcomer_school, levels=["primary"], pillars=["collaboration"]
    ).id
    teacher = login(app, "teacher@example.org")

    page = teacher.get(f"/mentoring/requests/{request_id}?lang=ro").get_data(as_text=True)

    boxes = score_boxes(page)
    assert len(boxes) == 2  # both mentors serve the school's region
    labels = {label for _total, parts in boxes for label, _points in parts}
    assert po_text("ro", CRITERIA["same_region"]) in labels
    assert po_text("ro", CRITERIA["region_served"]) in labels
    for total, parts in boxes:
        assert sum(number(points, "ro") for _label, points in parts) == shown_score(total, "ro")
