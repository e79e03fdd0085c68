"""The coordinators' verification of new schools: refusing with a reason, and the schools
already registered that a new one may duplicate (verifying is in operations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.enums import MembershipStatus
from app.accounts.models import Membership, User
from app.core import audit
from app.core.database import utcnow
from app.core.errors import Refused
from app.core.extensions import db
from app.core.models import AuditEntry
from app.core.notify import notify
from app.core.text import search_key
from app.schools.enums import SchoolStatus
from app.schools.models import School


def refuse_school(school: School, actor: User, reason: str) -> None:
    """The school stays unverified and leaves the queue; its staff read why, each in
    their own language. A coordinator can still verify it later."""
    if school.status is not SchoolStatus.PENDING:
        raise Refused(_l("This school is already verified."))
    school.refused_at = utcnow()
    school.refusal_reason = reason.strip()
    record_decision(school, actor, False, staff_of(school), reason=school.refusal_reason)


def record_decision(school: School, actor: User, verified: bool, people, **context) -> None:
    """The audit entry of a verification decision (its actor and time are what the pages
    show as who decided when), and the word to ``people`` in their languages."""
    action, kind = ("verify", "verified") if verified else ("refuse", "refused")
    audit.record(
        "school." + action,
        actor=actor,
        object_type="school",
        object_id=school.id,
        country_code=school.country_code,
    )
    notify(
        people, "school." + kind, {"school": school.id}, "school_" + kind, school=school, **context
    )


def staff_of(school: School) -> list[User]:
    """The approved members of the school who can still sign in."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership)
            .where(
                Membership.school_id == school.id,
                Membership.status == MembershipStatus.APPROVED,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def possible_duplicates(schools: list[School]) -> dict[int, list[School]]:
    """For each school, the other schools of its country with the same name and city once
    folded (case, accents, punctuation), in one query."""
    keys = {school.search_key for school in schools}
    if not keys:
        return {}
    rows = db.session.scalars(
        select(School).where(School.search_key.in_(keys)).order_by(School.id)
    ).all()
    found: dict[int, list[School]] = {}
    for school in schools:
        found[school.id] = [
            other
            for other in rows
            if other.id != school.id
            and other.country_code == school.country_code
            and search_key(other.name) == search_key(school.name)
            and search_key(other.city) == search_key(school.city)
        ]
    return found


@dataclass(frozen=True)
class Decision:
    """A coordinator's verification decision on a school, from its audit entry."""

    school_id: int
    verified: bool
    at: datetime
    by: str | None


DECISIONS = ("school.verify", "school.refuse")


def decisions(school_ids: list[int] | None = None, countries=None, limit: int = 10):
    """The latest verification decisions, newest first: on ``school_ids`` (the latest of
    each), or the ``limit`` latest in ``countries`` (None: everywhere)."""
    query = (
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.action.in_(DECISIONS), AuditEntry.object_type == "school")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if school_ids is not None:
        query = query.where(AuditEntry.object_id.in_([str(i) for i in school_ids]))
    else:
        if countries is not None:
            query = query.where(AuditEntry.country_code.in_(countries))
        query = query.limit(limit)
    latest: dict[int, Decision] = {}
    for entry, name in db.session.execute(query):
        school_id = int(entry.object_id)
        if school_id not in latest:
            latest[school_id] = Decision(school_id, entry.action == "school.verify", entry.at, name)
    return list(latest.values())
