"""The possible pairs of one country, scored with the rules of ``fit.py``, as numpy arrays.

Pairs where the mentor serves the school's region are listed one by one (a join of
each region's requests with the mentors serving it). Online pairs across the country
are pooled instead (see ``engine.py``): requests and mentors by their languages, levels
and pillars, one link per pair of pools that share a language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.mentoring.matching.fit import ONLINE, Mentor, Request


class Bits:
    """Sets of codes as bit masks, each code getting the next free bit."""

    def __init__(self) -> None:
        self.bits: dict[str, int] = {}
        self.known: dict[frozenset[str], int] = {}

    def mask(self, codes) -> int:
        codes = codes if isinstance(codes, frozenset) else frozenset(codes)
        value = self.known.get(codes)
        if value is None:
            value = 0
            for code in sorted(codes):
                value |= 1 << self.bits.setdefault(code, len(self.bits))
            if len(self.bits) > 63:
                raise ValueError("more than 63 different languages, levels or pillars")
            self.known[codes] = value
        return value

    def masks(self, rows, attribute: str) -> np.ndarray:
        mask = self.mask
        return np.fromiter((mask(getattr(row, attribute)) for row in rows), np.int64, len(rows))


def popcount(values: np.ndarray) -> np.ndarray:
    return np.bitwise_count(values.astype(np.uint64)).astype(np.int64)


@dataclass
class Profiles:
    """Requests and mentors as arrays: regions as numbers, sets as bit masks."""

    r_region: np.ndarray
    r_lang: np.ndarray
    r_level: np.ndarray
    r_pillar: np.ndarray
    r_mode: np.ndarray
    m_region: np.ndarray
    m_lang: np.ndarray
    m_level: np.ndarray
    m_pillar: np.ndarray
    m_mode: np.ndarray
    m_free: np.ndarray
    served_mentor: np.ndarray  # (mentor, region served) entries, own region included
    served_region: np.ndarray
    regions: int


def profiles(mentors: list[Mentor], requests: list[Request]) -> Profiles:
    languages, levels, pillars = Bits(), Bits(), Bits()
    place: dict[str, int] = {}

    def region(code: str) -> int:
        return place.setdefault(code, len(place))

    served_mentor, served_region = [], []
    for index, mentor in enumerate(mentors):
        for code in sorted({mentor.region, *mentor.regions}):
            served_mentor.append(index)
            served_region.append(region(code))
    return Profiles(
        r_region=np.array([region(r.region) for r in requests], dtype=np.int64),
        r_lang=languages.masks(requests, "languages"),
        r_level=levels.masks(requests, "levels"),
        r_pillar=pillars.masks(requests, "pillars"),
        r_mode=np.array([r.mode_bits for r in requests], dtype=np.int64),
        m_region=np.array([region(m.region) for m in mentors], dtype=np.int64),
        m_lang=languages.masks(mentors, "languages"),
        m_level=levels.masks(mentors, "levels"),
        m_pillar=pillars.masks(mentors, "pillars"),
        m_mode=np.array([m.mode_bits for m in mentors], dtype=np.int64),
        m_free=np.array([m.free for m in mentors], dtype=np.int64),
        served_mentor=np.array(served_mentor, dtype=np.int64),
        served_region=np.array(served_region, dtype=np.int64),
        regions=len(place),
    )


def fits(region_points, r_level, r_pillar, m_level, m_pillar, weights) -> np.ndarray:
    """fit.pair_fit's fit, for arrays of pairs."""
    level_ok = (r_level == 0) | ((r_level & m_level) != 0)
    wanted, covered = popcount(r_pillar), popcount(r_pillar & m_pillar)
    share = (2 * weights["pillars"] * covered + wanted) // (2 * np.maximum(wanted, 1))
    pillars = np.where(wanted == 0, weights["pillars"], share)
    return region_points + np.where(level_ok, weights["level"], 0) + pillars


@dataclass
class Candidates:
    direct_request: np.ndarray  # pairs in a region the mentor serves
    direct_mentor: np.ndarray
    direct_fit: np.ndarray
    keeps_out: np.ndarray  # requests with an excluded pair: never pooled with others
    #: Requests of one region, languages and mode reach the same mentors there: a group
    #: (a group of their own for requests with an excluded pair).
    request_group: np.ndarray
    own_request: np.ndarray  # online pairs of requests kept out of the pools
    own_mentor: np.ndarray
    own_fit: np.ndarray
    request_class: np.ndarray  # each request's pool, −1 when it is not pooled
    class_keys: np.ndarray
    hub_of: np.ndarray  # each mentor's pool, −1 when not pooled (no online, or full)
    hub_keys: np.ndarray
    link_class: np.ndarray  # pairs of pools sharing a language, and their fit
    link_hub: np.ndarray
    link_fit: np.ndarray
    pairs: int  # possible pairs in all

    @property
    def arcs(self) -> bool:
        return bool(len(self.direct_request) or len(self.own_request) or len(self.link_class))


