"""An independent reference for the matching engine: the design's rules written out
plainly (not the engine's vectorised code), and three solvers for the optimum.

- networkx's maximum flow: the largest number of requests that can be matched;
- networkx's network simplex on the one-objective form of the engine's order (exact
  integers, with the weight P of docs/matching.md);
- HiGHS (scipy) on the linear program, level after level, with no weight at all: it
  checks that P is large enough.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.optimize import linprog

from app.mentoring.matching.fit import Mentor, Request

SAME, SERVED, LEVEL, PILLARS, BALANCE = 30, 20, 30, 40, 10


def fit(mentor: Mentor, request: Request) -> int | None:
    """None when the pair is impossible, else its fit from 0 to 100."""
    if mentor.country != request.country or not set(mentor.languages) & set(request.languages):
        return None
    serves = request.region == mentor.region or request.region in mentor.regions
    wanted = {"in_person": {"in_person"}, "online": {"online"}}.get(
        request.mode, {"in_person", "online"}
    )
    ways = wanted & set(mentor.modes)
    if "online" not in ways and not ("in_person" in ways and serves):
        return None
    region = SAME if request.region == mentor.region else SERVED if serves else 0
    level = LEVEL if not request.levels or set(mentor.levels) & set(request.levels) else 0
    if request.pillars:
        share = len(set(mentor.pillars) & set(request.pillars)) / len(request.pillars)
        pillars = int(PILLARS * share + 0.5)
    else:
        pillars = PILLARS
    return region + level + pillars


def place_cost(place: int, capacity: int) -> int:
    """The cost of a mentor's place-th place: BALANCE × (place − 1) / capacity, rounded."""
    return int(BALANCE * (place - 1) / capacity + 0.5)


def pairs(mentors, requests, excluded=frozenset()) -> dict[tuple[int, int], int]:
    """(request id, mentor id) → fit for every possible pair with a free place."""
    found = {}
    for request in requests:
        for mentor in mentors:
            points = fit(mentor, request)
            key = (request.id, mentor.id)
            if points is not None and mentor.capacity > mentor.load and key not in excluded:
                found[key] = points
    return found


def ranks(requests) -> dict[int, int]:
    """Request id → rank: the longest-waiting first, then the lowest id."""
    order = sorted(requests, key=lambda r: (r.waiting_days, -r.id))
    return {request.id: rank for rank, request in enumerate(order)}


def largest_matching(mentors, requests, excluded=frozenset()) -> int:
    graph = nx.DiGraph()
    for (request_id, mentor_id), _fit in pairs(mentors, requests, excluded).items():
        graph.add_edge("source", ("r", request_id), capacity=1)
        graph.add_edge(("r", request_id), ("m", mentor_id), capacity=1)
    for mentor in mentors:
        graph.add_edge(("m", mentor.id), "sink", capacity=max(mentor.capacity - mentor.load, 0))
    if "source" not in graph:
        return 0
    return nx.maximum_flow_value(graph, "source", "sink")


def levels(chosen: dict[int, int], mentors, requests) -> tuple[int, int, int]:
    """(matched, Σ (1 + rank) of the matched, Σ fit − Σ place costs) of a matching given
    as request id → mentor id."""
    by_id = {m.id: m for m in mentors}
    rank = ranks(requests)
    requests_by_id = {r.id: r for r in requests}
    taken: dict[int, int] = {}
    fits = 0
    for request_id, mentor_id in chosen.items():
        taken[mentor_id] = taken.get(mentor_id, 0) + 1
        fits += fit(by_id[mentor_id], requests_by_id[request_id])
    costs = sum(
        place_cost(place, by_id[m].capacity)
        for m, count in taken.items()
        for place in range(by_id[m].load + 1, by_id[m].load + count + 1)
    )
    return len(chosen), sum(1 + rank[r] for r in chosen), fits - costs


def one_objective_optimum(mentors, requests, excluded=frozenset()) -> int:
    """The optimum of P × Σ (1 + rank) + Σ fit − Σ place costs (network simplex)."""
    possible = pairs(mentors, requests, excluded)
    largest = min(len(requests), sum(max(m.capacity - m.load, 0) for m in mentors))
    weight = largest * (100 + BALANCE) + 1
    rank = ranks(requests)
    graph = nx.DiGraph()
    graph.add_node("source", demand=-len(requests))
    graph.add_node("sink", demand=len(requests))
    graph.add_edge("source", "sink", capacity=len(requests), weight=0)
    for request in requests:
        graph.add_edge(
            "source", ("r", request.id), capacity=1, weight=-weight * (1 + rank[request.id])
        )
    for (request_id, mentor_id), points in possible.items():
        graph.add_edge(("r", request_id), ("m", mentor_id), capacity=1, weight=-points)
    for mentor in mentors:
        for place in range(mentor.load + 1, mentor.capacity + 1):
            node = ("place", mentor.id, place)
            graph.add_edge(("m", mentor.id), node, capacity=1, weight=0)
            graph.add_edge(node, "sink", capacity=1, weight=place_cost(place, mentor.capacity))
    cost, _flows = nx.network_simplex(graph)
    return -cost


def lexicographic_optimum(mentors, requests, excluded=frozenset()) -> tuple[int, int, int]:
    """The three levels optimised one after the other by linear programs (no weights)."""
    possible = list(pairs(mentors, requests, excluded).items())
    places = [
        (mentor, place)
        for mentor in mentors
        for place in range(mentor.load + 1, mentor.capacity + 1)
    ]
    if not possible:
        return 0, 0, 0
    count = len(possible) + len(places)
    rows, limits = [], []
    for request in requests:  # one mentor per request
        rows.append(
            [1.0 if r == request.id else 0.0 for (r, _m), _f in possible] + [0.0] * len(places)
        )
        limits.append(1.0)
    equal_rows = []
    for mentor in mentors:  # the requests given to a mentor take as many of their places
        equal_rows.append(
            [1.0 if m == mentor.id else 0.0 for (_r, m), _f in possible]
            + [-1.0 if p_mentor.id == mentor.id else 0.0 for p_mentor, _p in places]
        )
    rank = ranks(requests)
    objectives = [
        [1.0] * len(possible) + [0.0] * len(places),
        [1.0 + rank[r] for (r, _m), _f in possible] + [0.0] * len(places),
        [float(f) for _pair, f in possible]
        + [-float(place_cost(p, mentor.capacity)) for mentor, p in places],
    ]
    found = []
    for objective in objectives:
        result = linprog(
            -np.array(objective),
            A_ub=np.array(rows),
            b_ub=np.array(limits),
            A_eq=np.array(equal_rows),
            b_eq=np.zeros(len(equal_rows)),
            bounds=(0, 1),
            method="highs",
        )
        assert result.status == 0, result.message
        best = round(-result.fun)
        found.append(best)
        rows.append([-value for value in objective])  # keep this level at its optimum
        limits.append(-best + 1e-6)
    assert count == len(objectives[0])
    return tuple(found)
