"""Newcomers followed: a school typed at registration (not registered then) is linked to
the school once it registers, and the dashboards count how far such schools get: they
attended an activity, registered in the network, asked for a mentor.

A registration keeps the name that was typed (``school_name``) after it is linked: that is
how a newcomer is told from a school that was registered when it came.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, distinct, func, select, update

from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.extensions import db
from app.core.text import search_key
from app.mentoring.models import MentoringRequest
from app.registrations.models import Registration
from app.schools.models import School

#: The steps of a newcomer school, in order.
STEPS = {
    "attended": _l("Attended an activity"),
    "registered": _l("Registered in the network"),
    "asked_mentor": _l("Asked for a mentor"),
}


def link_school(school: School) -> int:
    """Link the registrations that typed this school's name in its region (a verified
    school, new in the network); how many were linked."""
    key = search_key(school.name)
    candidates = db.session.execute(
        select(Registration.id, Registration.school_name).where(
            Registration.region_code == school.region_code,
            Registration.school_id.is_(None),
            Registration.school_name.is_not(None),
        )
    ).all()
    ids = [row_id for row_id, name in candidates if search_key(name) == key]
    if ids:
        db.session.execute(
            update(Registration)
            .where(Registration.id.in_(ids))
            .values(school_id=school.id)
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def funnel(country: str, region: str | None, start: datetime, end: datetime) -> dict[str, int]:
    """Newcomer schools of the country (or region) that attended an activity held in the
    period, how many of them have registered since, and how many of those asked for a
    mentor: one count in SQL. Read from the newcomers' side (a partial index holds them),
    their activities by key: a country's activities of a year are far more than its
    newcomers. A school not registered is counted once per name as typed and region."""
    came = (
        select(Registration.school_id, Registration.school_name, Registration.region_code)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(
            Registration.country_code == country,
            *([Registration.region_code == region] if region else []),
            Registration.school_name.is_not(None),
            Registration.attended > 0,
            Activity.status == ActivityStatus.HELD,
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
        .subquery()
    )
    typed = came.c.school_name + "@" + came.c.region_code
    asked = select(MentoringRequest.school_id).where(MentoringRequest.school_id == came.c.school_id)
    row = db.session.execute(
        select(
            func.count(distinct(case((came.c.school_id.is_(None), typed)))),
            func.count(distinct(came.c.school_id)),
            func.count(distinct(case((asked.exists(), came.c.school_id)))),
        )
    ).one()
    unregistered, registered, mentored = (int(value or 0) for value in row)
    return dict(zip(STEPS, (unregistered + registered, registered, mentored), strict=True))
