"""What a school is: its education levels, its verification and its ambassador status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import Choice


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


class LabelStatus(Choice):
    """Where a school's claim to the eTwinning School label of a school year stands."""

    REQUESTED = "requested", _l("Waiting for verification")
    VERIFIED = "verified", _l("Verified")
    REFUSED = "refused", _l("Refused")


class LabelSource(Choice):
    """How an award came to be recorded."""

    REQUEST = "request", _l("Requested by the school")
    IMPORT = "import", _l("Imported by a coordinator")
    CARRIED_OVER = "carried_over", _l("Carried over from the school profile")
