"""Why a request was left without a proposal: the first of these that holds.

- ``no_mentor``: the country has no mentor taking part in the run;
- ``language``: no mentor shares a language with the school;
- ``in_person_region``: the school asked for in-person mentoring and no mentor who
  shares a language meets in person in its region;
- ``online``: the school asked for online mentoring and no mentor who shares a language
  mentors online;
- ``nowhere``: the school accepts either, and no such mentor is in its region or online;
- ``declined``: every mentor who could take it declined this school, or let a proposal
  for it expire;
- ``full``: every mentor who could take it was full before the run;
- ``taken``: mentors who could take it had places, and the run gave them all to
  requests that have waited longer (the largest matching, longest-waiting first,
  leaves nobody out while a mentor who fits has a free place).
"""

from __future__ import annotations

import numpy as np

from app.mentoring.matching.candidates import Profiles
from app.mentoring.matching.fit import IN_PERSON, ONLINE, Mentor, Request

REASONS = ("no_mentor", "language", "in_person_region", "online", "nowhere", "declined", "full")
REASONS += ("taken",)
_MODE_REASON = {IN_PERSON: "in_person_region", ONLINE: "online", IN_PERSON | ONLINE: "nowhere"}


def _reachable(p: Profiles, mentors_used: np.ndarray, requests: np.ndarray) -> np.ndarray:
    """Whether some mentor among ``mentors_used`` shares a language with each request and
    can meet it (any bit of a language mask OR-ed over mentors shows one of them)."""
    online = (p.m_mode & ONLINE != 0) & mentors_used
    online_languages = np.bitwise_or.reduce(p.m_lang[online]) if online.any() else 0
    in_person = (p.m_mode[p.served_mentor] & IN_PERSON != 0) & mentors_used[p.served_mentor]
    by_region = np.zeros(max(p.regions, 1), dtype=np.int64)
    np.bitwise_or.at(by_region, p.served_region[in_person], p.m_lang[p.served_mentor[in_person]])
    languages, modes = p.r_lang[requests], p.r_mode[requests]
    return ((modes & ONLINE != 0) & (languages & online_languages != 0)) | (
        (modes & IN_PERSON != 0) & (languages & by_region[p.r_region[requests]] != 0)
    )


def unmatched_reasons(
    mentors: list[Mentor],
    requests: list[Request],
    left: list[int],
    excluded,
    p: Profiles,
) -> dict[int, str]:
    """Request index → reason, for the requests at ``left`` (indices into ``requests``)."""
    if not left:
        return {}
    if not mentors:
        return dict.fromkeys(left, "no_mentor")
    left_array = np.array(left, dtype=np.int64)
    everyone = np.ones(len(mentors), dtype=bool)
    speaks = p.r_lang[left_array] & np.bitwise_or.reduce(p.m_lang) != 0
    meets = _reachable(p, everyone, left_array)
    has_room = _reachable(p, p.m_free > 0, left_array)
    reasons = {}
    declined_by: dict[int, set[int]] = {}
    for request_id, mentor_id in excluded:
        declined_by.setdefault(request_id, set()).add(mentor_id)
    for position, index in enumerate(left):
        if not speaks[position]:
            reasons[index] = "language"
        elif not meets[position]:
            reasons[index] = _MODE_REASON[int(p.r_mode[index])]
        elif requests[index].id in declined_by:
            reasons[index] = _after_declines(p, mentors, index, declined_by[requests[index].id])
        else:
            reasons[index] = "taken" if has_room[position] else "full"
    return reasons


def _after_declines(p: Profiles, mentors, index: int, declined: set[int]) -> str:
    """The reason for a request some mentors declined, looking past those mentors."""
    others = np.array([mentor.id not in declined for mentor in mentors])
    request = np.array([index], dtype=np.int64)
    if not _reachable(p, others, request)[0]:
        return "declined"
    return "taken" if _reachable(p, others & (p.m_free > 0), request)[0] else "full"
