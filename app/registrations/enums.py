"""Where a registration stands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import Choice


class RegistrationStatus(Choice):
    #: Registered, the address not yet confirmed: the place does not count yet.
    PENDING = "pending_confirmation", _l("Waiting for the address to be confirmed")
    CONFIRMED = "confirmed", _l("Place confirmed")
    WAITLISTED = "waitlisted", _l("On the waiting list")
    CANCELLED = "cancelled", _l("Cancelled")


#: The registrations that are still coming (or may come).
ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class NextStep(Choice):
    """What an attendee means to do after the activity (the feedback survey)."""

    START_PROJECT = "start_project", _l("Start an eTwinning project")
    REGISTER = "register_etwinning", _l("Register on eTwinning")
    APPLY_LABEL = "apply_label", _l("Apply for the eTwinning School label")
    NOTHING_YET = "nothing_yet", _l("Nothing yet")
