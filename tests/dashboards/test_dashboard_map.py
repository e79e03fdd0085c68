"""The dashboard's map: every region a link with its figure in its name, the colours of the
map, its legend and its table agree, the figure can be chosen, and the neighbours of each
region come from the same boundaries."""

from __future__ import annotations

import html
import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.activities.enums import ActivityStatus
from app.dashboards.map import NONE_COLOUR, PALETTE, choropleth_svg, classes
from app.geography import neighbours
from app.geography.models import Region
from tests.principals import sign_in

ANKARA, ISTANBUL, IZMIR = "TR-06", "TR-34", "TR-35"
SHADES = (NONE_COLOUR, *PALETTE)


def _part(page: str, start: str, end: str) -> str:
    found = page[page.index(start) :]
    return found[: found.index(end)]


def _map(page: str) -> dict[str, tuple[str, str, str]]:
    """Region code → (link, accessible name, fill) of each region of the map."""
    svg = _part(page, '<svg class="choropleth"', "</svg>")
    found = re.findall(
        r'<a href="([^"]+)" aria-label="([^"]+)" class="map-region"><title>[^<]+</title>'
        r'<path d="[^"]+" fill="(#[0-9a-f]{6})" fill-rule="evenodd" data-region="([A-Z]{2}-\w+)"',
        svg,
    )
    return {
        code: (html.unescape(href), html.unescape(name), fill) for href, name, fill, code in found
    }


def _table(page: str) -> dict[str, tuple[str, int]]:
    """Region code → (swatch colour, figure) of each row of the map's table."""
    table = _part(page, "map-table", "</table>")
    rows = re.findall(
        r'<tr data-region="([A-Z]{2}-\w+)"><th scope="row"><svg class="swatch"[^>]*>'
        r'<rect [^>]*fill="(#[0-9a-f]{6})".*?<td class="text-end">([\d\s.,]+)</td>',
        table,
    )
    return {code: (fill, int(re.sub(r"\D", "", value))) for code, fill, value in rows}


def _legend(page: str) -> list[tuple[str, str]]:
    legend = _part(page, 'class="map-legend"', "</ul>")
    return re.findall(r'fill="(#[0-9a-f]{6})"[^<]*></rect></svg>([^<]+)</li>', legend)


@pytest.fixture
def coordinator(client, make, db_session):
    user = make.user("coord.map@example.org", role="coordinator", countries=("TR", "NO"))
    sign_in(client, db_session, user.id)
    return user


@pytest.fixture
def ambassadors(make, db_session):
    """Ambassador schools: three in Ankara, two in İstanbul, one in İzmir, none elsewhere."""
    for code, count in ((ANKARA, 3), (ISTANBUL, 2), (IZMIR, 1)):
        region = db_session.get(Region, code)
        for _ in range(count):
            make.ambassador(make.school("TR", region=region))


def test_map_colours_match_the_table_and_the_legend(client, coordinator, ambassadors, db_session):
    page = client.get("/dashboards/TR?map=ambassadors&lang=en").get_data(as_text=True)
    shown, table = _map(page), _table(page)
    regions = set(db_session.scalars(select(Region.code).where(Region.country_code == "TR")))
    assert set(shown) == set(table) == regions
    for code, (_href, _name, fill) in shown.items():
        assert fill == table[code][0], code
    values = {code: value for code, (_fill, value) in table.items()}
    assert (values[ANKARA], values[ISTANBUL], values[IZMIR]) == (3, 2, 1)
    assert sum(values.values()) == 6
    # More is darker: the shade never goes down as the figure goes up, and differs here.
    ordered = sorted(regions, key=values.get)
    shades = [SHADES.index(shown[code][2]) for code in ordered]
    assert shades == sorted(shades)
    assert len({shown[c][2] for c in (ANKARA, ISTANBUL, IZMIR, "TR-01")}) == 4
    legend = dict(_legend(page))
    assert legend[shown["TR-01"][2]] == "0"
    assert legend[shown[ANKARA][2]] == "3"
    assert shown[ANKARA][1] == "Ankara, Ambassador schools: 3"


