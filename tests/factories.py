"""Test data builders. Each commits, which inside a test only releases a SAVEPOINT of the
test's outer transaction (rolled back when the test ends)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from functools import cache

from sqlalchemy import select

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership
from app.accounts.operations import create_user, hash_password
from app.activities.enums import ActivityStatus, ActivityType, Visibility
from app.activities.models import Activity, ActivityPillar
from app.core.enums import Mode
from app.core.text import search_key
from app.geography.models import Country, Region
from app.schools.enums import AmbassadorStatus, SchoolStatus
from app.schools.models import AmbassadorPeriod, School

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


class Factories:
    def __init__(self, session):
        self.session = session

    def region(self, country: str = "TR") -> Region:
        # The first region of the country's dashboard (not a territory such as NL-AW).
        query = (
            select(Region)
            .where(Region.country_code == country, Region.on_dashboard())
            .order_by(Region.code)
        )
        return self.session.scalars(query).first()

    def school(
        self, country: str = "TR", name: str | None = None, city: str = "", **fields
    ) -> School:
        region = fields.pop("region", None) or self.region(country)
        name = name or f"Test School {next(_sequence)}"
        school = School(
            name=name,
            city=city,
            search_key=search_key(name, city),
            country_code=country,
            region_code=region.code,
            timezone=self.session.get(Country, country).timezone,
            status=fields.pop("status", SchoolStatus.VERIFIED),
            **fields,
        )
        self.session.add(school)
        self.session.commit()
        return school

    def ambassador(self, school: School, today: date | None = None) -> AmbassadorPeriod:
        today = today or datetime.now(UTC).date()
        period = AmbassadorPeriod(
            school_id=school.id,
            status=AmbassadorStatus.APPROVED,
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=300),
        )
        self.session.add(period)
        self.session.commit()
        return period

    def user(self, email: str | None = None, role: str = "member", **options):
        email = email or f"user{next(_sequence)}@example.org"
        user = create_user(
            email,
            options.pop("name", email),
            role=role,
            password_hash=_password_hash(),
            verified=options.pop("verified", True),
            **options,
        )
        self.session.commit()
        return user

    def member(self, school: School, role: MembershipRole = MembershipRole.MEMBER, **options):
        user = self.user(**options)
        self.session.add(
            Membership(
                user_id=user.id, school_id=school.id, role=role, status=MembershipStatus.APPROVED
            )
        )
        self.session.commit()
        return user

    def activity(
        self,
        school: School,
        starts_at: datetime | None = None,
        pillars: tuple[str, ...] = ("models_for_other_schools",),
        **fields,
    ) -> Activity:
        starts_at = starts_at or datetime.now(UTC) + timedelta(days=7)
        activity = Activity(
            school_id=school.id,
            country_code=school.country_code,
            region_code=school.region_code,
            type=fields.pop("type", ActivityType.OPEN_DAY),
            title=fields.pop("title", f"Open day {next(_sequence)}"),
            starts_at=starts_at,
            ends_at=fields.pop("ends_at", starts_at + timedelta(hours=2)),
            timezone=school.timezone,
            mode=fields.pop("mode", Mode.IN_PERSON),
            visibility=fields.pop("visibility", Visibility.PUBLIC),
            status=fields.pop("status", ActivityStatus.PLANNED),
            **fields,
        )
        activity.pillars = [ActivityPillar(pillar_code=code) for code in pillars]
        self.session.add(activity)
        self.session.commit()
        return activity
