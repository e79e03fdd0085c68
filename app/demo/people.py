"""Demo accounts: the administrator, national coordinators, school staff and mentors."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from app.accounts.addresses import email_key
from app.accounts.models import CoordinatorCountry, Membership, User
from app.demo.names import naming_style
from app.demo.places import COUNTRY_LANGUAGES, user_locale
from app.demo.world import EMAIL_DOMAIN, SchoolInfo, World
from app.demo.writer import Chunk
from app.mission.models import PILLAR_CODES

#: Capacities 1 to 10, small ones most common.
CAPACITY_WEIGHTS = (8, 20, 22, 16, 10, 8, 5, 4, 3, 4)
MODES = (["online"], ["in_person"], ["in_person", "online"])
MODE_WEIGHTS = (25, 15, 60)
#: What each member account is, in turn: the admin of an ambassador school, a member of
#: that same school, the admin of a new school asking for a mentor, a member elsewhere.
MEMBER_ROLES = ("ambassador_admin", "ambassador_member", "requester_admin", "member")


@dataclass(frozen=True)
class Account:
    email: str
    role: str
    country: str | None = None
    school: str | None = None


@dataclass(slots=True)
class MentorInfo:
    id: int
    user_id: int
    school: SchoolInfo
    capacity: int
    languages: list[str]
    levels: list[str]
    pillars: list[str]
    regions: list[str]
    modes: list[str]
    paused: bool
    load: int = 0

    @property
    def free(self) -> bool:
        return not self.paused and self.load < self.capacity


class People:
    """Users in the order their ids are given, and what the mentoring step needs of them."""

    def __init__(self, world: World, password_hash: str) -> None:
        self.world = world
        self.password_hash = password_hash
        self.rng = world.rng("people")
        self.chunk = Chunk()
        self.user_count = 0
        self.mentor_count = 0
        self.accounts: list[Account] = []
        self.mentors: dict[str, list[MentorInfo]] = {}
        #: Schools whose admin is a demo account and that ask for a mentor, per country.
        self.requesting: dict[str, list[tuple[SchoolInfo, int]]] = {}
        #: The last ``member.<country><n>`` number given, per country.
        self.members: dict[str, int] = {}

    def take_chunk(self) -> Chunk:
        chunk, self.chunk = self.chunk, Chunk()
        return chunk

    def user(self, email: str, name: str, locale: str | None, account: Account) -> int:
        self.user_count += 1
        created = self.world.calendar.days_ago(self.rng, 30, 900)
        row = {
            "id": self.user_count,
            "email": email,
            "email_key": email_key(email),
            "name": name,
            "password_hash": self.password_hash,
            "locale": locale,
            "is_admin": account.role == "admin",
            "active": True,
            "session_version": 1,
            "totp_secret": None,
            "last_login_at": None,
            "email_verified_at": created,
            "created_at": created,
            "updated_at": created,
        }
        self.chunk.add(User, row)
        self.accounts.append(account)
        self.chunk.units += 1
        return self.user_count

    def school_user(self, email: str, school: SchoolInfo, role: str, account_role: str) -> int:
        """A user with an approved membership of ``school``."""
        style = naming_style(school.country, school.language)
        account = Account(email, account_role, school.country, school.name)
        user_id = self.user(email, style.person(self.rng), user_locale(school.language), account)
        created = self.world.calendar.days_ago(self.rng, 1, 700)
        self.chunk.add(
            Membership,
            {
                "user_id": user_id,
                "school_id": school.id,
                "role": role,
                "status": "approved",
                "created_at": created,
                "updated_at": created,
            },
        )
        self.world.school_user.setdefault(school.id, user_id)
        return user_id


def add_staff(people: People) -> None:
    """The administrator and one national coordinator per demo country."""
    admin = f"admin{EMAIL_DOMAIN}"
    people.user(admin, "Demo Administrator", "en", Account(admin, "admin"))
    for code in people.world.countries:
        language = COUNTRY_LANGUAGES.get(code, ("nl",))[0]  # Belgium's coordinator: Dutch
        email = f"coordinator.{code.lower()}{EMAIL_DOMAIN}"
        name = naming_style(code, language).person(people.rng)
        account = Account(email, "coordinator", code)
        user_id = people.user(email, name, user_locale(language), account)
        people.chunk.add(CoordinatorCountry, {"user_id": user_id, "country_code": code})
        people.world.coordinator[code] = user_id


def add_school_staff(people: People) -> None:
    """Per country: members and school admins, then mentors at eTwinning Schools."""
    for code in people.world.countries:
        schools = people.world.schools_of(code)
        _members(people, code, schools)
        _mentors(people, code, schools)


def _draw(
    rng: random.Random, preferred: list[SchoolInfo], others: list[SchoolInfo]
) -> Iterator[SchoolInfo]:
    """Each preferred school once, in random order, then any of ``others``."""
    shuffled = preferred[:]
    rng.shuffle(shuffled)
    yield from shuffled
    while True:
        yield rng.choice(others)


def _members(people: People, code: str, schools: list[SchoolInfo]) -> None:
    rng = people.rng
    verified = [s for s in schools if s.verified] or schools
    ambassadors = _draw(rng, [s for s in schools if s.ambassador], verified)
    unlabelled = [s for s in schools if not s.labelled] or schools
    newcomers = _draw(rng, [s for s in unlabelled if s.verified], unlabelled)
    count = max(len(MEMBER_ROLES), len(schools) // 25)
    people.members[code] = count
    school = schools[0]
    for number in range(1, count + 1):
        email = f"member.{code.lower()}{number}{EMAIL_DOMAIN}"
        kind = MEMBER_ROLES[(number - 1) % len(MEMBER_ROLES)]
        if kind == "ambassador_admin":
            school = next(ambassadors)
            people.school_user(email, school, "admin", "school admin")
        elif kind == "ambassador_member":
            people.school_user(email, school, "member", "school member")
        elif kind == "requester_admin":
            requester = next(newcomers)
            user_id = people.school_user(email, requester, "admin", "school admin")
            people.requesting.setdefault(code, []).append((requester, user_id))
        else:
            people.school_user(email, rng.choice(verified), "member", "school member")


def more_members(people: People, extra: int, per_chunk: int = 20_000) -> Iterator[Chunk]:
    """``extra`` school members of verified schools beyond the demo's own accounts, shared
    among the countries as their schools are; in chunks."""
    world = people.world
    countries = list(world.countries)
    total = sum(len(world.schools_of(code)) for code in countries) or 1
    given = 0
    for index, code in enumerate(countries):
        schools = world.schools_of(code)
        verified = [s for s in schools if s.verified] or schools
        share = extra - given if index == len(countries) - 1 else extra * len(schools) // total
        given += share
        for _ in range(share):
            people.members[code] = number = people.members.get(code, 0) + 1
            email = f"member.{code.lower()}{number}{EMAIL_DOMAIN}"
            people.school_user(email, people.rng.choice(verified), "member", "school member")
            if people.chunk.units >= per_chunk:
                yield people.take_chunk()
    if people.chunk.units:
        yield people.take_chunk()


def _mentors(people: People, code: str, schools: list[SchoolInfo]) -> None:
    rng = people.rng
    labelled = [s for s in schools if s.labelled]
    country = people.world.countries[code]
    pool = _draw(rng, labelled, labelled or [s for s in schools if s.verified] or schools)
    mentors = people.mentors.setdefault(code, [])
    for number in range(1, max(3, len(labelled) // 3) + 1):
        school = next(pool)
        email = f"mentor.{code.lower()}{number}{EMAIL_DOMAIN}"
        user_id = people.school_user(email, school, "member", "mentor")
        capacity = rng.choices(range(1, 11), weights=CAPACITY_WEIGHTS)[0]
        served: list[str] = []  # empty: the mentor's own region
        if rng.random() < 0.6:
            served = sorted({school.region, *(country.pick_region(rng).code for _ in range(3))})
        people.mentor_count += 1
        first = number == 1  # always available, with room for the demo's proposals
        mentors.append(
            MentorInfo(
                id=people.mentor_count,
                user_id=user_id,
                school=school,
                capacity=max(3, capacity) if first else capacity,
                languages=list(school.languages),
                levels=list(school.levels),
                pillars=sorted(rng.sample(PILLAR_CODES, rng.randint(2, 4)), key=PILLAR_CODES.index),
                regions=served,
                modes=list(rng.choices(MODES, weights=MODE_WEIGHTS)[0]),
                paused=not first and rng.random() < 0.06,
            )
        )
