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
