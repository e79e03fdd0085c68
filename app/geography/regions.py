"""Countries and their regions (ISO 3166-2 subdivisions) from pycountry, corrected by
app.geography.overrides (Norway's counties of 2024, territories outside dashboards).

Idempotent: run again, it updates what changed and adds what is missing; it flushes and
leaves the commit to the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import NamedTuple

import pycountry
from sqlalchemy import select

from app.core.extensions import db
from app.geography.models import Country, Region
from app.geography.overrides import ABOLISHED, ADDED, status_of


class UnknownCountry(ValueError):
    pass


#: Countries whose school year does not start on 1 September ("MM-DD").
SCHOOL_YEAR_STARTS = {"NO": "08-15"}


@cache
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """The IANA zones of each country, in the order of tzdata's ``zone.tab`` (the first is
    the country's usual one)."""
    zones: dict[str, list[str]] = {}
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_ = line.split("\t")
            zones.setdefault(country, []).append(zone)
    return {country: tuple(found) for country, found in zones.items()}


def country_zones(code: str) -> tuple[str, ...]:
    """The zones a school of country ``code`` may keep its times in."""
    return zones_by_country().get(code, ("UTC",))


def country_timezones() -> dict[str, str]:
    """The first IANA zone listed for each country in tzdata's ``zone.tab``."""
    return {country: zones[0] for country, zones in zones_by_country().items()}


def load_regions(codes: list[str], progress: Callable[[str, int], None] | None = None) -> int:
    """Load the countries and their ISO 3166-2 subdivisions; returns the number of regions."""
    total = 0
    for raw in codes:
        code = raw.strip().upper()
        if pycountry.countries.get(alpha_2=code) is None:
            raise UnknownCountry(code)
        country = db.session.get(Country, code)
        if country is None:
            country = Country(code=code, timezone=country_timezones().get(code, "UTC"))
            db.session.add(country)
        country.school_year_start = SCHOOL_YEAR_STARTS.get(code, "09-01")
        known = {r.code: r for r in db.session.scalars(select(Region).filter_by(country_code=code))}
        # An abolished region is kept where schools may still be in it, never created.
        subdivisions = [
            s for s in subdivisions_of(code) if s.code not in ABOLISHED or s.code in known
        ]
        parents = {s.parent_code for s in subdivisions if s.parent_code}
        for subdivision in subdivisions:
            region = known.get(subdivision.code)
            if region is None:
                region = Region(code=subdivision.code, country_code=code)
                db.session.add(region)
            region.name = subdivision.name
            region.type = subdivision.type
            region.parent_code = subdivision.parent_code
            region.is_leaf = subdivision.code not in parents
            region.status = status_of(subdivision.code)
            db.session.flush()
        total += len(subdivisions)
        if progress:
            progress(code, len(subdivisions))
    return total


class _Subdivision(NamedTuple):
    code: str
    name: str
    type: str
    parent_code: str | None


def subdivisions_of(country: str) -> list[_Subdivision]:
    """pycountry's subdivisions of ``country`` with the overrides' additions, parents first."""
    found = [
        _Subdivision(s.code, s.name, s.type, s.parent_code)
        for s in pycountry.subdivisions.get(country_code=country) or []
    ]
    found += [_Subdivision(a.code, a.name, a.type, None) for a in ADDED.get(country, ())]
    return _parents_first(found)


def _parents_first(subdivisions: list) -> list:
    """Order subdivisions so that a parent is inserted before its children."""
    by_code = {s.code: s for s in subdivisions}

    def depth(subdivision) -> int:
        levels = 0
        while subdivision.parent_code in by_code:
            subdivision = by_code[subdivision.parent_code]
            levels += 1
        return levels

    return sorted(subdivisions, key=lambda s: (depth(s), s.code))
