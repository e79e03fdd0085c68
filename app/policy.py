"""Who may do what: the one place the roles of the design are decided.

Views, templates and the API ask these questions; nothing else inspects roles.
Deny by default: a rule answers True only for the principals the design names.
:func:`require` turns an answer into 403 (the object is visible to the user) or
404 (it is not).
"""

from __future__ import annotations

from flask import abort

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import User
from app.activities.enums import Visibility
from app.activities.models import Activity
from app.schools.enums import SchoolStatus
from app.schools.models import School

Principal = User | None


def signed_in(user: Principal) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_admin(user: Principal) -> bool:
    return signed_in(user) and user.is_admin


def coordinates(user: Principal, country_code: str | None) -> bool:
    """An admin, or a national coordinator of ``country_code``."""
    if not signed_in(user) or country_code is None:
        return False
    return user.is_admin or country_code in user.country_codes


def is_coordinator(user: Principal) -> bool:
    return signed_in(user) and bool(user.country_codes)


def is_staff(user: Principal) -> bool:
    """Admins and coordinators: stricter session rules (no remember-me, MFA)."""
    return is_admin(user) or is_coordinator(user)


def school_role(user: Principal, school_id: int) -> MembershipRole | None:
    if not signed_in(user):
        return None
    for membership in user.memberships:
        if membership.school_id == school_id and membership.status is MembershipStatus.APPROVED:
            return membership.role
    return None


def is_member(user: Principal, school_id: int) -> bool:
    return school_role(user, school_id) is not None


def is_school_admin(user: Principal, school_id: int) -> bool:
    return school_role(user, school_id) is MembershipRole.ADMIN


def in_network(user: Principal) -> bool:
    """The network of network-only activities (design, section 4): coordinators, admins
    and the approved staff of registered, verified schools. Signing up and confirming an
    address is not enough, nor is belonging to a school still waiting for verification."""
    if not signed_in(user):
        return False
    return is_staff(user) or any(
        membership.status is MembershipStatus.APPROVED
        and membership.school.status is SchoolStatus.VERIFIED
        for membership in user.memberships
    )


# Schools --------------------------------------------------------------------


def can_view_school(user: Principal, school: School) -> bool:
    return (
        school.status is SchoolStatus.VERIFIED
        or is_member(user, school.id)
        or coordinates(user, school.country_code)
        or (signed_in(user) and school.created_by_id == user.id)
    )


def can_edit_school(user: Principal, school: School) -> bool:
    return is_school_admin(user, school.id) or coordinates(user, school.country_code)


can_manage_members = can_edit_school


def can_move_school(user: Principal, school: School, country_code: str) -> bool:
    """A school changes country only by a coordinator of the country it moves to."""
    return country_code == school.country_code or coordinates(user, country_code)


def can_apply_for_ambassador(user: Principal, school: School) -> bool:
    return is_school_admin(user, school.id) and school.status is SchoolStatus.VERIFIED


def can_decide_ambassador(user: Principal, school: School) -> bool:
    return coordinates(user, school.country_code)


can_verify_school = can_decide_ambassador
#: The eTwinning School label is verified by the coordinators of the school's country.
can_decide_label = can_decide_ambassador


def can_request_label(user: Principal, school: School) -> bool:
    return is_school_admin(user, school.id) and school.status is SchoolStatus.VERIFIED


def can_request_mentor(user: Principal, school: School) -> bool:
    return is_member(user, school.id) or coordinates(user, school.country_code)


# Activities -----------------------------------------------------------------


def can_view_activity(user: Principal, activity: Activity) -> bool:
    return activity.visibility is Visibility.PUBLIC or in_network(user)


def can_log_activity(user: Principal, school: School) -> bool:
    return (
        is_member(user, school.id) or coordinates(user, school.country_code)
    ) and school.status is SchoolStatus.VERIFIED


def can_edit_activity(user: Principal, activity: Activity) -> bool:
    return is_member(user, activity.school_id) or coordinates(user, activity.country_code)


#: The school that reported an activity, or a coordinator of its country, may retract it.
can_retract_report = can_edit_activity
#: Registrants' names and addresses: the organising school's staff and its coordinators
#: (never the public).
can_manage_registrations = can_edit_activity


# Country-wide work ----------------------------------------------------------


def can_run_matching(user: Principal, country_code: str) -> bool:
    return coordinates(user, country_code)


def can_view_dashboard(user: Principal, country_code: str) -> bool:
    return coordinates(user, country_code)


def can_invite_hosts(user: Principal, country_code: str) -> bool:
    """Ask a school to run an information session in a white spot of the country."""
    return coordinates(user, country_code)


def can_view_audit(user: Principal) -> bool:
    return is_staff(user)


def can_manage_users(user: Principal) -> bool:
    return is_admin(user)


def require(allowed: bool, *, visible: bool = True) -> None:
    """403 for a refused object the user can see, 404 for one they cannot."""
    if not allowed:
        abort(403 if visible else 404)


def can_import_schools(user: Principal) -> bool:
    """Coordinators (into their own countries) and admins."""
    return is_staff(user)


def importable_countries(user: Principal) -> set[str] | None:
    """The countries ``user`` may import into; None means all of them."""
    return None if is_admin(user) else set(user.country_codes)


# Mentoring --------------------------------------------------------------------


def can_offer_mentoring(user: Principal, school: School, today) -> bool:
    """Teachers of an eTwinning School (valid label) or an ambassador school."""
    from app.core.school_years import LabelState, label_state

    start = school.region.country.year_start
    eligible = school.is_ambassador_on(today) or label_state(school.label_year, today, start) in (
        LabelState.VALID,
        LabelState.EXPIRING,
    )
    return (
        signed_in(user)
        and user.active
        and is_member(user, school.id)
        and school.status is SchoolStatus.VERIFIED
        and eligible
    )


def can_view_request(user: Principal, request) -> bool:
    return (
        is_member(user, request.school_id)
        or coordinates(user, request.country_code)
        or (signed_in(user) and request.requested_by_id == user.id)
    )


def is_mentor_of(user: Principal, match) -> bool:
    return signed_in(user) and match.mentor is not None and match.mentor.user_id == user.id


def can_view_match(user: Principal, match) -> bool:
    return (
        is_mentor_of(user, match)
        or can_view_request(user, match.request)
        or (match.mentor is not None and is_member(user, match.mentor.school_id))
    )


def can_answer_proposal(user: Principal, match) -> bool:
    return is_mentor_of(user, match) or is_admin(user)


def can_follow_up_match(user: Principal, match) -> bool:
    """Start, record sessions, complete or end: both sides and the coordinators."""
    return (
        is_mentor_of(user, match)
        or is_member(user, match.request.school_id)
        or coordinates(user, match.request.country_code)
    )
