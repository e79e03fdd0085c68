"""Matching a whole country: 10,000 open requests and 3,000 mentors in at most 5 s,
with the total compared to an independent reference optimum (HiGHS on the linear
program of the same problem, written here without the engine's code)."""

from __future__ import annotations

import random
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from app.mentoring.matching.engine import DEFAULT_WEIGHTS, POINTS, Mentor, Request, solve
from bench.timing import Measure, summarise

REGIONS = [f"TR-{number:02d}" for number in range(1, 82)]
PILLARS = ["shared_leadership", "collaboration", "students_agents_of_change",
           "models_for_other_schools", "inclusive_innovative"]  # fmt: skip
LEVELS = ["pre_primary", "primary", "lower_secondary", "upper_secondary", "vocational"]
MODES = [frozenset({"in_person"}), frozenset({"online"}), frozenset({"in_person", "online"})]


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


def _points(mentor: Mentor, request: Request) -> int | None:
    """The design's rules, written out plainly (not the engine's vectorised code)."""
    wanted = {"in_person": {"in_person"}, "online": {"online"}, "hybrid": {"in_person", "online"}}
    free = mentor.capacity - mentor.load
    if (
        free <= 0
        or request.region not in {mentor.region, *mentor.regions}
        or not mentor.languages & request.languages
        or not wanted[request.mode] & mentor.modes
    ):
        return None
    w, same = DEFAULT_WEIGHTS, mentor.region == request.region
    parts = [
        w["same_region"] if same else 0,
        0 if same else w["region_served"],
        w["level_match"] if mentor.levels & request.levels else 0,
        w["pillar_overlap"] * len(mentor.pillars & request.pillars),
        w["mentor_load"] * free / mentor.capacity,
        w["waiting_time"] * min(request.waiting_days, 90) / 90,
    ]
    return sum(round(value * POINTS) for value in parts)


def reference_optimum(mentors: list[Mentor], requests: list[Request]) -> int:
    serving: dict[str, list[int]] = {}
    for index, mentor in enumerate(mentors):
        for region in {mentor.region, *mentor.regions}:
            serving.setdefault(region, []).append(index)
    rows, cols, scores = [], [], []
    for r_index, request in enumerate(requests):
        for m_index in serving.get(request.region, []):
            points = _points(mentors[m_index], request)
            if points:
                rows += [r_index, len(requests) + m_index]
                cols += [len(scores), len(scores)]
                scores.append(points)
    matrix = csr_array(
        (np.ones(len(rows)), (rows, cols)), shape=(len(requests) + len(mentors), len(scores))
    )
    limits = np.concatenate([np.ones(len(requests)), [m.capacity - m.load for m in mentors]])
    result = linprog(
        -np.array(scores, dtype=float), A_ub=matrix, b_ub=limits, bounds=(0, 1), method="highs"
    )
    return round(-result.fun)


def run() -> list[Measure]:
    mentors, requests = instance()
    durations, result = [], None
    for _ in range(3):
        start = time.perf_counter()
        result = solve(mentors, requests)
        durations.append((time.perf_counter() - start) * 1000)
    optimum = reference_optimum(mentors, requests)
    note = (
        f"{result.candidates:,} pairs, {len(result.proposals):,} proposals, total {result.total:,} "
        f"vs reference {optimum:,} ({'equal' if result.total == optimum else 'DIFFERENT'})"
    )
    return [summarise("matching a country (10,000 × 3,000)", "—", durations, 5000, note)]
