"""What an activity is, who it is for, who may see it and where it stands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import Choice


class ActivityType(Choice):
    OPEN_DAY = "open_day", _l("Open day")
    INFO_SESSION = "info_session", _l("Information session")
    MENTORING_SESSION = "mentoring_session", _l("Mentoring session")
    PROFESSIONAL_DEVELOPMENT = "professional_development", _l("Professional development")
    OTHER = "other", _l("Other activity")


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


class RegistrationMode(Choice):
    """Whether other schools register to come, and who may (the organising school decides)."""

    OFF = "off", _l("No registration")
    OPEN = "open", _l("Open to everyone")
    REGISTERED_SCHOOLS = "registered_schools", _l("Registered schools only")
