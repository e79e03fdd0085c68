"""The closed vocabularies of the design, each value with a translatable label.

Values are stored as strings with a CHECK constraint (see :func:`enum_type`), so
SQLite and PostgreSQL enforce the same sets.
"""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l


class Choice(StrEnum):
    """A string enum whose members carry a lazily translated ``label``."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


#: ISO 639-1 codes offered as school and activity languages (names come from CLDR).
#: Append only: an activity's ``language_mask`` uses each code's position as its bit.
LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
    "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "tr", "nb", "nn", "is",
    "sq", "mk", "sr", "bs", "uk", "ka", "hy", "az", "ar", "ru", "ca", "eu", "gl", "lb",
)  # fmt: skip


def enum_type(enum: type[Choice], name: str) -> sa.Enum:
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class EducationLevel(Choice):
    PRE_PRIMARY = "pre_primary", _l("Pre-primary")
    PRIMARY = "primary", _l("Primary")
    LOWER_SECONDARY = "lower_secondary", _l("Lower secondary")
    UPPER_SECONDARY = "upper_secondary", _l("Upper secondary")
    VOCATIONAL = "vocational", _l("Vocational")


class SchoolStatus(Choice):
    PENDING = "pending", _l("Pending verification")
    VERIFIED = "verified", _l("Verified")


class AmbassadorStatus(Choice):
    APPLIED = "applied", _l("Applied")
    APPROVED = "approved", _l("Approved")
    REJECTED = "rejected", _l("Rejected")


class MembershipRole(Choice):
    MEMBER = "member", _l("Member")
    ADMIN = "admin", _l("School admin")


class MembershipStatus(Choice):
    PENDING = "pending", _l("Waiting for approval")
    APPROVED = "approved", _l("Approved")


class ActivityType(Choice):
    OPEN_DAY = "open_day", _l("Open day")
    INFO_SESSION = "info_session", _l("Information session")
    MENTORING_SESSION = "mentoring_session", _l("Mentoring session")
    PROFESSIONAL_DEVELOPMENT = "professional_development", _l("Professional development")
    OTHER = "other", _l("Other activity")


class Mode(Choice):
    IN_PERSON = "in_person", _l("In person")
    ONLINE = "online", _l("Online")
    HYBRID = "hybrid", _l("Hybrid")


class Audience(Choice):
    TEACHERS = "teachers", _l("Teachers")
    SCHOOL_LEADERS = "school_leaders", _l("School leaders")
    STUDENTS = "students", _l("Students")
    PARENTS = "parents", _l("Parents")
    OTHER_SCHOOLS = "other_schools", _l("Other schools")
    COMMUNITY = "community", _l("Local community")


class Visibility(Choice):
    PUBLIC = "public", _l("Public")
    NETWORK = "network", _l("Network members only")


class ActivityStatus(Choice):
    PLANNED = "planned", _l("Planned")
    HELD = "held", _l("Held")
    CANCELLED = "cancelled", _l("Cancelled")


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
