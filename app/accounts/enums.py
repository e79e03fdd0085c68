"""How a person belongs to a school."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import Choice


class MembershipRole(Choice):
    MEMBER = "member", _l("Member")
    ADMIN = "admin", _l("School admin")


class MembershipStatus(Choice):
    PENDING = "pending", _l("Waiting for approval")
    APPROVED = "approved", _l("Approved")
