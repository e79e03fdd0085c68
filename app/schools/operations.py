"""Operations on schools: registration, verification, memberships, ambassador status.

Each operation changes the session and records the audit trail; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, distinct, exists, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership, User
from app.accounts.operations import coordinators_of
from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core import audit
from app.core.database import utcnow
from app.core.extensions import db
from app.core.notify import notify
from app.core.school_years import school_year_bounds
from app.core.text import search_key
from app.geography.models import Country, Region
from app.mentoring.enums import RequestStatus
from app.mentoring.models import MentoringRequest, MentorProfile
from app.registrations.newcomers import link_school
from app.schools.enums import AmbassadorStatus, EducationLevel, SchoolStatus
from app.schools.models import AmbassadorPeriod, School, SchoolLanguage, SchoolLevel
from app.schools.verification import record_decision


@dataclass
class SchoolData:
    """Validated values for a school, from the form, the import or the API."""

    name: str
    region_code: str
    city: str = ""
    website: str | None = None
    levels: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    #: One of the zones of the school's country; None: the country's usual one.
    timezone: str | None = None
    pupil_count: int | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    external_id: str | None = None


def ambassador_on(today: date) -> list[ColumnElement[bool]]:
    """SQL conditions: an ambassador period that is approved and covers ``today``."""
    return [
        AmbassadorPeriod.status == AmbassadorStatus.APPROVED,
        AmbassadorPeriod.starts_on <= today,
        AmbassadorPeriod.ends_on >= today,
    ]


def ambassadors_by(column, today: date, *where) -> Select:
    """``(column, schools holding ambassador status today)``, from the few current periods
    to their schools rather than from every school to its periods."""
    return (
        select(column, func.count(distinct(School.id)))
        .select_from(AmbassadorPeriod)
        .join(School, School.id == AmbassadorPeriod.school_id)
        .where(*where, *ambassador_on(today))
        .group_by(column)
    )


def ambassador_now(today: date) -> ColumnElement[bool]:
    """SQL condition: the school holds approved ambassador status on ``today``."""
    return exists().where(and_(AmbassadorPeriod.school_id == School.id, *ambassador_on(today)))


def apply_data(school: School, data: SchoolData) -> None:
    """Everything of ``data`` but the school's place (see :func:`move_school`)."""
    school.name = data.name.strip()
    school.city = (data.city or "").strip()
    school.search_key = search_key(school.name, school.city)
    school.website = data.website or None
    school.pupil_count = data.pupil_count
    school.contact_name = data.contact_name or None
    school.contact_email = data.contact_email or None
    if data.external_id:
        school.external_id = data.external_id
    wanted_levels = {EducationLevel(level) for level in data.levels}
    school.levels = [row for row in school.levels if row.level in wanted_levels] + [
        SchoolLevel(level=level)
        for level in sorted(wanted_levels - {row.level for row in school.levels})
    ]
    wanted_languages = set(data.languages)
    school.languages = [row for row in school.languages if row.language in wanted_languages] + [
        SchoolLanguage(language=code)
        for code in sorted(wanted_languages - {row.language for row in school.languages})
    ]


def _place(school: School, region: Region, zone: str | None = None) -> None:
    """Put the school in ``region`` and time zone ``zone``; without one, it keeps its zone
    within its country and takes the usual one of a new country."""
    moved_country = school.country_code != region.country_code
    school.region_code = region.code
    school.country_code = region.country_code
    if zone:
        school.timezone = zone
    elif moved_country or not school.timezone:
        school.timezone = db.session.get(Country, region.country_code).timezone


