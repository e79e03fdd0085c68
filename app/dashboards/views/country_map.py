"""The dashboard's map: which figure it shows, each region's accessible name, its legend
and the table of the same figures in the same colours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.i18n import region_name
from app.core.templating import number
from app.dashboards.declaration import WHITE_SPOTS, RegionFigures
from app.dashboards.map import Bin, Choropleth, choropleth_svg

#: The figures the map can show (``?map=``), the first by default.
MAP_FIGURES = {
    "activities": _l("Activities held"),
    "reached": _l("Schools reached"),
    "ambassadors": _l("Ambassador schools"),
    "open_requests": _l("Open mentoring requests"),
    "white_spots": _l("White spots"),
}


@dataclass(frozen=True)
class MapView:
    figure: str
    choices: list[tuple[str, str]]
    chart: Choropleth
    rows: list[tuple[RegionFigures, str, int, str]]  # region, its name, value, colour
    legend: list[tuple[Bin, str]]


def requested_figure() -> str:
    figure = request.args.get("map") or "activities"
    if figure not in MAP_FIGURES:
        abort(400, description=_("That figure cannot be shown on the map."))
    return figure


def map_view(country: str, regions: list[RegionFigures], today: date, args: dict):
    """The map of ``regions`` (in the reader's order), or None where the country has none."""
    figure = requested_figure()
    names = {r.code: region_name(r.name) for r in regions}
    by_code = {r.code: r for r in regions}
    if figure == "white_spots":
        values = {r.code: len(r.white_spots(today)) for r in regions}
    else:
        values = {r.code: getattr(r, figure) for r in regions}

    def label(code: str) -> str:
        if figure != "white_spots":
            return _(
                "%(region)s, %(figure)s: %(value)s",
                region=names[code],
                figure=MAP_FIGURES[figure],
                value=number(values[code]),
            )
        reasons = [str(WHITE_SPOTS[spot]) for spot in by_code[code].white_spots(today)]
        if not reasons:
            return _("%(region)s: not a white spot", region=names[code])
        return _("%(region)s: %(reasons)s", region=names[code], reasons="; ".join(reasons))

    chart = choropleth_svg(
        country,
        values,
        label=label,
        href=lambda code: url_for("dashboards.country", cc=country, **dict(args, region=code)),
        title=str(MAP_FIGURES[figure]),
    )
    if chart is None:
        return None
    return MapView(
        figure=figure,
        choices=[(key, str(text)) for key, text in MAP_FIGURES.items()],
        chart=chart,
        rows=[(r, names[r.code], values[r.code], chart.colours[r.code]) for r in regions],
        legend=[(b, _range(b)) for b in chart.bins],
    )


def _range(step: Bin) -> str:
    if step.low == step.high:
        return number(step.low)
    return _("%(low)s to %(high)s", low=number(step.low), high=number(step.high))
