"""What a certificate says, and who gets one.

A certificate of attendance goes to a registrant who was present (``attended`` > 0) at a
professional development activity that was held; a certificate of mentoring to each of
the two schools of a completed match. Both are made from the rows as they are now: the
verification page and the PDF say the same, and a certificate stops checking when what
it certifies is no longer so (the attendance corrected to absent, the activity deleted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _

from app import policy
from app.activities.enums import ActivityStatus, ActivityType
from app.certificates import codes
from app.certificates.codes import Side
from app.core.extensions import db
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match
from app.registrations.models import Registration
from app.schools.models import School


@dataclass(frozen=True)
class Attendance:
    """A registrant took part in a professional development activity."""

    code: str
    #: The registrant's name; "" once it has been deleted (on request, or after the
    #: retention period): the certificate still checks, without saying whose it is.
    holder: str
    activity: str
    organiser: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    kind = "attendance"

    @property
    def dates(self) -> str:
        return dates(self.starts_at, self.ends_at, self.timezone)

    @property
    def hours(self) -> str:
        return hours(self.starts_at, self.ends_at)


@dataclass(frozen=True)
class Mentoring:
    """A school was mentored, or mentored a school, to the end of the mentoring."""

    code: str
    holder: str
    side: Side
    #: The other school; None when the mentor has left the network since.
    partner: str | None
    started_at: datetime
    finished_at: datetime
    timezone: str
    kind = "mentoring"

    @property
    def dates(self) -> str:
        return dates(self.started_at, self.finished_at, self.timezone)

    @property
    def mentored(self) -> bool:
        return self.side is Side.MENTORED


Certificate = Attendance | Mentoring


# Who gets one ------------------------------------------------------------------------


def attended(registration: Registration) -> bool:
    """Whether the registrant has a certificate of attendance."""
    activity = registration.activity
    return (
        activity.type is ActivityType.PROFESSIONAL_DEVELOPMENT
        and activity.status is ActivityStatus.HELD
        and (registration.attended or 0) > 0
    )


def sides(match: Match) -> dict[Side, School]:
    """The schools of a completed match that have a certificate of mentoring, by side (the
    mentor's school has none once the mentor has left the network)."""
    if match.status is not MatchStatus.COMPLETED:
        return {}
    schools = {Side.MENTORED: match.request.school}
    if match.mentor is not None:
        schools[Side.MENTOR] = match.mentor.school
    return schools


def side_of(match: Match, school_id: int | None) -> Side | None:
    """The side of ``school_id`` in a completed match, None if it has no certificate."""
    found = [side for side, school in sides(match).items() if school.id == school_id]
    return found[0] if found else None


def may_download(user, match: Match, side: Side) -> bool:
    """A school's certificate of mentoring is its members' (and the admins'); the mentor's
    school's is the mentor's too."""
    school = sides(match).get(side)
    if school is None:
        return False
    return (
        policy.is_member(user, school.id)
        or policy.is_admin(user)
        or (side is Side.MENTOR and policy.is_mentor_of(user, match))
    )


def downloadable(user, match: Match) -> list[tuple[Side, School]]:
    """The certificates of a match ``user`` may download: (side, school), mentored first."""
    return [
        (side, school) for side, school in sides(match).items() if may_download(user, match, side)
    ]


# What it says ------------------------------------------------------------------------


def of_registration(registration: Registration) -> Attendance:
    activity = registration.activity
    return Attendance(
        code=codes.for_registration(registration.id),
        holder=registration.name if registration.anonymised_at is None else "",
        activity=activity.title,
        organiser=activity.school.name,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        timezone=activity.timezone,
    )


def of_match(match: Match, side: Side) -> Mentoring:
    schools = sides(match)
    holder = schools[side]
    partner = schools.get(Side.MENTOR if side is Side.MENTORED else Side.MENTORED)
    return Mentoring(
        code=codes.for_match(match.id, side),
        holder=holder.name,
        side=side,
        partner=partner.name if partner is not None else None,
        started_at=match.decided_at or match.created_at,
        finished_at=match.finished_at or match.updated_at,
        timezone=holder.timezone,
    )


def find(code: str) -> Certificate | None:
    """The certificate a verification code names, if it checks and still holds."""
    subject = codes.subject(code)
    if subject is None:
        return None
    if subject.side is None:
        registration = db.session.get(Registration, subject.id)
        if registration is None or not attended(registration):
            return None
        return of_registration(registration)
    match = db.session.get(Match, subject.id)
    if match is None or subject.side not in sides(match):
        return None
    return of_match(match, subject.side)


# In the reader's language --------------------------------------------------------------


def dates(start: datetime, end: datetime, timezone: str) -> str:
    """The day, or the first and last day, in ``timezone``."""
    zone = ZoneInfo(timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    if first == last:
        return format_date(first, "long")
    return _(
        "From %(start)s to %(end)s", start=format_date(first, "long"), end=format_date(last, "long")
    )


def duration(start: datetime, end: datetime) -> Decimal:
    """Hours from start to end, to a tenth of an hour."""
    seconds = Decimal(int((end - start).total_seconds()))
    return (seconds / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def hours(start: datetime, end: datetime) -> str:
    """The duration in words: "2.5 hours", "1 hour", "2,5 saat" (a fraction takes the
    plural form of 2)."""
    value = duration(start, end)
    count = int(value) if value == value.to_integral_value() else 2
    return ngettext(
        "%(hours)s hour", "%(hours)s hours", count, hours=format_decimal(value, "#,##0.#")
    )
