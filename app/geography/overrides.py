"""Where the regions of ISO 3166-2 as they stand today differ from pycountry's.

pycountry (26.2.16) still lists Norway's counties of 2020–2023. Since 1 January 2024
Norway has 15 counties: Viken, Vestfold og Telemark and Troms og Finnmark were split
again by the Storting's decision of June 2022 (Prop. 84 LS (2021–2022)). The codes
are Statistics Norway's county numbers of 2024 (SSB Klass, classification 104,
"Standard for fylkesinndeling", valid from 2024-01-01), which ISO 3166-2:NO adopted.

Territories are subdivisions of a country that are not regions of its dashboard:
Svalbard and Jan Mayen (Norway's Arctic regions) and the Caribbean parts of the
Kingdom of the Netherlands (Aruba, Curaçao and Sint Maarten are countries of the
Kingdom; Bonaire, Saba and Sint Eustatius are special municipalities). Schools may
still be placed there; dashboards and white spots leave them out.
"""

from __future__ import annotations

from typing import NamedTuple


class Added(NamedTuple):
    code: str
    name: str
    type: str


#: Subdivisions pycountry lacks, in the country's own language (Bokmål for Norway).
ADDED: dict[str, tuple[Added, ...]] = {
    "NO": (
        Added("NO-31", "Østfold", "County"),
        Added("NO-32", "Akershus", "County"),
        Added("NO-33", "Buskerud", "County"),
        Added("NO-39", "Vestfold", "County"),
        Added("NO-40", "Telemark", "County"),
        Added("NO-55", "Troms", "County"),
        Added("NO-56", "Finnmark", "County"),
    ),
}

#: Subdivisions that no longer exist, with the regions that took over their land.
ABOLISHED: dict[str, tuple[str, ...]] = {
    "NO-30": ("NO-31", "NO-32", "NO-33"),  # Viken
    "NO-38": ("NO-39", "NO-40"),  # Vestfold og Telemark
    "NO-54": ("NO-55", "NO-56"),  # Troms og Finnmark
}

#: Subdivisions outside the country's dashboard.
TERRITORIES = frozenset({"NO-21", "NO-22", "NL-AW", "NL-CW", "NL-SX", "NL-BQ1", "NL-BQ2", "NL-BQ3"})

CURRENT = "current"
TERRITORY = "territory"
ABOLISHED_STATUS = "abolished"


def status_of(code: str) -> str:
    """``current``, ``territory`` or ``abolished``."""
    if code in ABOLISHED:
        return ABOLISHED_STATUS
    return TERRITORY if code in TERRITORIES else CURRENT


def successors(code: str) -> tuple[str, ...]:
    """The regions that took over an abolished region (empty for any other)."""
    return ABOLISHED.get(code, ())
