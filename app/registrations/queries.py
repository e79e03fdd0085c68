"""What the registration pages read: a school by the name a registrant typed, the lists
the organisers work from, and a registrant's own registrations."""

from __future__ import annotations

from sqlalchemy import case, select

from app.core.extensions import db
from app.core.text import search_key
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration
from app.schools.enums import SchoolStatus
from app.schools.models import School

#: The order of the organisers' list: places first, then the waiting list, then the rest.
_SECTION = case(
    (Registration.status == RegistrationStatus.CONFIRMED, 0),
    (Registration.status == RegistrationStatus.WAITLISTED, 1),
    (Registration.status == RegistrationStatus.PENDING, 2),
    else_=3,
)


def find_school(name: str, country_code: str, region_code: str | None = None) -> School | None:
    """The one verified school of that name in the country (and region, when given), read
    as the search reads names (case, accents and Turkish dotted i folded); None when there
    is none or more than one."""
    key = search_key(name)
    if not key:
        return None
    query = select(School).where(
        School.country_code == country_code,
        School.status == SchoolStatus.VERIFIED,
        School.search_key.like(key.replace("%", "").replace("_", "") + "%"),
    )
    if region_code:
        query = query.where(School.region_code == region_code)
    found = [
        school for school in db.session.scalars(query.limit(50)) if search_key(school.name) == key
    ]
    return found[0] if len(found) == 1 else None


def for_activity(activity_id: int) -> list[Registration]:
    """Every registration of an activity: with a place (walk-ins last), the waiting list in
    its order, those still to confirm, then the cancelled."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.activity_id == activity_id)
            .order_by(
                _SECTION,
                Registration.walk_in,
                Registration.queued_at,
                Registration.created_at,
                Registration.id,
            )
        )
    )
