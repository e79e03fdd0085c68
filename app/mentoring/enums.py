"""Where a mentoring request and a match stand."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import Choice


class RequestStatus(Choice):
    OPEN = "open", _l("Open")
    MATCHED = "matched", _l("Matched")
    CLOSED = "closed", _l("Closed")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


class MatchStatus(Choice):
    PROPOSED = "proposed", _l("Proposed")
    ACCEPTED = "accepted", _l("Accepted")
    DECLINED = "declined", _l("Declined")
    ACTIVE = "active", _l("Active")
    COMPLETED = "completed", _l("Completed")
    ENDED = "ended", _l("Ended early")
    #: Not answered in time (MATCHING_PROPOSAL_DAYS): the request went back to matching.
    EXPIRED = "expired", _l("Expired")


#: Match states that occupy one unit of a mentor's capacity.
CAPACITY_STATES = (MatchStatus.ACCEPTED, MatchStatus.ACTIVE)

#: Match states that keep a request from being matched again; the database allows one
#: such match per request (the partial unique index ``uq_match_request_open``).
OPEN_MATCH_STATES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.ACTIVE)

#: Match states that hold a place of the mentor: the engaged ones, and proposals
#: waiting for an answer (so that no mentor is proposed more schools than places).
HOLDING_STATES = OPEN_MATCH_STATES

#: A mentor who declined a school, or let its proposal expire, is not proposed to it again.
EXCLUDING_STATES = (MatchStatus.DECLINED, MatchStatus.EXPIRED)


class UnmatchedReason(Choice):
    """Why a run left a request without a proposal (see matching/reasons.py)."""

    NO_MENTOR = "no_mentor", _l("No mentor is available in this country.")
    #: The pages name the languages: see explain.unmatched_reason.
    LANGUAGE = "language", _l("No mentor speaks the school's languages.")
    IN_PERSON_REGION = "in_person_region", _l("No mentor for in-person mentoring in this region.")
    ONLINE = "online", _l("No mentor who shares a language mentors online.")
    NOWHERE = "nowhere", _l("No mentor who shares a language works in this region or online.")
    DECLINED = (
        "declined",
        _l("Every mentor who fits has declined this school or did not answer in time."),
    )
    FULL = "full", _l("All mentors who fit are full.")
    TAKEN = (
        "taken",
        _l("All mentors who fit are full: their places went to schools that have waited longer."),
    )
