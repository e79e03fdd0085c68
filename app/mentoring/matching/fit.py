"""What makes a mentor fit a request: the rules for one pair, in plain Python.

A pair is *possible* when the mentor and the school share a language and can meet:
in person only where the mentor works or serves (their own region, or another one they
chose), online anywhere in the country. A request for in-person mentoring therefore
needs a mentor of its region; an online request can be served from anywhere; a hybrid
request from either.

Every possible pair gets a *fit* from 0 to 100, the sum of three parts:

- region: 30 when the mentor works in the school's region, 20 when they serve it,
  0 when the mentoring has to be online from another region;
- level: 30 when they share an education level (or the school named none);
- pillars: 40 times the share of the school's pillars the mentor knows (all 40 when
  the school named none), rounded to the nearest point.

A mentor's free places are taken at a small, growing cost (see :func:`place_cost`), so
that equally fitting mentors share the work. The engine (``engine.py``) computes the
same numbers for whole countries at once; :func:`pair_fit` is the reference for one pair
and writes the facts a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_WEIGHTS = {
    "same_region": 30,  # the mentor works in the school's region
    "region_served": 20,  # the mentor serves the school's region
    "level": 30,  # they share an education level
    "pillars": 40,  # times the share of the school's pillars the mentor knows
    "balance": 10,  # the cost of a mentor's last place (see place_cost)
}
FIT_MAX = 100
IN_PERSON, ONLINE = 1, 2
#: The ways of meeting a request accepts, and a mentor offers, as bits.
REQUEST_MODES = {"in_person": IN_PERSON, "online": ONLINE, "hybrid": IN_PERSON | ONLINE}
MENTOR_MODES = {"in_person": IN_PERSON, "online": ONLINE}


@dataclass(frozen=True)
class Mentor:
    id: int
    country: str
    region: str
    capacity: int
    #: Places already held: accepted and active matches, and proposals awaiting an answer.
    load: int = 0
    languages: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    pillars: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()  # served besides their own
    modes: frozenset[str] = frozenset({"in_person", "online"})

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)

    @property
    def mode_bits(self) -> int:
        return sum(MENTOR_MODES[mode] for mode in self.modes if mode in MENTOR_MODES)

    def serves(self, region: str) -> bool:
        return region == self.region or region in self.regions


@dataclass(frozen=True)
class Request:
    id: int
    country: str
    region: str
    languages: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    pillars: frozenset[str] = frozenset()
    mode: str = "hybrid"  # in_person, online or hybrid (either)
    waiting_days: int = 0

    @property
    def mode_bits(self) -> int:
        return REQUEST_MODES.get(self.mode, IN_PERSON | ONLINE)


def weights_of(overrides: dict | None = None) -> dict[str, int]:
    """The weights with ``overrides`` applied, checked: whole points, the three parts of
    a fit adding up to 100, and a served region never worth more than the own one."""
    weights = {**DEFAULT_WEIGHTS, **(overrides or {})}
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown matching weights: {sorted(unknown)}")
    if any(not isinstance(value, int) or value < 0 for value in weights.values()):
        raise ValueError("matching weights are whole, non-negative points")
    if weights["same_region"] + weights["level"] + weights["pillars"] != FIT_MAX:
        raise ValueError("same_region + level + pillars must be 100")
    if not 0 < weights["region_served"] <= weights["same_region"]:
        raise ValueError("region_served must be above 0 and at most same_region")
    return weights


def pillar_points(covered: int, wanted: int, weight: int) -> int:
    """``weight`` times covered / wanted, rounded half up; all of it when none is wanted."""
    if wanted == 0:
        return weight
    return (2 * weight * covered + wanted) // (2 * wanted)


def place_cost(place: int, capacity: int, weight: int) -> int:
    """The cost of taking a mentor's ``place``-th place (1 = the first) out of ``capacity``.

    ``weight`` × (place − 1) / capacity, rounded half up: the first place is free, the
    last costs almost ``weight``. The costs grow with each place, so a mentor's total is
    convex in the number of schools they take, and two equal mentors share the schools.
    """
    return (2 * weight * (place - 1) + capacity) // (2 * capacity)


def possible(mentor: Mentor, request: Request) -> bool:
    """Same country, a shared language, and a way to meet (see the module's rules)."""
    if mentor.country != request.country or not mentor.languages & request.languages:
        return False
    ways = mentor.mode_bits & request.mode_bits
    return bool(ways & ONLINE or (ways & IN_PERSON and mentor.serves(request.region)))


def pair_fit(mentor: Mentor, request: Request, weights: dict[str, int]) -> dict | None:
    """The facts of a possible pair and its fit (None when the pair is impossible).

    The facts are what a person is shown: how the region fits, the levels they share,
    the school's pillars the mentor knows, how long the school has waited.
    """
    return pair_facts(mentor, request, weights) if possible(mentor, request) else None


def pair_facts(mentor: Mentor, request: Request, weights: dict[str, int]) -> dict:
    """:func:`pair_fit` of a pair known to be possible."""
    if request.region == mentor.region:
        region, region_points = "same", weights["same_region"]
    elif request.region in mentor.regions:
        region, region_points = "served", weights["region_served"]
    else:
        region, region_points = "online", 0
    levels = sorted(mentor.levels & request.levels)
    level_points = weights["level"] if levels or not request.levels else 0
    pillars = sorted(mentor.pillars & request.pillars)
    points = pillar_points(len(pillars), len(request.pillars), weights["pillars"])
    parts = {"region": region_points, "level": level_points, "pillars": points}
    return {
        "fit": sum(parts.values()),
        "parts": parts,
        "region": region,
        "levels": levels,
        "levels_wanted": len(request.levels),
        "pillars": pillars,
        "pillars_wanted": len(request.pillars),
        "languages": sorted(mentor.languages & request.languages),
        "waiting_days": request.waiting_days,
    }
