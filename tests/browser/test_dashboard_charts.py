"""The coordinator's dashboard as a browser draws it, at 1366 and 375 px in English and
Turkish: screenshots kept with the test results, the region table within the page, the
heat map's cells coloured by their counts, the map's regions reached by the keyboard."""

from __future__ import annotations

import pytest

from tests.browser.helpers import with_lang

COORDINATOR = "coordinator.tr@example.org"

#: Each heat-map level (its class) with the computed background of its cells.
_HEAT = """() => {
  const found = {};
  for (const cell of document.querySelectorAll(".heat-table td")) {
    const level = [...cell.classList].find(c => c.startsWith("heat-"));
    const colour = getComputedStyle(cell).backgroundColor;
    const shadow = getComputedStyle(cell).boxShadow;
    (found[level] ||= new Set()).add(`${colour}|${shadow}`);
  }
  return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, [...v]]));
}"""


@pytest.mark.parametrize("locale", ["en", "tr"])
@pytest.mark.parametrize("width", [1366, 375])
def test_dashboard_fits_and_is_drawn(shared_page, live_server, tmp_path, width, locale):
    page = shared_page(COORDINATOR)
    page.set_viewport_size({"width": width, "height": 900})
    try:
        response = page.goto(f"{live_server}{with_lang('/dashboards/TR', locale)}")
        assert response is not None
        assert response.status == 200
        shot = tmp_path / f"dashboard-TR-{locale}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert sideways <= 0, f"scrolls sideways by {sideways} px at {width} px"
        if width == 1366:
            overflow = page.evaluate(
                "() => { const t = document.querySelector('.region-table').parentElement;"
                " return t.scrollWidth - t.clientWidth; }"
            )
            assert overflow <= 0, f"the region table is cut by {overflow} px at 1366 px"
        assert page.locator("svg.choropleth a.map-region").count() == 81
        assert page.locator(".month-chart .axis-label").count() > 3
        pillars = page.locator(".chart-table tbody tr").count()
        assert page.locator(".bar-chart .value-label").count() == pillars > 0
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


def test_heat_map_cells_are_coloured_by_their_counts(shared_page, live_server):
    page = shared_page(COORDINATOR)
    page.goto(f"{live_server}/dashboards/TR?lang=en")
    levels = page.evaluate(_HEAT)
    assert len(levels) >= 3, levels
    for level, looks in levels.items():
        assert len(looks) == 1, f"{level} has cells of several colours: {looks}"
    colours = {level: looks[0] for level, looks in levels.items()}
    assert len(set(colours.values())) == len(colours), colours
    white = {"rgb(255, 255, 255)|none", "rgba(0, 0, 0, 0)|none"}
    assert not set(colours.values()) & white, colours


def test_every_region_of_the_map_is_reached_by_the_keyboard(shared_page, live_server):
    page = shared_page(COORDINATOR)
    page.goto(f"{live_server}/dashboards/TR?lang=tr")
    page.locator("#map").focus()
    reached = []
    for _ in range(120):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "() => document.activeElement.closest('svg.choropleth')"
            " ? document.activeElement.getAttribute('aria-label') : null"
        )
        if name is None and reached:
            break
        if name is not None:
            reached.append(name)
    assert len(reached) == len(set(reached)) == 81
    assert any(name.startswith("İstanbul, ") for name in reached)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**region=TR-**")
