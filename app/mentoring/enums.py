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


#: Match states that occupy one unit of a mentor's capacity.
CAPACITY_STATES = (MatchStatus.ACCEPTED, MatchStatus.ACTIVE)

#: Match states that keep a request from being matched again.
OPEN_MATCH_STATES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.ACTIVE)
