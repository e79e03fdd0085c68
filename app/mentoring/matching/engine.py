"""The proposals for a whole country, optimal by an order coordinators chose.

The rules of a pair (which pairs are possible, their fit from 0 to 100, the cost of a
mentor's places) are in ``fit.py``. Over all possible pairs, the engine chooses, in
this order of importance (docs/matching.md):

1. as many requests matched as possible;
2. among those, the longest-waiting requests first: a request is left out only when
   serving it would cost a request that has waited longer (or as long, and was filed
   earlier) its mentor;
3. then the highest total fit minus the mentors' place costs (which spread the schools
   over equally fitting mentors).

As one objective: matching request *r* is worth P × (1 + rank(r)), rank 0 for the
newest request and n − 1 for the longest-waiting one; a pair earns its fit and each
place taken costs its place cost. With K the size of the largest conceivable matching
(at most the requests, at most the free places), F = 100 the largest fit and C the
largest place cost,

    P = K × (F + C) + 1

is large enough for the order above. Any change of a solution changes the fits and
place costs of at most K pairs and K places, by less than P in all; but it gains at
least P when it matches one request more (an augmenting path: no matched request
loses its mentor, so no rank is lost) or serves an older request instead of a newer
one (P × the rank difference). No loss of fit can buy a worse level 1 or 2.

The requests served are then the greedy basis of a transversal matroid with distinct
weights: unique, whatever the fits. The engine uses that to solve in two smaller
steps with the same optimum: a min-cost flow with the ranks alone finds that set of
requests (which only depends on which pairs are possible, so requests that can meet
the same mentors share a node), and a second one, over those requests, the best fit
minus place costs (one arc per free place, the costs growing place after place, so
equal mentors share the load). tests/mentoring/test_matching_engine.py checks the
result against a network simplex on the one-objective form above.

Ties that remain (mentors that fit and cost the same) are decided by the data alone:
requests and mentors go to the solver in id order, and mentors with identical
profiles receive requests in id order, so the same data gives the same proposals.

Online pairs across the country would be millions of arcs. Requests and mentors with
the same languages, levels and pillars are pooled instead: request → its pool →
mentor pool → mentor, the pool-to-pool arc carrying the fit (region part 0). It is
exact: within pools every pair fits the same, and where a mentor also serves the
school's region the direct arc fits better, so an optimum never routes that pair
through the pools. Requests with excluded pairs (a mentor declined them) keep their
own arcs instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from app.mentoring.matching.candidates import Candidates, Profiles, build, profiles
from app.mentoring.matching.fit import (
    FIT_MAX,
    ONLINE,
    Mentor,
    Request,
    pair_facts,
    place_cost,
    weights_of,
)
from app.mentoring.matching.reasons import unmatched_reasons

__all__ = ["Mentor", "Proposal", "Request", "Result", "Unmatched", "solve"]


@dataclass(frozen=True)
class Proposal:
    request_id: int
    mentor_id: int
    fit: int  # 0–100
    facts: dict  # what a person is told about the pair (fit.pair_facts)


@dataclass(frozen=True)
class Unmatched:
    request_id: int
    reason: str  # a code of reasons.REASONS


@dataclass
class Result:
    proposals: list[Proposal]
    unmatched: list[Unmatched]
    candidates: int  # possible pairs considered

    @property
    def fit_total(self) -> int:
        return sum(p.fit for p in self.proposals)


def solve(
    mentors: list[Mentor],
    requests: list[Request],
    weights: dict | None = None,
    excluded: frozenset[tuple[int, int]] | set = frozenset(),
) -> Result:
    """The best proposals (see the module); ``excluded`` holds (request id, mentor id)
    pairs never to propose, such as a mentor who declined that school."""
    weights = weights_of(weights)
    result = Result(proposals=[], unmatched=[], candidates=0)
    for country in sorted({r.country for r in requests}):
        part = _solve_country(
            sorted((m for m in mentors if m.country == country), key=lambda m: m.id),
            sorted((r for r in requests if r.country == country), key=lambda r: r.id),
            weights,
            excluded,
        )
        result.proposals += part.proposals
        result.unmatched += part.unmatched
        result.candidates += part.candidates
    result.proposals.sort(key=lambda p: (p.mentor_id, p.request_id))
    result.unmatched.sort(key=lambda u: u.request_id)
    return result


def priority_ranks(requests: list[Request]) -> np.ndarray:
    """Rank n − 1 for the longest-waiting request, 0 for the newest; equal waits are
    ordered by id, the lower (earlier) id ranking higher."""
    order = sorted(range(len(requests)), key=lambda i: (requests[i].waiting_days, -requests[i].id))
    ranks = np.empty(len(requests), dtype=np.int64)
    ranks[order] = np.arange(len(requests), dtype=np.int64)
    return ranks


def _solve_country(mentors, requests, weights, excluded) -> Result:
    arrays = profiles(mentors, requests)
    found = build(mentors, requests, weights, excluded, arrays)
    matched: dict[int, int] = {}
    if found.arcs:
        served = _served(found, requests, arrays)
        matched = _assigned(found, served, mentors, weights)
    proposals = []
    for request_index, mentor_index in sorted(matched.items()):
        mentor, request = mentors[mentor_index], requests[request_index]
        said = pair_facts(mentor, request, weights)
        proposals.append(Proposal(request.id, mentor.id, said["fit"], said))
    left = [i for i in range(len(requests)) if i not in matched]
    reasons = unmatched_reasons(mentors, requests, left, excluded, arrays)
    unmatched = [Unmatched(requests[i].id, reasons[i]) for i in left]
    return Result(proposals=proposals, unmatched=unmatched, candidates=found.pairs)


class _Network:
    """A flow network built in blocks of arcs; node 0 is the source, node 1 the sink."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.start: dict[str, int] = {}
        self.count = 0
        self.solver = min_cost_flow.SimpleMinCostFlow()

    def add(self, name: str, tails, heads, capacities, costs) -> None:
        tails = np.asarray(tails, dtype=np.int64)
        shape = tails.shape
        self.start[name] = self.count
        self.count += len(tails)
        self.parts.append(
            (
                tails,
                np.asarray(heads, dtype=np.int64),
                np.broadcast_to(np.asarray(capacities, dtype=np.int64), shape),
                np.broadcast_to(np.asarray(costs, dtype=np.int64), shape),
            )
        )

    def solve(self, supply: int, sources=None) -> None:
        """Send ``supply`` units from the source (or one from each of ``sources``)."""
        columns = [np.concatenate(column) for column in zip(*self.parts, strict=True)]
        self.solver.add_arcs_with_capacity_and_unit_cost(*columns)
        nodes = np.array([0, 1]) if sources is None else np.concatenate([[1], sources])
        amounts = [supply, -supply] if sources is None else [-supply] + [1] * len(sources)
        self.solver.set_nodes_supplies(nodes, np.array(amounts, dtype=np.int64))
        status = self.solver.solve()
        if status != self.solver.OPTIMAL:
            raise RuntimeError(f"matching did not solve (status {status})")

    def flows(self, name: str, length: int) -> np.ndarray:
        start = self.start[name]
        return self.solver.flows(np.arange(start, start + length, dtype=np.int64))