def build(mentors, requests, weights, excluded, found: Profiles) -> Candidates:
    p = found
    n, m = len(requests), len(mentors)
    request_index = {r.id: i for i, r in enumerate(requests)}
    mentor_index = {mentor.id: j for j, mentor in enumerate(mentors)}
    excluded_keys = np.array(
        sorted(
            request_index[r] * m + mentor_index[j]
            for r, j in excluded
            if r in request_index and j in mentor_index
        ),
        dtype=np.int64,
    )
    keeps_out = np.zeros(n, dtype=bool)  # requests with an excluded pair leave the pools
    keeps_out[excluded_keys // max(m, 1)] = True

    # Regional pairs: each (mentor with room, region served) entry joined with the
    # requests of that region.
    room = p.m_free[p.served_mentor] > 0
    entry_mentor, entry_region = p.served_mentor[room], p.served_region[room]
    by_region = np.argsort(p.r_region, kind="stable")
    counts = np.bincount(p.r_region, minlength=p.regions)
    starts = np.concatenate([[0], np.cumsum(counts)])
    per_entry = counts[entry_region]
    total = int(per_entry.sum())
    pair_mentor = np.repeat(entry_mentor, per_entry)
    offsets = np.arange(total) - np.repeat(np.cumsum(per_entry) - per_entry, per_entry)
    pair_request = by_region[np.repeat(starts[entry_region], per_entry) + offsets]
    keep = ((p.m_lang[pair_mentor] & p.r_lang[pair_request]) != 0) & (
        (p.m_mode[pair_mentor] & p.r_mode[pair_request]) != 0
    )
    keep &= ~np.isin(pair_request * m + pair_mentor, excluded_keys)
    pair_mentor, pair_request = pair_mentor[keep], pair_request[keep]
    same = p.m_region[pair_mentor] == p.r_region[pair_request]
    direct_fit = fits(
        np.where(same, weights["same_region"], weights["region_served"]),
        p.r_level[pair_request],
        p.r_pillar[pair_request],
        p.m_level[pair_mentor],
        p.m_pillar[pair_mentor],
        weights,
    )

    # Online pools.
    online_request = (p.r_mode & ONLINE) != 0
    online_mentor = ((p.m_mode & ONLINE) != 0) & (p.m_free > 0)
    pooled = online_request & ~keeps_out
    request_class, class_keys = _pools(p.r_lang, p.r_level, p.r_pillar, pooled)
    hub_of, hub_keys = _pools(p.m_lang, p.m_level, p.m_pillar, online_mentor)
    link_class, link_hub = np.divmod(np.arange(len(class_keys) * len(hub_keys)), len(hub_keys))
    shared = (class_keys[link_class, 0] & hub_keys[link_hub, 0]) != 0
    link_class, link_hub = link_class[shared], link_hub[shared]
    link_fit = fits(
        0,
        class_keys[link_class, 1],
        class_keys[link_class, 2],
        hub_keys[link_hub, 1],
        hub_keys[link_hub, 2],
        weights,
    )

    # Online pairs of the requests kept out of the pools, one by one.
    own_request, own_mentor = [], []
    online = np.flatnonzero(online_mentor)
    served_keys = p.served_mentor * max(p.regions, 1) + p.served_region
    for request in np.flatnonzero(online_request & keeps_out).tolist():
        fitting = online[(p.m_lang[online] & p.r_lang[request]) != 0]
        fitting = fitting[
            ~np.isin(fitting * max(p.regions, 1) + p.r_region[request], served_keys)
            & ~np.isin(request * m + fitting, excluded_keys)
        ]
        own_request.append(np.full(len(fitting), request, dtype=np.int64))
        own_mentor.append(fitting)
    own_request = np.concatenate(own_request) if own_request else np.zeros(0, np.int64)
    own_mentor = np.concatenate(own_mentor) if own_mentor else np.zeros(0, np.int64)
    own_fit = fits(
        0,
        p.r_level[own_request],
        p.r_pillar[own_request],
        p.m_level[own_mentor],
        p.m_pillar[own_mentor],
        weights,
    )

    class_sizes = np.bincount(request_class[pooled], minlength=len(class_keys))
    hub_sizes = np.bincount(hub_of[online_mentor], minlength=len(hub_keys))
    both = (request_class[pair_request] >= 0) & (hub_of[pair_mentor] >= 0)  # counted twice
    pairs = (
        len(pair_request)
        + int((class_sizes[link_class] * hub_sizes[link_hub]).sum())
        + len(own_request)
        - int(both.sum())
    )
    return Candidates(
        direct_request=pair_request,
        direct_mentor=pair_mentor,
        direct_fit=direct_fit,
        keeps_out=keeps_out,
        request_group=_groups(p, keeps_out),
        own_request=own_request,
        own_mentor=own_mentor,
        own_fit=own_fit,
        request_class=request_class,
        class_keys=class_keys,
        hub_of=hub_of,
        hub_keys=hub_keys,
        link_class=link_class,
        link_hub=link_hub,
        link_fit=link_fit,
        pairs=pairs,
    )


def _groups(p: Profiles, keeps_out: np.ndarray) -> np.ndarray:
    if not len(keeps_out):
        return np.zeros(0, dtype=np.int64)
    group, _first = _distinct(p.r_region, p.r_lang, p.r_mode)
    group[keeps_out] = group.max() + 1 + np.arange(int(keeps_out.sum()))
    return group


def _pools(lang, level, pillar, members) -> tuple[np.ndarray, np.ndarray]:
    """Each row's pool (−1 outside ``members``) and the pools' (lang, level, pillar) keys."""
    pool = np.full(len(lang), -1, dtype=np.int64)
    if not members.any():
        return pool, np.zeros((0, 3), dtype=np.int64)
    keys = np.stack([lang, level, pillar], axis=1)[members]
    inverse, first = _distinct(*keys.T)
    pool[members] = inverse
    return pool, keys[first]


def _distinct(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows given column by column: each row's number among the distinct rows (in
    sorted order) and the position of one row of each; np.unique(axis=0), faster."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        values, inverse = np.unique(column, return_inverse=True)
        key = key * len(values) + inverse.reshape(-1)
    _keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), first