def test_each_region_of_the_map_drills_into_it(client, coordinator, ambassadors):
    page = client.get("/dashboards/TR?map=ambassadors&lang=tr").get_data(as_text=True)
    href, name, _fill = _map(page)[ISTANBUL]
    assert "region=TR-34" in href
    assert "map=ambassadors" in href
    assert name.startswith("İstanbul")
    drilled = client.get(href)
    assert drilled.status_code == 200
    assert "İstanbul" in drilled.get_data(as_text=True)


def test_the_map_follows_the_readers_alphabet(client, coordinator):
    page = client.get("/dashboards/TR?lang=tr").get_data(as_text=True)
    order = list(_map(page))
    assert order.index("TR-16") < order.index("TR-17") < order.index("TR-20")  # Bursa, Ç, D
    assert order.index("TR-32") < order.index(ISTANBUL) < order.index(IZMIR)  # Isparta, İ


def test_activities_held_are_the_default_figure(client, coordinator, make, db_session):
    school = make.school("TR", region=db_session.get(Region, IZMIR))
    held = datetime.now(UTC) - timedelta(days=2)
    make.activity(school, starts_at=held, status=ActivityStatus.HELD, participants_teachers=4)
    page = client.get("/dashboards/TR?lang=en").get_data(as_text=True)
    assert _table(page)[IZMIR][1] == 1
    assert _map(page)[IZMIR][1] == "İzmir, Activities held: 1"


def test_white_spots_name_their_reasons(client, coordinator):
    page = client.get("/dashboards/TR?map=white_spots&lang=en").get_data(as_text=True)
    _href, name, _fill = _map(page)[ANKARA]
    assert name == "Ankara: no ambassador school; no activity in the last six months"
    assert _table(page)[ANKARA][1] == 2


def test_norway_maps_its_fifteen_counties(client, coordinator):
    shown = _map(client.get("/dashboards/NO?lang=nb").get_data(as_text=True))
    assert len(shown) == 15
    assert {"NO-55", "NO-56", "NO-31", "NO-39"} <= set(shown)
    assert not {"NO-21", "NO-22", "NO-54", "NO-38"} & set(shown)


def test_unknown_figure_is_refused(client, coordinator):
    response = client.get("/dashboards/TR?map=pupils&lang=nl")
    assert response.status_code == 400
    assert "kaart" in response.get_data(as_text=True)


def test_classes_cover_every_value_without_gaps():
    values = {f"R{i}": v for i, v in enumerate([0, 0, 1, 2, 2, 3, 5, 8, 13, 21, 34, 55])}
    bins = classes(values)
    assert (bins[0].low, bins[0].high, bins[0].colour) == (0, 0, NONE_COLOUR)
    assert bins[1].low == 1
    assert bins[-1].high == 55
    assert len(bins) == 6
    for before, after in itertools.pairwise(bins[1:]):
        assert after.low == before.high + 1
    assert [b.colour for b in bins[1:]] == list(PALETTE)
    assert classes({"A": 0}) == bins[:1]
    assert [b.colour for b in classes({"A": 0, "B": 4, "C": 9})[1:]] == [PALETTE[0], PALETTE[-1]]


def test_a_country_without_a_map_gets_none(app_ctx):
    assert choropleth_svg("ES", {"ES-M": 1}, label=str) is None


def test_neighbours_share_a_border():
    turkey = neighbours("TR")
    assert {"TR-71", "TR-42", "TR-14", "TR-18"} <= turkey[ANKARA]  # Kırıkkale, Konya, Bolu…
    assert ISTANBUL in turkey["TR-41"]  # Kocaeli
    assert IZMIR not in turkey[ISTANBUL]
    for code, near in turkey.items():
        assert all(code in turkey[other] for other in near), code
    norway = neighbours("no")
    assert set(norway) == {
        "NO-03", "NO-11", "NO-15", "NO-18", "NO-31", "NO-32", "NO-33", "NO-34", "NO-39",
        "NO-40", "NO-42", "NO-46", "NO-50", "NO-55", "NO-56",
    }  # fmt: skip
    assert norway["NO-56"] == {"NO-55"}
    assert "NO-40" in norway["NO-39"]  # Vestfold and Telemark
    assert neighbours("ES") == {}
