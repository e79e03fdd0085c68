"""The audit log as people read it: each recorded action and outcome by name, links to
the objects, and the filters of the page (action, actor, period, country)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from app.accounts.models import User
from app.core.models import AuditEntry

#: Every action the application records, as the page names it.
ACTION_LABELS = {
    "account.register": _l("Account registered"),
    "account.register_again": _l("Registration tried with an existing address"),
    "account.confirm_email": _l("E-mail address confirmed"),
    "account.login": _l("Signed in"),
    "account.login_code": _l("Sign-in code entered"),
    "account.logout": _l("Signed out"),
    "account.reset_requested": _l("Password reset requested"),
    "account.password_reset": _l("Password reset"),
    "account.password_check": _l("Password confirmation"),
    "account.password_change": _l("Password changed"),
    "account.mfa_enabled": _l("Two-step sign-in turned on"),
    "account.mfa_setup_code": _l("Two-step sign-in setup code entered"),
    "account.mfa_disabled": _l("Two-step sign-in turned off"),
    "account.data_export": _l("Personal data downloaded"),
    "account.deleted": _l("Account deleted"),
    "account.token_create": _l("API token created"),
    "account.token_revoke": _l("API token revoked"),
    "admin.user_roles": _l("Roles of a user changed"),
    "admin.membership": _l("Member added to a school"),
    "admin.membership_removed": _l("Member removed from a school"),
    "job.retry": _l("Failed job run again"),
    "mail.retry": _l("E-mail sent again"),
    "notifications.unsubscribe": _l("Unsubscribed from notifications"),
    "school.create": _l("School registered"),
    "school.update": _l("School details changed"),
    "school.timezone": _l("School time zone changed"),
    "school.move": _l("School moved to another region"),
    "school.import": _l("Schools imported"),
    "school.verify": _l("School verified"),
    "school.refuse": _l("School refused"),
    "school.join_request": _l("Request to join a school"),
    "school.membership_approved": _l("Join request approved"),
    "school.membership_removed": _l("Join request declined or member removed"),
    "ambassador.apply": _l("Ambassador application"),
    "ambassador.approve": _l("Ambassador application approved"),
    "ambassador.reject": _l("Ambassador application rejected"),
    "label.request": _l("Label requested"),
    "label.verify": _l("Label awarded"),
    "label.refuse": _l("Label refused"),
    "activity.create": _l("Activity planned"),
    "activity.update": _l("Activity changed"),
    "activity.cancel": _l("Activity cancelled"),
    "activity.report": _l("Activity reported"),
    "activity.retract": _l("Activity report withdrawn"),
    "registrations.export": _l("Registrations downloaded"),
    "registrations.message": _l("Message sent to the registrants"),
    "mentoring.request": _l("Mentoring requested"),
    "mentoring.request_change": _l("Mentoring request changed"),
    "mentoring.request_withdraw": _l("Mentoring request withdrawn"),
    "matching.run": _l("Matching run"),
    "matching.confirm": _l("Matching run confirmed"),
    "matching.discard": _l("Matching run discarded"),
    "matching.propose": _l("Mentor proposed"),
    "matching.withdraw": _l("Proposal withdrawn"),
    "matching.expire": _l("Proposal expired"),
    "mentoring.accept": _l("Proposal accepted"),
    "mentoring.decline": _l("Proposal declined"),
    "mentoring.start": _l("Mentoring started"),
    "mentoring.complete": _l("Mentoring completed"),
    "mentoring.end": _l("Mentoring ended early"),
    "mentoring.feedback": _l("Mentoring feedback given"),
    "mentoring.mentor_left": _l("Mentor left the mentoring"),
    "dashboard.export": _l("Dashboard downloaded"),
    "demo.generate": _l("Demonstration data generated"),
}

OUTCOME_LABELS = {
    "success": _l("Done"),
    "failure": _l("Failed"),
    "no_account": _l("No account with this address"),
}

#: Kinds of object, and the page of one (None: no page to link to).
OBJECT_LABELS = {
    "school": _l("School"),
    "activity": _l("Activity"),
    "match": _l("Proposal"),
    "mentoring_request": _l("Mentoring request"),
    "match_run": _l("Matching run"),
    "user": _l("User"),
    "label_award": _l("Label"),
    "ambassador_period": _l("Ambassador period"),
    "dashboard": _l("Dashboard"),
    "mail": _l("E-mail"),
}
_OBJECT_PAGES = {
    "school": ("schools.show", "school_id"),
    "activity": ("activities.show", "activity_id"),
    "match": ("mentoring.show_match", "match_id"),
    "mentoring_request": ("mentoring.show_request", "request_id"),
    "match_run": ("mentoring.show_run", "run_id"),
    "user": ("admin.user", "user_id"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


def object_link(entry: AuditEntry, is_admin: bool) -> tuple[str, str | None] | None:
    """The object's name and the address of its page, if the viewer may open it (users'
    pages are the admin's only)."""
    if not entry.object_type:
        return None
    name = f"{OBJECT_LABELS.get(entry.object_type, entry.object_type)} {entry.object_id or ''}"
    target = _OBJECT_PAGES.get(entry.object_type)
    if target is None or not (entry.object_id or "").isdigit():
        return name.strip(), None
    if entry.object_type == "user" and not is_admin:
        return name.strip(), None
    endpoint, argument = target
    return name.strip(), url_for(endpoint, **{argument: int(entry.object_id)})


@dataclass
class AuditFilters:
    action: str | None = None
    actor: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None


def filtered(query: Select, filters: AuditFilters) -> Select:
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.actor:
        pattern = f"%{filters.actor.lower()}%"
        people = select(User.id).where(
            or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern))
        )
        query = query.where(AuditEntry.actor_id.in_(people))
    if filters.date_from:
        query = query.where(
            AuditEntry.at >= datetime.combine(filters.date_from, time.min, tzinfo=UTC)
        )
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        query = query.where(AuditEntry.at < end)
    if filters.country:
        query = query.where(AuditEntry.country_code == filters.country)
    return query
