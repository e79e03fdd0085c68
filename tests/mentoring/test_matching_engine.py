"""The matching engine finds the optimum, respects every capacity, and explains itself.

The reference below is written independently of the engine: plain-Python rules for
which pairs are possible and what they score, and networkx's network simplex for
the optimum.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.mentoring.matching.engine import (
    DEFAULT_WEIGHTS,
    POINTS,
    Mentor,
    Request,
    score_pairs,
    solve,
)

REGIONS = ("R-1", "R-2", "R-3")
LANGUAGES = ("tr", "en", "ro")
LEVELS = ("primary", "lower_secondary", "upper_secondary")
PILLARS = ("shared_leadership", "collaboration", "inclusive_innovative")


def reference_points(mentor: Mentor, request: Request) -> int | None:
    """None when the pair is impossible, else its score in points."""
    w = DEFAULT_WEIGHTS
    modes = {"in_person": {"in_person"}, "online": {"online"}, "hybrid": {"in_person", "online"}}
    if (
        mentor.country != request.country
        or mentor.capacity - mentor.load <= 0
        or request.region not in {mentor.region, *mentor.regions}
        or not set(mentor.languages) & set(request.languages)
        or not modes[request.mode] & set(mentor.modes)
    ):
        return None
    same = mentor.region == request.region
    values = [
        w["same_region"] if same else 0,
        0 if same else w["region_served"],
        w["level_match"] if set(mentor.levels) & set(request.levels) else 0,
        w["pillar_overlap"] * len(set(mentor.pillars) & set(request.pillars)),
        w["mentor_load"] * (mentor.capacity - mentor.load) / mentor.capacity,
        w["waiting_time"] * min(request.waiting_days, 90) / 90,
    ]
    return sum(round(value * POINTS) for value in values)


def reference_optimum(mentors: list[Mentor], requests: list[Request]) -> int:
    graph = nx.DiGraph()
    graph.add_node("source", demand=-len(requests))
    graph.add_node("sink", demand=len(requests))
    graph.add_edge("source", "sink", capacity=len(requests), weight=0)  # unmatched requests
    for request in requests:
        graph.add_edge("source", ("r", request.id), capacity=1, weight=0)
        for mentor in mentors:
            points = reference_points(mentor, request)
            if points:
                graph.add_edge(("r", request.id), ("m", mentor.id), capacity=1, weight=-points)
    for mentor in mentors:
        graph.add_edge(
            ("m", mentor.id), "sink", capacity=max(mentor.capacity - mentor.load, 0), weight=0
        )
    cost, _flows = nx.network_simplex(graph)
    return -cost


def subset(values):
    return st.frozensets(st.sampled_from(values), max_size=len(values))


mentors_strategy = st.lists(
    st.builds(
        Mentor,
        id=st.integers(1, 10_000),
        country=st.just("TR"),
        region=st.sampled_from(REGIONS),
        capacity=st.integers(1, 4),
        load=st.integers(0, 4),
        languages=subset(LANGUAGES),
        levels=subset(LEVELS),
        pillars=subset(PILLARS),
        regions=subset(REGIONS),
        modes=st.sampled_from(
            [frozenset({"in_person"}), frozenset({"online"}), frozenset({"in_person", "online"})]
        ),
    ),
    max_size=7,
    unique_by=lambda m: m.id,
).map(
    lambda ms: [
        m if m.load <= m.capacity else Mentor(**{**m.__dict__, "load": m.capacity}) for m in ms
    ]
)

requests_strategy = st.lists(
    st.builds(
        Request,
        id=st.integers(1, 10_000),
        country=st.sampled_from(["TR", "TR", "RO"]),
        region=st.sampled_from(REGIONS),
        languages=subset(LANGUAGES),
        levels=subset(LEVELS),
        pillars=subset(PILLARS),
        mode=st.sampled_from(["in_person", "online", "hybrid"]),
        waiting_days=st.integers(0, 200),
    ),
    max_size=12,
    unique_by=lambda r: r.id,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mentors=mentors_strategy, requests=requests_strategy)
def test_total_equals_the_reference_optimum_and_capacities_hold(mentors, requests):
    result = solve(mentors, requests)
    assert result.total == reference_optimum(mentors, requests)
    by_mentor: dict[int, int] = {}
    for proposal in result.proposals:
        by_mentor[proposal.mentor_id] = by_mentor.get(proposal.mentor_id, 0) + 1
        mentor = next(m for m in mentors if m.id == proposal.mentor_id)
        request = next(r for r in requests if r.id == proposal.request_id)
        assert reference_points(mentor, request) == proposal.score
        assert sum(proposal.explanation.values()) == proposal.score
    for mentor in mentors:
        assert by_mentor.get(mentor.id, 0) <= mentor.capacity - mentor.load
    assert len({p.request_id for p in result.proposals}) == len(result.proposals)


def _mentor(id, **fields):
    base = {"country": "TR", "region": "R-1", "capacity": 2, "languages": frozenset({"tr"})}
    return Mentor(id=id, **{**base, **fields})


def _request(id, **fields):
    base = {"country": "TR", "region": "R-1", "languages": frozenset({"tr"})}
    return Request(id=id, **{**base, **fields})


def test_the_same_input_gives_the_same_proposals():
    mentors = [_mentor(i, capacity=1) for i in range(1, 4)]
    requests = [_request(i) for i in range(1, 7)]
    first = solve(mentors, requests).proposals
    assert solve(list(reversed(mentors)), list(reversed(requests))).proposals == first


def test_the_longest_waiting_request_wins_a_scarce_mentor():
    mentors = [_mentor(1, capacity=1)]
    requests = [_request(1, waiting_days=20), _request(2, waiting_days=80)]
    (proposal,) = solve(mentors, requests).proposals
    assert proposal.request_id == 2


def test_equal_candidates_are_chosen_the_same_way_every_time():
    mentors = [_mentor(i, capacity=1) for i in (5, 3, 9)]
    requests = [_request(i) for i in (4, 1, 7, 2, 8)]
    results = {
        tuple((p.request_id, p.mentor_id) for p in solve(ms, rs).proposals)
        for ms, rs in [
            (mentors, requests),
            (mentors[::-1], requests[::-1]),
            (mentors[1:] + mentors[:1], requests[2:] + requests[:2]),
        ]
    }
    assert len(results) == 1


def test_a_full_mentor_gets_nothing():
    mentors = [_mentor(1, capacity=2, load=2)]
    assert solve(mentors, [_request(1)]).proposals == []


def test_explanations_name_each_criterion():
    mentor = _mentor(1, levels=frozenset({"primary"}), pillars=frozenset({"collaboration"}))
    request = _request(
        1, levels=frozenset({"primary"}), pillars=frozenset({"collaboration"}), waiting_days=45
    )
    (pair,) = score_pairs([mentor], [request])
    assert pair.explanation == {
        "same_region": 3000,
        "level_match": 2000,
        "pillar_overlap": 1000,
        "mentor_load": 1000,
        "waiting_time": 500,
    }


def test_no_mentor_outside_the_regions_they_serve():
    mentors = [_mentor(1, region="R-2")]
    assert solve(mentors, [_request(1, region="R-1")]).proposals == []
    served = [_mentor(1, region="R-2", regions=frozenset({"R-1"}))]
    (proposal,) = solve(served, [_request(1, region="R-1")]).proposals
    assert "region_served" in proposal.explanation
