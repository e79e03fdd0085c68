"""The principals of the access tests: one user for each role of the design."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.accounts.models import User
from app.core.school_years import school_year_of
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from app.schools.enums import SchoolStatus
from app.schools.models import AmbassadorPeriod, LabelAward

NAMES = (
    "anonymous",
    "member_a",
    "member_b",
    "school_admin",
    "mentor",
    "coordinator_tr",
    "coordinator_ro",
    "admin",
)


@dataclass
class World:
    school_a: int  # a verified school in TR
    school_b: int  # a verified school in RO
    period: int  # school A's application for ambassador status, waiting for a decision
    activity: int  # a public open day of school A that started yesterday
    other_activity: int  # another one, for the sweep to cancel
    request: int  # school A's mentoring request
    match: int  # the mentor proposed for it, not answered yet
    run: int  # a matching run for Türkiye, not confirmed
    mentor_profile: int
    label_request: int  # school A's request for the label of this school year, waiting
    user_ids: dict[str, int | None]


def build_world(make, session) -> World:
    school_a = make.school("TR", name="Atatürk Anadolu Lisesi", city="İstanbul")
    school_b = make.school("RO", name="Școala Gimnazială nr. 1", city="Cluj-Napoca")
    mentor = make.member(school_a, email="mentor@example.org")
    session.add(
        MentorProfile(
            user_id=mentor.id,
            school_id=school_a.id,
            country_code="TR",
            region_code=school_a.region_code,
            capacity=2,
        )
    )
    session.commit()
    users: dict[str, User | None] = {
        "anonymous": None,
        "member_a": make.member(school_a, email="member.a@example.org"),
        "member_b": make.member(school_b, email="member.b@example.org"),
        "school_admin": make.member(
            school_a, role=MembershipRole.ADMIN, email="school.admin@example.org"
        ),
        "mentor": mentor,
        "coordinator_tr": make.user("coord.tr@example.org", role="coordinator", countries=("TR",)),
        "coordinator_ro": make.user("coord.ro@example.org", role="coordinator", countries=("RO",)),
        "admin": make.user("root@example.org", role="admin"),
    }
    period = AmbassadorPeriod(
        school_id=school_a.id, starts_on=date(2030, 9, 1), ends_on=date(2031, 8, 31)
    )
    label_request = LabelAward(
        school_id=school_a.id,
        award_year=school_year_of(datetime.now(UTC).date()),
        requested_by_id=users["school_admin"].id,
    )
    session.add_all([period, label_request])
    session.commit()
    activity = make.activity(school_a, starts_at=datetime.now(UTC) - timedelta(days=1))
    other_activity = make.activity(school_a)
    profile = session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor.id))
    request = MentoringRequest(
        school_id=school_a.id, country_code="TR", region_code=school_a.region_code, languages=["tr"]
    )
    run = MatchRun(country_code="TR")
    session.add_all([request, run])
    session.flush()
    match = Match(request_id=request.id, mentor_id=profile.id, status=MatchStatus.PROPOSED)
    session.add(match)
    session.commit()
    ids = {name: (user.id if user else None) for name, user in users.items()}
    return World(
        school_a=school_a.id,
        school_b=school_b.id,
        period=period.id,
        activity=activity.id,
        other_activity=other_activity.id,
        request=request.id,
        match=match.id,
        run=run.id,
        mentor_profile=profile.id,
        label_request=label_request.id,
        user_ids=ids,
    )


#: Signed in, yet outside the network of network-only activities: an account that was
#: registered and confirmed but belongs to no school, and a member of a school that is
#: not verified yet.
OUTSIDERS = ("outsider", "pending_member")


def build_outsiders(make) -> dict[str, int]:
    pending = make.school("TR", name="Henüz Doğrulanmamış Okul", status=SchoolStatus.PENDING)
    return {
        "outsider": make.user("outsider@example.org").id,
        "pending_member": make.member(pending, email="pending.member@example.org").id,
    }


def sign_in(client, session, user_id: int | None) -> None:
    """Put a user's current session id in the client's cookie, as a sign-in would."""
    if user_id is None:
        return
    user = session.get(User, user_id)
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True
