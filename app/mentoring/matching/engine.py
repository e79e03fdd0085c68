"""The optimal assignment of mentoring requests to mentors over a whole country.

Hard constraints decide which pairs are possible at all: the same country, the
mentor serves the request's region (their own by default), at least one shared
language, a compatible mode, free capacity.

Every possible pair gets a score from weighted criteria, in integer points (one
weight unit is 1,000 points) so that totals compare exactly. The assignment
maximises the total score with each request matched at most once and no mentor
above their free capacity: a min-cost flow from the requests through the possible
pairs to the mentors, solved by OR-Tools. Ties are broken deterministically: the
inputs are put in one canonical order (longest-waiting requests first, then by
id; mentors by id) and the solver is deterministic, so the same data always gives
the same proposals, whatever order it was read in.

The pairs are built and scored with numpy, a region at a time, so a country with
10,000 open requests and 3,000 mentors is matched in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

POINTS = 1000  # score points per weight unit

DEFAULT_WEIGHTS = {
    "same_region": 3.0,  # the mentor works in the school's own region
    "region_served": 1.5,  # or in another region they chose to serve
    "level_match": 2.0,  # they share an education level
    "pillar_overlap": 1.0,  # per pillar the school wants to grow in and the mentor knows
    "mentor_load": 1.0,  # times the share of the mentor's capacity still free
    "waiting_time": 1.0,  # times the share of 90 days the request has waited (at most 1)
}
CRITERIA = tuple(DEFAULT_WEIGHTS)
WAITING_FULL_DAYS = 90
MODES = {"in_person": 1, "online": 2}


@dataclass(frozen=True)
class Mentor:
    id: int
    country: str
    region: str
    capacity: int
    load: int = 0
    languages: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    pillars: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()  # served besides their own
    modes: frozenset[str] = frozenset({"in_person", "online"})

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)


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


@dataclass(frozen=True)
class Proposal:
    request_id: int
    mentor_id: int
    score: int  # points
    explanation: dict[str, int] = field(default_factory=dict)  # points per criterion


@dataclass
class Result:
    proposals: list[Proposal]
    total: int  # points
    candidates: int  # possible pairs considered


class _Bits:
    """Sets of codes as bit masks, each code getting the next free bit."""

    def __init__(self) -> None:
        self.bits: dict[str, int] = {}

    def mask(self, codes) -> int:
        value = 0
        for code in codes:
            value |= 1 << self.bits.setdefault(code, len(self.bits))
        return value


def _popcount(values: np.ndarray) -> np.ndarray:
    return np.bitwise_count(values.astype(np.uint64)).astype(np.int64)


@dataclass
class _Pairs:
    request: np.ndarray  # index into the requests
    mentor: np.ndarray  # index into the mentors
    parts: dict[str, np.ndarray]  # points per criterion
    score: np.ndarray


def _pairs(mentors: list[Mentor], requests: list[Request], weights: dict[str, float]) -> _Pairs:
    languages, levels, pillars = _Bits(), _Bits(), _Bits()
    place: dict[tuple[str, str], int] = {}

    def region_index(country: str, region: str) -> int:
        return place.setdefault((country, region), len(place))

    r_region = np.array([region_index(r.country, r.region) for r in requests], dtype=np.int64)
    r_lang = np.array([languages.mask(r.languages) for r in requests], dtype=np.int64)
    r_level = np.array([levels.mask(r.levels) for r in requests], dtype=np.int64)
    r_pillar = np.array([pillars.mask(r.pillars) for r in requests], dtype=np.int64)
    r_mode = np.array(
        [MODES.get(r.mode, MODES["in_person"] | MODES["online"]) for r in requests], dtype=np.int64
    )
    r_wait = np.minimum(
        np.array([r.waiting_days for r in requests], dtype=float), WAITING_FULL_DAYS
    )

    m_region = np.array([region_index(m.country, m.region) for m in mentors], dtype=np.int64)
    m_lang = np.array([languages.mask(m.languages) for m in mentors], dtype=np.int64)
    m_level = np.array([levels.mask(m.levels) for m in mentors], dtype=np.int64)
    m_pillar = np.array([pillars.mask(m.pillars) for m in mentors], dtype=np.int64)
    m_mode = np.array(
        [sum(MODES[x] for x in m.modes if x in MODES) for m in mentors], dtype=np.int64
    )
    m_free = np.array([m.free for m in mentors], dtype=np.int64)
    m_capacity = np.array([max(m.capacity, 1) for m in mentors], dtype=float)

    # (mentor, region served) entries, own region included, only for mentors with room.
    served_mentor, served_region = [], []
    for index, mentor in enumerate(mentors):
        if mentor.free > 0:
            for region in sorted({mentor.region, *mentor.regions}):
                served_mentor.append(index)
                served_region.append(region_index(mentor.country, region))
    served_mentor = np.array(served_mentor, dtype=np.int64)
    served_region = np.array(served_region, dtype=np.int64)

    # Join the entries with the requests of the same region.
    by_region = np.argsort(r_region, kind="stable")
    counts = np.bincount(r_region, minlength=len(place))
    starts = np.concatenate([[0], np.cumsum(counts)])
    per_entry = counts[served_region] if len(served_region) else np.zeros(0, dtype=np.int64)
    total = int(per_entry.sum())
    pair_mentor = np.repeat(served_mentor, per_entry)
    offsets = np.arange(total) - np.repeat(np.cumsum(per_entry) - per_entry, per_entry)
    pair_request = by_region[np.repeat(starts[served_region], per_entry) + offsets]

    keep = ((m_lang[pair_mentor] & r_lang[pair_request]) != 0) & (
        (m_mode[pair_mentor] & r_mode[pair_request]) != 0
    )
    pair_mentor, pair_request = pair_mentor[keep], pair_request[keep]

    same = m_region[pair_mentor] == r_region[pair_request]

    def points(values) -> np.ndarray:
        return np.round(np.asarray(values, dtype=float) * POINTS).astype(np.int64)

    parts = {
        "same_region": points(same * weights["same_region"]),
        "region_served": points(~same * weights["region_served"]),
        "level_match": points(
            ((m_level[pair_mentor] & r_level[pair_request]) != 0) * weights["level_match"]
        ),
        "pillar_overlap": points(
            _popcount(m_pillar[pair_mentor] & r_pillar[pair_request]) * weights["pillar_overlap"]
        ),
        "mentor_load": points(
            weights["mentor_load"] * m_free[pair_mentor] / m_capacity[pair_mentor]
        ),
        "waiting_time": points(weights["waiting_time"] * r_wait[pair_request] / WAITING_FULL_DAYS),
    }
    score = sum(parts.values())
    return _Pairs(request=pair_request, mentor=pair_mentor, parts=parts, score=score)


def _optimise(pairs: _Pairs, requests: int, free: np.ndarray) -> np.ndarray:
    """Indices of the chosen pairs: a min-cost flow source → request → mentor → sink.

    An arc straight from the source to the sink carries the requests left unmatched,
    so the flow maximises the total score rather than the number of matches.
    """
    count = len(pairs.score)
    source, sink = 0, 1 + requests + len(free)
    request_node = 1 + pairs.request
    mentor_node = 1 + requests + pairs.mentor
    costs = -pairs.score
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate(
        [
            np.zeros(requests, dtype=np.int64),
            request_node,
            1 + requests + np.arange(len(free)),
            [source],
        ]
    )
    heads = np.concatenate([1 + np.arange(requests), mentor_node, np.full(len(free), sink), [sink]])
    capacities = np.concatenate(
        [np.ones(requests, dtype=np.int64), np.ones(count, dtype=np.int64), free, [requests]]
    )
    unit_costs = np.concatenate(
        [np.zeros(requests, dtype=np.int64), costs, np.zeros(len(free), dtype=np.int64), [0]]
    )
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    flow.set_nodes_supplies(np.array([source, sink]), np.array([requests, -requests]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"matching did not solve (status {status})")
    first_pair_arc = requests
    used = flow.flows(np.arange(first_pair_arc, first_pair_arc + count))
    return np.flatnonzero(used > 0)


def solve(
    mentors: list[Mentor], requests: list[Request], weights: dict[str, float] | None = None
) -> Result:
    """The assignment with the highest total score; every capacity is respected."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    mentors = sorted(mentors, key=lambda m: m.id)
    requests = sorted(requests, key=lambda r: (-r.waiting_days, r.id))
    if not mentors or not requests:
        return Result(proposals=[], total=0, candidates=0)
    pairs = _pairs(mentors, requests, weights)
    positive = pairs.score > 0
    pairs = _Pairs(
        request=pairs.request[positive],
        mentor=pairs.mentor[positive],
        parts={name: values[positive] for name, values in pairs.parts.items()},
        score=pairs.score[positive],
    )
    if not len(pairs.score):
        return Result(proposals=[], total=0, candidates=0)
    free = np.array([m.free for m in mentors], dtype=np.int64)
    chosen = _optimise(pairs, len(requests), free)
    proposals = [
        Proposal(
            request_id=requests[pairs.request[i]].id,
            mentor_id=mentors[pairs.mentor[i]].id,
            score=int(pairs.score[i]),
            explanation={
                name: int(values[i]) for name, values in pairs.parts.items() if values[i] > 0
            },
        )
        for i in chosen
    ]
    proposals.sort(key=lambda p: (p.mentor_id, p.request_id))
    return Result(
        proposals=proposals, total=sum(p.score for p in proposals), candidates=len(pairs.score)
    )


def score_pairs(
    mentors: list[Mentor], requests: list[Request], weights: dict[str, float] | None = None
) -> list[Proposal]:
    """Every possible pair with its score and explanation (for ranking mentors by hand)."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    if not mentors or not requests:
        return []
    pairs = _pairs(mentors, requests, weights)
    return [
        Proposal(
            request_id=requests[pairs.request[i]].id,
            mentor_id=mentors[pairs.mentor[i]].id,
            score=int(pairs.score[i]),
            explanation={
                name: int(values[i]) for name, values in pairs.parts.items() if values[i] > 0
            },
        )
        for i in range(len(pairs.score))
    ]