def _served(found: Candidates, requests, p: Profiles) -> np.ndarray:
    """Which requests the optimum serves (levels 1 and 2): a flow whose only costs are
    the requests' ranks. Which mentors a request can have depends on its region,
    languages and mode only, so such a group is one node, with one arc from the source
    per request at that request's cost (the ones with excluded pairs are groups of their
    own); online, a group reaches the mentors through one node per set of languages."""
    n, m = len(requests), len(p.m_free)
    group = found.request_group
    groups = int(group.max(initial=-1)) + 1
    group_mentor = _pairs_of(groups, m, group[found.direct_request], found.direct_mentor)
    group_own = _pairs_of(groups, m, group[found.own_request], found.own_mentor)
    member = np.zeros(groups, dtype=np.int64)
    member[group] = np.arange(n)  # one request of each group, for its languages and mode
    online = (found.hub_of >= 0).nonzero()[0]
    tongues, tongue_of = np.unique(p.m_lang[online], return_inverse=True)
    reaching = np.flatnonzero((p.r_mode[member] & ONLINE != 0) & ~found.keeps_out[member])
    reach_group, reach_tongue = np.divmod(np.arange(len(reaching) * len(tongues)), len(tongues))
    reach_group = reaching[reach_group]
    speaks = (p.r_lang[member[reach_group]] & tongues[reach_tongue]) != 0
    group_node = 2 + np.arange(groups)
    tongue_node = 2 + groups + np.arange(len(tongues))
    mentor_node = 2 + groups + len(tongues) + np.arange(m)

    taking = np.flatnonzero(_active_requests(found, n))
    ranks = priority_ranks(requests)
    network = _Network()
    network.add("rank", np.zeros(len(taking)), group_node[group[taking]], 1, -(1 + ranks[taking]))
    network.add("skip", [0], [1], len(taking), 0)
    for name, pairs in (("group", group_mentor), ("own", group_own)):
        network.add(name, group_node[pairs // m], mentor_node[pairs % m], len(taking), 0)
    network.add(
        "online",
        group_node[reach_group[speaks]],
        tongue_node[reach_tongue[speaks]],
        len(taking),
        0,
    )
    network.add(
        "speakers", tongue_node[tongue_of.reshape(-1)], mentor_node[online], p.m_free[online], 0
    )
    network.add("places", mentor_node, np.ones(m), p.m_free, 0)
    network.solve(len(taking))
    served = np.zeros(n, dtype=bool)
    served[taking] = network.flows("rank", len(taking)) > 0
    return served


def _pairs_of(groups: int, m: int, group: np.ndarray, mentor: np.ndarray) -> np.ndarray:
    """The distinct (group, mentor) pairs among the given ones, as group × m + mentor."""
    if groups * m > 8_000_000:  # a table of every pair would take too much memory
        return np.unique(group * m + mentor)
    seen = np.zeros(groups * m, dtype=bool)
    seen[group * m + mentor] = True
    return np.flatnonzero(seen)


def _active_requests(found: Candidates, n: int) -> np.ndarray:
    """Requests with at least one possible pair."""
    active = np.zeros(n, dtype=bool)
    active[found.direct_request] = True
    active[found.own_request] = True
    linked = np.zeros(len(found.class_keys) + 1, dtype=bool)
    linked[found.link_class] = True
    active |= (found.request_class >= 0) & linked[found.request_class]
    return active


def _assigned(found: Candidates, served: np.ndarray, mentors, weights) -> dict[int, int]:
    """Request index → mentor index: every served request gets a mentor, with the
    highest total fit minus place costs (level 3)."""
    m, taking = len(mentors), np.flatnonzero(served)
    classes, hubs, count = len(found.class_keys), len(found.hub_keys), len(taking)
    request_node = np.full(len(served), -1, dtype=np.int64)  # only the served ones
    request_node[taking] = 2 + np.arange(count)
    class_node = 2 + count + np.arange(classes)
    hub_node = 2 + count + classes + np.arange(hubs)
    mentor_node = 2 + count + classes + hubs + np.arange(m)

    free = np.array([mentor.free for mentor in mentors], dtype=np.int64)
    place_mentor = np.repeat(np.arange(m), free)
    first = np.repeat(np.cumsum(free) - free, free)
    loads = np.array([mentor.load for mentor in mentors], dtype=np.int64)
    place = loads[place_mentor] + 1 + np.arange(len(place_mentor)) - first
    capacity = np.array([max(mentor.capacity, 1) for mentor in mentors], dtype=np.int64)
    place_costs = place_cost(place, capacity[place_mentor], weights["balance"])  # on arrays

    direct = np.flatnonzero(served[found.direct_request])
    own = np.flatnonzero(served[found.own_request])
    pooled = np.flatnonzero(served & (found.request_class >= 0))
    in_hub = np.flatnonzero(found.hub_of >= 0)
    network = _Network()  # costs are 100 − fit: all of them positive, the same optimum
    network.add(
        "direct",
        request_node[found.direct_request[direct]],
        mentor_node[found.direct_mentor[direct]],
        1,
        FIT_MAX - found.direct_fit[direct],
    )
    network.add(
        "own",
        request_node[found.own_request[own]],
        mentor_node[found.own_mentor[own]],
        1,
        FIT_MAX - found.own_fit[own],
    )
    network.add("to_pool", request_node[pooled], class_node[found.request_class[pooled]], 1, 0)
    network.add(
        "link",
        class_node[found.link_class],
        hub_node[found.link_hub],
        count,
        FIT_MAX - found.link_fit,
    )
    network.add("from_pool", hub_node[found.hub_of[in_hub]], mentor_node[in_hub], free[in_hub], 0)
    network.add("places", mentor_node[place_mentor], np.ones(len(place_mentor)), 1, place_costs)
    network.solve(count, sources=request_node[taking])

    matched: dict[int, int] = {}
    for name, chosen in (("direct", direct), ("own", own)):
        request_of = (found.direct_request if name == "direct" else found.own_request)[chosen]
        mentor_of = (found.direct_mentor if name == "direct" else found.own_mentor)[chosen]
        used = np.flatnonzero(network.flows(name, len(chosen)))
        matched.update(zip(request_of[used].tolist(), mentor_of[used].tolist(), strict=True))
    _unpool(
        found,
        pooled[np.flatnonzero(network.flows("to_pool", len(pooled)))],
        network.flows("link", len(found.link_class)),
        in_hub,
        network.flows("from_pool", len(in_hub)),
        matched,
    )
    return matched


def _unpool(found: Candidates, members, link_flow, in_hub, hub_flow, matched) -> None:
    """Pair the pooled requests with the pooled mentors the flow chose, in id order.

    Every request of a pool fits every mentor of a mentor pool the same, so any pairing
    that respects the flow's amounts is optimal; this one takes both in id order.
    """
    waiting = defaultdict(list)  # request pool → its requests sent to the pools, by id
    for request in members.tolist():
        waiting[int(found.request_class[request])].append(request)
    arriving = defaultdict(list)  # mentor pool → requests arriving, pool by pool
    for link in np.flatnonzero(link_flow).tolist():
        queue = waiting[int(found.link_class[link])]
        amount = int(link_flow[link])
        arriving[int(found.link_hub[link])] += queue[:amount]
        del queue[:amount]
    for queue in arriving.values():
        queue.sort()
    for position in np.flatnonzero(hub_flow).tolist():
        mentor = int(in_hub[position])
        queue = arriving[int(found.hub_of[mentor])]
        amount = int(hub_flow[position])
        for request in queue[:amount]:
            matched[request] = mentor
        del queue[:amount]
