"""The region maps of the dashboards (boundaries built by scripts/build_maps.py from
Natural Earth, see boundaries/NOTICE) and the regions that share a border."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class CountryMap:
    """A country's regions as SVG path data in a box ``width`` × ``height``."""

    width: int
    height: int
    paths: dict[str, str]  # region code → SVG path data
    neighbours: dict[str, frozenset[str]]


@cache
def country_map(country_code: str) -> CountryMap | None:
    """The map of a country, or None where none is built."""
    source = resources.files("app.geography").joinpath("boundaries", f"{country_code.lower()}.json")
    if not source.is_file():
        return None
    data = json.loads(source.read_text("utf-8"))
    return CountryMap(
        width=data["width"],
        height=data["height"],
        paths=data["regions"],
        neighbours={code: frozenset(near) for code, near in data["neighbours"].items()},
    )


def neighbours(country_code: str) -> dict[str, set[str]]:
    """The regions of a country sharing a border with each of its regions (empty where no
    map is built). Regions across water are not neighbours."""
    found = country_map(country_code.upper())
    if found is None:
        return {}
    return {code: set(near) for code, near in found.neighbours.items()}
