"""Realistic school and person names, one naming style per language community.

The styles themselves are data, one module per language: ``tr``, ``ro``, ``nb``,
``nl`` (Dutch and Flemish) and ``fr``.
"""

from __future__ import annotations

import random
import re

from app.demo.names.fr import FRENCH
from app.demo.names.nb import NORWEGIAN
from app.demo.names.nl import DUTCH, FLEMISH
from app.demo.names.ro import ROMANIAN
from app.demo.names.style import KIND_LEVELS, NamingStyle
from app.demo.names.tr import TURKISH

STYLES = {"tr": TURKISH, "ro": ROMANIAN, "nb": NORWEGIAN, "nl": DUTCH, "fr": FRENCH}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_VOWELS = "AEIOUYÂÉÈÊÎÔÛ"


def naming_style(country: str, language: str) -> NamingStyle:
    """Flemish schools are named unlike Dutch ones; everyone else by language."""
    return FLEMISH if country == "BE" and language == "nl" else STYLES[language]


def school_name(rng: random.Random, style: NamingStyle, city: str) -> tuple[str, tuple[str, ...]]:
    """A school name for ``city`` and the education levels its kind of school teaches."""
    kind, _weight, templates = rng.choices(style.kinds, weights=style.kind_weights)[0]

    def fill(match: re.Match[str]) -> str:
        field = match.group(1)
        if field == "city":
            return city
        if field == "de_city":
            return f"d'{city}" if city[0] in _VOWELS else f"de {city}"
        if field == "person":
            return style.person(rng)
        return rng.choice(style.material[field])

    return _PLACEHOLDER.sub(fill, rng.choice(templates)), KIND_LEVELS[kind]
