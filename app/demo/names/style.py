"""How one language community names its schools and people."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cached_property

#: Education levels (app.schools.enums.EducationLevel values) of each kind of school.
KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "pre_primary": ("pre_primary",),
    "primary": ("primary",),
    "primary_lower": ("primary", "lower_secondary"),
    "lower": ("lower_secondary",),
    "lower_upper": ("lower_secondary", "upper_secondary"),
    "upper": ("upper_secondary",),
    "vocational": ("upper_secondary", "vocational"),
}


@dataclass(frozen=True)
class NamingStyle:
    """How schools and people are named in one language community."""

    language: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    #: Values for the ``{placeholders}`` of the templates.
    material: dict[str, tuple[str, ...]]
    #: (kind of school, weight, name templates).
    kinds: tuple[tuple[str, float, tuple[str, ...]], ...]

    @cached_property
    def kind_weights(self) -> list[float]:
        return [weight for _kind, weight, _templates in self.kinds]

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(self.first_names)} {rng.choice(self.last_names)}"
