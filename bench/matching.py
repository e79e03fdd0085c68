"""Matching a whole country: 10,000 open requests and 3,000 mentors in at most 1 s, with
the result compared to an independent reference optimum.

The reference is written here without the engine's code: the design's rules in plain
Python, and one min-cost flow on the one-objective form of docs/matching.md
(P × Σ (1 + rank) + Σ fit − Σ place costs, exact integers), whose online pairs are
pooled by languages, levels and pillars so that it stays a few hundred thousand arcs.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

from app.mentoring.matching.engine import Mentor, Request, solve
from bench.timing import Measure, summarise

REGIONS = [f"TR-{number:02d}" for number in range(1, 82)]
PILLARS = ["shared_leadership", "collaboration", "students_agents_of_change",
           "models_for_other_schools", "inclusive_innovative"]  # fmt: skip
LEVELS = ["pre_primary", "primary", "lower_secondary", "upper_secondary", "vocational"]
MODES = [frozenset({"in_person"}), frozenset({"online"}), frozenset({"in_person", "online"})]
BUDGET_MS = 1000
SAME, SERVED, LEVEL, PILLAR, BALANCE = 30, 20, 30, 40, 10


def instance(seed: int = 2026, requests: int = 10_000, mentors: int = 3_000):
    rng = random.Random(seed)
    mentor_list = []
    for number in range(1, mentors + 1):
        capacity = rng.randint(1, 5)
        mentor_list.append(
            Mentor(
                id=number,
                country="TR",
                region=rng.choice(REGIONS),
                capacity=capacity,
                load=rng.randint(0, capacity - 1),
                languages=frozenset({"tr"} | ({"en"} if rng.random() < 0.4 else set())),
                levels=frozenset(rng.sample(LEVELS, 2)),
                pillars=frozenset(rng.sample(PILLARS, 2)),
                regions=frozenset(rng.sample(REGIONS, rng.choice([0, 0, 1, 2]))),
                modes=rng.choice(MODES),
            )
        )
    request_list = [
        Request(
            id=number,
            country="TR",
            region=rng.choice(REGIONS),
            languages=frozenset({"tr"} | ({"en"} if rng.random() < 0.2 else set())),
            levels=frozenset(rng.sample(LEVELS, 1)),
            pillars=frozenset(rng.sample(PILLARS, 2)),
            mode=rng.choice(["in_person", "online", "hybrid"]),
            waiting_days=rng.randint(0, 200),
        )
        for number in range(1, requests + 1)
    ]
    return mentor_list, request_list


def _wants(request: Request) -> set[str]:
    return {"in_person": {"in_person"}, "online": {"online"}}.get(
        request.mode, {"in_person", "online"}
    )


def _level_and_pillars(levels, pillars, request: Request) -> int:
    level = LEVEL if not request.levels or levels & request.levels else 0
    if not request.pillars:
        return level + PILLAR
    return level + int(PILLAR * len(pillars & request.pillars) / len(request.pillars) + 0.5)


def _place_cost(place: int, capacity: int) -> int:
    return int(BALANCE * (place - 1) / capacity + 0.5)


def _weight(mentors, requests) -> tuple[int, dict[int, int]]:
    largest = min(len(requests), sum(max(m.capacity - m.load, 0) for m in mentors))
    order = sorted(requests, key=lambda r: (r.waiting_days, -r.id))
    return largest * (100 + BALANCE) + 1, {r.id: rank for rank, r in enumerate(order)}


def objective(result, mentors, requests) -> int:
    """The one-objective value of the engine's proposals, counted here."""
    weight, rank = _weight(mentors, requests)
    by_id = {m.id: m for m in mentors}
    taken: dict[int, int] = defaultdict(int)
    value = 0
    for proposal in result.proposals:
        taken[proposal.mentor_id] += 1
        value += weight * (1 + rank[proposal.request_id]) + proposal.fit
    for mentor_id, count in taken.items():
        mentor = by_id[mentor_id]
        for place in range(mentor.load + 1, mentor.load + count + 1):
            value -= _place_cost(place, mentor.capacity)
    return value


def reference_optimum(mentors: list[Mentor], requests: list[Request]) -> int:
    weight, rank = _weight(mentors, requests)
    free = {m.id: m.capacity - m.load for m in mentors if m.capacity > m.load}
    serving: dict[str, list[Mentor]] = defaultdict(list)
    for mentor in mentors:
        if mentor.id in free:
            for region in {mentor.region, *mentor.regions}:
                serving[region].append(mentor)
    nodes: dict[object, int] = {"source": 0, "sink": 1}

    def node(key) -> int:
        return nodes.setdefault(key, len(nodes))

    tails, heads, capacities, costs = [], [], [], []

    def arc(tail, head, capacity, cost) -> None:
        tails.append(node(tail))
        heads.append(node(head))
        capacities.append(capacity)
        costs.append(cost)

    arc("source", "sink", len(requests), 0)
    for request in requests:
        arc("source", ("r", request.id), 1, -weight * (1 + rank[request.id]))
        wants = _wants(request)
        for mentor in serving[request.region]:
            if mentor.languages & request.languages and wants & mentor.modes:
                region = SAME if mentor.region == request.region else SERVED
                points = region + _level_and_pillars(mentor.levels, mentor.pillars, request)
                arc(("r", request.id), ("m", mentor.id), 1, -points)
        if "online" in wants:  # anywhere in the country, through the pools
            pool = ("request pool", request.languages, request.levels, request.pillars)
            arc(("r", request.id), pool, 1, 0)
    pools = {key for key in nodes if isinstance(key, tuple) and key[0] == "request pool"}
    online = defaultdict(list)
    for mentor in mentors:
        if mentor.id in free and "online" in mentor.modes:
            online[(mentor.languages, mentor.levels, mentor.pillars)].append(mentor)
    for languages, levels, pillars in online:
        for mentor in online[(languages, levels, pillars)]:
            arc(("mentor pool", languages, levels, pillars), ("m", mentor.id), free[mentor.id], 0)
        for pool in pools:
            _kind, wanted_languages, wanted_levels, wanted_pillars = pool
            if languages & wanted_languages:
                probe = Request(0, "TR", "", wanted_languages, wanted_levels, wanted_pillars)
                points = _level_and_pillars(levels, pillars, probe)
                arc(pool, ("mentor pool", languages, levels, pillars), len(requests), -points)
    for mentor in mentors:
        for place in range(mentor.load + 1, mentor.capacity + 1):
            arc(("m", mentor.id), "sink", 1, _place_cost(place, mentor.capacity))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), np.array(capacities), np.array(costs)
    )
    flow.set_nodes_supplies(np.array([0, 1]), np.array([len(requests), -len(requests)]))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the reference did not solve")
    return -flow.optimal_cost()


def run() -> list[Measure]:
    mentors, requests = instance()
    durations, processor, result = [], [], None
    for _ in range(3):
        start, used = time.perf_counter(), time.process_time()
        result = solve(mentors, requests)
        durations.append((time.perf_counter() - start) * 1000)
        processor.append((time.process_time() - used) * 1000)
    found, optimum = objective(result, mentors, requests), reference_optimum(mentors, requests)
    note = (
        f"processor time {sorted(processor)[1]:,.0f} ms (the rest of the wall time is waiting "
        f"for a core); {result.candidates:,} pairs, {len(result.proposals):,} proposals, "
        f"{len(result.unmatched):,} unmatched, fit total {result.fit_total:,}; objective "
        f"{'equal to' if found == optimum else 'DIFFERENT from'} the reference"
    )
    return [summarise("matching a country (10,000 × 3,000)", "—", durations, BUDGET_MS, note)]
