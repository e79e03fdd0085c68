"""A choropleth of a country's regions as server-side SVG, for the dashboard and for any
page or document that embeds it (the printable report).

Each region is a link (keyboard-focusable, its figure in its accessible name) filled with
the colour of its class; the classes are the legend, and :attr:`Choropleth.colours` gives
the same colour to the table that repeats the figures. Nothing is fetched at run time:
the boundaries are app/geography/boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.geography.maps import country_map

#: No activity (or none of the figure), then five classes from light to dark (ColorBrewer
#: "Blues"; the darkest two keep white text legible, the lightest shows on white).
NONE_COLOUR = "#eceff1"
PALETTE = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True)
class Bin:
    """Values from ``low`` to ``high`` (inclusive) share ``colour``."""

    low: int
    high: int
    colour: str


@dataclass(frozen=True)
class Choropleth:
    svg: Markup
    bins: tuple[Bin, ...]
    colours: dict[str, str]  # region code → its fill, for the table and the legend


def classes(values: Mapping[str, int]) -> tuple[Bin, ...]:
    """Zero alone, then up to five classes holding about as many distinct values each."""
    distinct = sorted({value for value in values.values() if value > 0})
    bins = [Bin(0, 0, NONE_COLOUR)]
    count = min(len(PALETTE), len(distinct))
    for index in range(count):
        low = distinct[index * len(distinct) // count]
        last = index == count - 1
        high = distinct[-1] if last else distinct[(index + 1) * len(distinct) // count] - 1
        step = (len(PALETTE) - 1) / (count - 1) if count > 1 else 0
        bins.append(Bin(low, high, PALETTE[round(index * step) if count > 1 else 2]))
    return tuple(bins)


def colour_of(value: int, bins: tuple[Bin, ...]) -> str:
    return next((b.colour for b in reversed(bins) if value >= b.low), NONE_COLOUR)


def choropleth_svg(
    country: str,
    values: Mapping[str, int],
    *,
    label: Callable[[str], str],
    href: Callable[[str], str | None] = lambda _code: None,
    title: str = "",
) -> Choropleth | None:
    """The map of ``country`` coloured by ``values`` (region code → figure, in the order the
    keyboard visits them), or None where the country has no map. ``label(code)`` is a
    region's accessible name (its name and figure); ``href(code)`` where it leads (no link
    where None)."""
    shape = country_map(country)
    if shape is None:
        return None
    bins = classes(values)
    colours = {code: colour_of(values.get(code, 0), bins) for code in values}
    parts = [
        f'<svg class="choropleth" viewBox="0 0 {shape.width} {shape.height}" '
        f'role="group" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for code in values:  # in the order given: the order of the keyboard
        path = shape.paths.get(code)
        if path is None:
            continue
        name = escape(label(code))
        fill = colours[code]
        region = (
            f'<path d="{path}" fill="{fill}" fill-rule="evenodd" data-region="{code}" '
            f'stroke="#ffffff" stroke-width="1.2" stroke-linejoin="round"/>'
        )
        target = href(code)
        if target:
            parts.append(
                f'<a href="{escape(target)}" aria-label="{name}" class="map-region">'
                f"<title>{name}</title>{region}</a>"
            )
        else:
            parts.append(f'<g role="img" aria-label="{name}"><title>{name}</title>{region}</g>')
    parts.append("</svg>")
    return Choropleth(Markup("".join(parts)), bins, colours)  # noqa: S704 - escaped above
