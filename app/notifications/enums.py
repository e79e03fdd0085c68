"""The kinds of non-essential mail and how often a user wants each."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import Choice


class Kind(Choice):
    """A kind of reminder or digest; a user chooses how often to get each."""

    ACTIVITY_REPORT = "activity_report", _l("An activity of my school waits for its report")
    PROPOSAL_WAITING = "proposal_waiting", _l("A mentoring proposal waits for my answer")
    MENTORSHIP_QUIET = "mentorship_quiet", _l("No session logged in a mentorship for 30 days")
    MENTORSHIP_CHECKIN = "mentorship_checkin", _l("A mentorship's check-in after three months")
    LABEL_EXPIRING = "label_expiring", _l("My school's eTwinning School label expires this year")
    REQUEST_WAITING = "request_waiting", _l("A mentoring request has waited 30 days")
    COUNTRY_NEWS = (
        "country_news",
        _l("New in my countries: schools to verify, ambassador applications, mentoring requests"),
    )
    COORDINATOR_DIGEST = "coordinator_digest", _l("Weekly summary for coordinators")
    UPDATES = (
        "updates",
        _l("News of my schools and mentorships: requests to join, decisions, proposals"),
    )


class Frequency(Choice):
    IMMEDIATELY = "immediately", _l("Immediately")
    DAILY = "daily", _l("In a daily digest")
    WEEKLY = "weekly", _l("In a weekly digest")
    NEVER = "never", _l("Never")


#: Kinds that are a digest themselves: sent weekly or not at all.
DIGEST_KINDS = (Kind.COORDINATOR_DIGEST,)
#: Kinds that come in the daily digest unless the user chooses otherwise.
DAILY_KINDS = (Kind.COUNTRY_NEWS,)
#: Kinds sent as they happen or not at all (``app.core.notify``).
AT_ONCE_KINDS = (Kind.UPDATES,)
#: What the log records for a digest of reminders sent together.
DAILY_DIGEST = "digest_daily"
WEEKLY_DIGEST = "digest_weekly"