def create_school(data: SchoolData, creator: User, *, verified: bool) -> School:
    """A new school; a registered user who creates one becomes its school admin."""
    school = School(
        status=SchoolStatus.VERIFIED if verified else SchoolStatus.PENDING,
        created_by_id=creator.id,
        verified_at=utcnow() if verified else None,
        country_code="",
    )
    _place(school, db.session.get(Region, data.region_code), data.timezone)
    apply_data(school, data)
    db.session.add(school)
    db.session.flush()
    if verified:
        link_school(school)  # a newcomer that came to an activity before it registered
    if not verified:
        db.session.add(
            Membership(
                user_id=creator.id,
                school_id=school.id,
                role=MembershipRole.ADMIN,
                status=MembershipStatus.APPROVED,
            )
        )
    audit.record(
        "school.create",
        actor=creator,
        object_type="school",
        object_id=school.id,
        country_code=school.country_code,
        verified=verified,
    )
    if not verified:
        notify(coordinators_of(school.country_code), "school.to_verify", {"school": school.id})
    return school


def update_school(school: School, data: SchoolData, actor: User) -> None:
    apply_data(school, data)
    move_school(school, db.session.get(Region, data.region_code), actor, data.timezone)
    audit.record(
        "school.update",
        actor=actor,
        object_type="school",
        object_id=school.id,
        country_code=school.country_code,
    )


@dataclass
class Moved:
    """What moved with a school: its planned activities, its open mentoring requests and
    its mentors' profiles."""

    activities: int = 0
    requests: int = 0
    mentors: int = 0


def move_school(
    school: School, region: Region, actor: User | None, zone: str | None = None
) -> Moved | None:
    """Move ``school`` to ``region`` (and time zone ``zone``), with what belongs to where
    it is now (:func:`carry`).

    Held and cancelled activities, and requests already matched, stay where they
    happened. A new time zone alone brings only the planned activities along. Nothing
    happens (None) when the school is there already."""
    before = (school.country_code, school.region_code, school.timezone)
    _place(school, region, zone)
    if region.code == before[1]:
        if school.timezone != before[2]:
            _retime(school, before[2], actor)
        return None
    moved = carry({school.id: region}, {school.id: school.timezone})[school.id]
    record_move(school.id, before[:2], (school.country_code, school.region_code), moved, actor)
    return moved


def _retime(school: School, before: str, actor: User | None) -> None:
    """The school's planned activities are shown in its new time zone."""
    planned = [Activity.school_id == school.id, Activity.status == ActivityStatus.PLANNED]
    retimed = _moved(update(Activity).where(*planned).values(timezone=school.timezone))
    audit.record(
        "school.timezone",
        actor=actor,
        object_type="school",
        object_id=school.id,
        country_code=school.country_code,
        before=before,
        after=school.timezone,
        activities=len(retimed),
    )


def carry(destinations: dict[int, Region], zones: dict[int, str]) -> dict[int, Moved]:
    """Bring the planned activities, open mentoring requests and mentor profiles of the
    schools ``destinations`` names to their region (and time zone, ``zones``), set-based;
    what moved, per school.

    The schools themselves are moved by the caller. Mentors who move to another country
    serve their own region until they choose others there."""
    moved = {school_id: Moved() for school_id in destinations}
    by_place: dict[tuple[str, str, str], list[int]] = {}
    for school_id, region in destinations.items():
        place = (region.country_code, region.code, zones[school_id])
        by_place.setdefault(place, []).append(school_id)
    for (country, region_code, zone), ids in sorted(by_place.items()):
        place = {"country_code": country, "region_code": region_code}
        planned = [Activity.school_id.in_(ids), Activity.status == ActivityStatus.PLANNED]
        for school_id in _moved(update(Activity).where(*planned).values(**place, timezone=zone)):
            moved[school_id].activities += 1
        waiting = [
            MentoringRequest.school_id.in_(ids),
            MentoringRequest.status == RequestStatus.OPEN,
        ]
        for school_id in _moved(update(MentoringRequest).where(*waiting).values(**place)):
            moved[school_id].requests += 1
        mentors = update(MentorProfile).where(MentorProfile.school_id.in_(ids))
        for statement in (
            mentors.where(MentorProfile.country_code == country).values(**place),
            mentors.where(MentorProfile.country_code != country).values(**place, regions=[]),
        ):
            for school_id in _moved(statement):
                moved[school_id].mentors += 1
    return moved


