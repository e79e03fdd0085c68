"""The matching engine serves as many schools as possible, the longest-waiting first, then
chooses the best fit and shares the work: equal to independent solvers on random
instances, and the cases that once went wrong, one by one.

The references (tests/mentoring/matching_reference.py) are written without the engine's
code: the rules in plain Python, networkx for the largest matching and the one-objective
optimum, HiGHS for the three levels one after another.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.mentoring.matching.engine import Mentor, Request, solve
from app.mentoring.matching.fit import pair_fit, weights_of
from tests.mentoring import matching_reference as reference

REGIONS = ("R-1", "R-2", "R-3")
LANGUAGES = ("tr", "en", "ro")
LEVELS = ("primary", "lower_secondary", "upper_secondary")
PILLARS = ("shared_leadership", "collaboration", "inclusive_innovative")
ALL_PILLARS = (*PILLARS, "students_agents_of_change", "models_for_other_schools")
MODES = [frozenset({"in_person"}), frozenset({"online"}), frozenset({"in_person", "online"})]


def subset(values):
    return st.frozensets(st.sampled_from(values), max_size=len(values))


@st.composite
def mentors_strategy(draw, max_size=6):
    mentors = []
    for number in draw(st.lists(st.integers(1, 500), max_size=max_size, unique=True)):
        capacity = draw(st.integers(1, 4))
        mentors.append(
            Mentor(
                id=number,
                country="TR",
                region=draw(st.sampled_from(REGIONS)),
                capacity=capacity,
                load=draw(st.integers(0, capacity)),
                languages=draw(subset(LANGUAGES)),
                levels=draw(subset(LEVELS)),
                pillars=draw(subset(PILLARS)),
                regions=draw(subset(REGIONS)),
                modes=draw(st.sampled_from(MODES)),
            )
        )
    return mentors


requests_strategy = st.lists(
    st.builds(
        Request,
        id=st.integers(1, 500),
        country=st.sampled_from(["TR", "TR", "TR", "RO"]),
        region=st.sampled_from(REGIONS),
        languages=subset(LANGUAGES),
        levels=subset(LEVELS),
        pillars=subset(PILLARS),
        mode=st.sampled_from(["in_person", "online", "hybrid"]),
        waiting_days=st.sampled_from([0, 3, 3, 40, 90, 400]),  # ties on purpose
    ),
    max_size=10,
    unique_by=lambda r: r.id,
)


@st.composite
def instances(draw):
    mentors, requests = draw(mentors_strategy()), draw(requests_strategy)
    pairs = [(r.id, m.id) for r in requests for m in mentors]
    excluded = draw(st.sets(st.sampled_from(pairs), max_size=4)) if pairs else set()
    return mentors, requests, frozenset(excluded)


def chosen(result) -> dict[int, int]:
    return {p.request_id: p.mentor_id for p in result.proposals}


def remaining(mentors, result) -> dict[int, int]:
    """Free places of each mentor once the proposals are taken."""
    free = {m.id: max(m.capacity - m.load, 0) for m in mentors}
    for proposal in result.proposals:
        free[proposal.mentor_id] -= 1
    return free


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_engine_equals_the_references(instance):
    mentors, requests, excluded = instance
    result = solve(mentors, requests, excluded=excluded)
    matching = chosen(result)

    assert len(matching) == len(result.proposals)  # a request is proposed once at most
    assert min(remaining(mentors, result).values(), default=0) >= 0  # places respected
    by_id = {m.id: m for m in mentors}
    for proposal in result.proposals:
        request = next(r for r in requests if r.id == proposal.request_id)
        assert (request.id, proposal.mentor_id) not in excluded
        assert proposal.fit == reference.fit(by_id[proposal.mentor_id], request) is not None
        assert proposal.facts["fit"] == sum(proposal.facts["parts"].values()) == proposal.fit

    levels = reference.levels(matching, mentors, requests)
    # Level 1: as many requests as a maximum flow can match.
    assert levels[0] == reference.largest_matching(mentors, requests, excluded)
    # Levels 1 to 3 optimised one after the other, with no weights at all.
    assert levels == reference.lexicographic_optimum(mentors, requests, excluded)
    # The one-objective form of docs/matching.md, by a network simplex.
    largest = min(len(requests), sum(max(m.capacity - m.load, 0) for m in mentors))
    weight = largest * (100 + reference.BALANCE) + 1
    assert weight * levels[1] + levels[2] == reference.one_objective_optimum(
        mentors, requests, excluded
    )


@settings(max_examples=150, deadline=None)
@given(instances())
def test_no_request_waits_while_a_mentor_who_fits_has_a_free_place(instance):
    mentors, requests, excluded = instance
    result = solve(mentors, requests, excluded=excluded)
    free = remaining(mentors, result)
    left = {u.request_id for u in result.unmatched}
    assert left == {r.id for r in requests} - set(chosen(result))
    for request in requests:
        if request.id in left:
            assert not [
                mentor
                for mentor in mentors
                if free[mentor.id] > 0
                and (request.id, mentor.id) not in excluded
                and reference.fit(mentor, request) is not None
            ]


@settings(max_examples=150, deadline=None)
@given(mentors_strategy(max_size=3), requests_strategy)
def test_two_identical_mentors_share_the_load(mentors, requests):
    twin_a = Mentor(id=1001, country="TR", region="R-1", capacity=4,
                    languages=frozenset(LANGUAGES), modes=MODES[2])  # fmt: skip
    twin_b = replace(twin_a, id=1002)
    result = solve([*mentors, twin_a, twin_b], requests)
    taken = [sum(p.mentor_id == twin.id for p in result.proposals) for twin in (twin_a, twin_b)]
    assert abs(taken[0] - taken[1]) <= 1


@settings(max_examples=150, deadline=None)
@given(instances())
def test_each_request_left_out_gets_the_reason_that_holds(instance):
    mentors, requests, excluded = instance
    result = solve(mentors, requests, excluded=excluded)
    for unmatched in result.unmatched:
        request = next(r for r in requests if r.id == unmatched.request_id)
        assert unmatched.reason == expected_reason(mentors, request, excluded)


def expected_reason(mentors, request, excluded) -> str:
    """The reasons of matching/reasons.py, from the plain rules."""
    local = [m for m in mentors if m.country == request.country]
    if not local:
        return "no_mentor"
    speaking = [m for m in local if m.languages & request.languages]
    if not speaking:
        return "language"
    ready = [m for m in speaking if reference.fit(m, request) is not None]
    if not ready:
        return {"in_person": "in_person_region", "online": "online"}.get(request.mode, "nowhere")
    willing = [m for m in ready if (request.id, m.id) not in excluded]
    if not willing:
        return "declined"
    return "taken" if any(m.capacity > m.load for m in willing) else "full"


# The cases that once went wrong -------------------------------------------------------


def _mentor(id, **fields):
    base = {"country": "TR", "region": "R-1", "capacity": 1, "languages": frozenset({"tr"})}
    return Mentor(id=id, **{**base, **fields})


def _request(id, **fields):
    base = {"country": "TR", "region": "R-1", "languages": frozenset({"tr"})}
    return Request(id=id, **{**base, **fields})


def test_two_schools_served_beat_one_that_fits_better():
    """Under the old sum of points, one pair worth 11.0 beat two worth 5.6 in all."""
    star = _mentor(1, languages=frozenset({"tr", "en"}), levels=frozenset({"primary"}),
                   pillars=frozenset(ALL_PILLARS), regions=frozenset({"R-2"}))  # fmt: skip
    plain = _mentor(2, region="R-2", regions=frozenset({"R-1"}))
    first = _request(1, levels=frozenset({"primary"}), pillars=frozenset(ALL_PILLARS))
    second = _request(2, region="R-2", languages=frozenset({"en"}), waiting_days=54)

    result = solve([star, plain], [first, second])

    assert chosen(result) == {1: 2, 2: 1}
    assert result.unmatched == []


def test_a_school_waiting_400_days_wins_over_a_new_one_with_every_pillar():
    mentor = _mentor(1, pillars=frozenset(ALL_PILLARS), levels=frozenset({"primary"}))
    patient = _request(1, waiting_days=400)
    eager = _request(2, pillars=frozenset(ALL_PILLARS), levels=frozenset({"primary"}))

    result = solve([mentor], [eager, patient])

    assert chosen(result) == {1: 1}
    assert [(u.request_id, u.reason) for u in result.unmatched] == [(2, "taken")]


def test_equal_waits_go_to_the_request_filed_first():
    result = solve([_mentor(1)], [_request(8, waiting_days=30), _request(5, waiting_days=30)])
    assert chosen(result) == {5: 1}


def test_an_online_request_is_served_from_another_region():
    elsewhere = _mentor(1, region="R-3", modes=frozenset({"in_person", "online"}))
    online = _request(1, region="R-2", mode="online")
    in_person = _request(2, region="R-2", mode="in_person")

    result = solve([replace(elsewhere, capacity=2)], [online, in_person])

    assert chosen(result) == {1: 1}
    (proposal,) = result.proposals
    assert (proposal.facts["region"], proposal.facts["parts"]["region"]) == ("online", 0)
    assert [(u.request_id, u.reason) for u in result.unmatched] == [(2, "in_person_region")]


def test_the_own_region_fits_better_than_a_served_one_and_than_online():
    request = _request(1, region="R-2", mode="hybrid")
    own = _mentor(1, region="R-2")
    serving = _mentor(2, region="R-3", regions=frozenset({"R-2"}))
    online = _mentor(3, region="R-3")
    fits = {m.id: pair_fit(m, request, weights_of())["fit"] for m in (own, serving, online)}
    assert fits == {1: 100, 2: 90, 3: 70}
    assert chosen(solve([online, serving, own], [request])) == {1: 1}


def test_a_declined_pair_is_not_proposed_again():
    result = solve([_mentor(1)], [_request(1)], excluded={(1, 1)})
    assert result.proposals == []
    assert [(u.request_id, u.reason) for u in result.unmatched] == [(1, "declined")]
    other = _mentor(2, region="R-2", regions=frozenset({"R-1"}))
    assert chosen(solve([_mentor(1), other], [_request(1)], excluded={(1, 1)})) == {1: 2}


def test_two_equal_mentors_of_three_places_share_three_schools():
    mentors = [_mentor(1, capacity=3), _mentor(2, capacity=3)]
    result = solve(mentors, [_request(i) for i in (1, 2, 3)])
    assert sorted(sum(p.mentor_id == m for p in result.proposals) for m in (1, 2)) == [1, 2]


def test_places_already_held_count():
    """A mentor with one place holds a proposal already (load 1): nothing more."""
    assert solve([_mentor(1, capacity=1, load=1)], [_request(1)]).proposals == []
    assert solve([_mentor(1, capacity=2, load=1)], [_request(1)]).proposals != []


def test_the_same_input_gives_the_same_proposals():
    mentors = [_mentor(i, capacity=2) for i in (5, 3, 9)]
    requests = [_request(i) for i in (4, 1, 7, 2, 8, 6, 11)]
    first = solve(mentors, requests)
    again = solve(mentors[::-1], requests[1:] + requests[:1])
    assert (first.proposals, first.unmatched) == (again.proposals, again.unmatched)


def test_pairs_are_explained_by_their_facts():
    mentor = _mentor(1, region="R-2", regions=frozenset({"R-1"}), levels=frozenset({"primary"}),
                     pillars=frozenset({"collaboration", "shared_leadership"}))  # fmt: skip
    request = _request(1, levels=frozenset({"primary", "lower_secondary"}),
                       pillars=frozenset(PILLARS), waiting_days=55)  # fmt: skip
    (proposal,) = solve([mentor], [request]).proposals
    assert proposal.facts == {
        "fit": 20 + 30 + 27,
        "parts": {"region": 20, "level": 30, "pillars": 27},
        "region": "served",
        "levels": ["primary"],
        "levels_wanted": 2,
        "pillars": ["collaboration", "shared_leadership"],
        "pillars_wanted": 3,
        "languages": ["tr"],
        "waiting_days": 55,
    }


@pytest.mark.parametrize(
    ("mentors", "wanted", "reason"),
    [
        ([], _request(1), "no_mentor"),
        ([_mentor(1, languages=frozenset({"nl"}))], _request(1), "language"),
        ([_mentor(1, region="R-2")], _request(1, mode="in_person"), "in_person_region"),
        ([_mentor(1, modes=frozenset({"in_person"}))], _request(1, mode="online"), "online"),
        ([_mentor(1, region="R-2", modes=frozenset({"in_person"}))], _request(1), "nowhere"),
        ([_mentor(1, load=1)], _request(1), "full"),
    ],
)
def test_why_a_request_is_left_out(mentors, wanted, reason):
    result = solve(mentors, [wanted])
    assert [(u.request_id, u.reason) for u in result.unmatched] == [(1, reason)]


@pytest.mark.parametrize(
    "weights",
    [{"level": 50}, {"region_served": 40}, {"pillars": 40.5}, {"distance": 1}],
)
def test_weights_that_break_the_scale_are_refused(weights):
    with pytest.raises(ValueError, match=r"weights|must be"):
        weights_of(weights)