def _moved(statement) -> list[int]:
    """The school ids of the rows ``statement`` (an UPDATE of rows with a school) changed."""
    table = statement.table
    returning = statement.returning(table.c.school_id)
    return list(db.session.scalars(returning.execution_options(synchronize_session="fetch")).all())


def record_move(
    school_id: int, before: tuple[str, str], after: tuple[str, str], moved: Moved, actor
) -> None:
    """The audit entry of a move, filed under the country the school is in now."""
    audit.record(
        "school.move",
        actor=actor,
        object_type="school",
        object_id=school_id,
        country_code=after[0],
        from_region=before[1],
        to_region=after[1],
        activities=moved.activities,
        requests=moved.requests,
        mentors=moved.mentors,
    )


def school_admins(school: School) -> list[User]:
    query = (
        select(User)
        .join(Membership)
        .where(
            Membership.school_id == school.id,
            Membership.role == MembershipRole.ADMIN,
            Membership.status == MembershipStatus.APPROVED,
            User.active.is_(True),
        )
    )
    return list(db.session.scalars(query))


def verify_school(school: School, actor: User) -> None:
    school.status = SchoolStatus.VERIFIED
    school.verified_at = utcnow()
    school.refused_at = None
    link_school(school)
    record_decision(school, actor, True, school_admins(school))


def request_membership(school: School, user: User) -> Membership:
    membership = db.session.get(Membership, (user.id, school.id))
    if membership is None:
        membership = Membership(user_id=user.id, school_id=school.id)
        db.session.add(membership)
        db.session.flush()
        audit.record(
            "school.join_request",
            actor=user,
            object_type="school",
            object_id=school.id,
            country_code=school.country_code,
        )
        notify(
            school_admins(school),
            "school.join_request",
            {"school": school.id, "user": user.id},
            "join_request",
            school=school,
            applicant=user,
        )
    return membership


def decide_membership(membership: Membership, approve: bool, actor: User) -> None:
    school = membership.school
    audit.record(
        "school.membership_" + ("approved" if approve else "removed"),
        actor=actor,
        object_type="school",
        object_id=school.id,
        country_code=school.country_code,
        member=membership.user_id,
    )
    if approve:
        membership.status = MembershipStatus.APPROVED
        notify(
            [membership.user],
            "school.join_approved",
            {"school": school.id},
            "join_approved",
            school=school,
        )
    else:
        if membership.status is MembershipStatus.PENDING:  # a request declined: say so
            kind = "join_declined"
            notify([membership.user], "school." + kind, {"school": school.id}, kind, school=school)
        db.session.delete(membership)


def apply_for_ambassador(
    school: School, user: User, motivation: str, first_year: int, years: int
) -> AmbassadorPeriod:
    start = db.session.get(Country, school.country_code).year_start
    starts_on = school_year_bounds(first_year, start)[0]
    ends_on = school_year_bounds(first_year + years - 1, start)[1]
    period = AmbassadorPeriod(
        school_id=school.id,
        starts_on=starts_on,
        ends_on=ends_on,
        motivation=motivation.strip(),
        applied_by_id=user.id,
    )
    db.session.add(period)
    db.session.flush()
    audit.record(
        "ambassador.apply",
        actor=user,
        object_type="ambassador_period",
        object_id=period.id,
        country_code=school.country_code,
    )
    notify(
        coordinators_of(school.country_code),
        "ambassador.applied",
        {"period": period.id, "school": school.id},
    )
    return period


def decide_ambassador(period: AmbassadorPeriod, actor: User, approve: bool, reason: str) -> None:
    period.status = AmbassadorStatus.APPROVED if approve else AmbassadorStatus.REJECTED
    period.decided_by_id = actor.id
    period.decided_at = utcnow()
    period.decision_reason = reason.strip()
    school = period.school
    audit.record(
        "ambassador." + ("approve" if approve else "reject"),
        actor=actor,
        object_type="ambassador_period",
        object_id=period.id,
        country_code=school.country_code,
    )
    notify(
        school_admins(school),
        "ambassador.decided",
        {"period": period.id, "approved": approve},
        "ambassador_decided",
        school=school,
        period=period,
        approved=approve,
    )
