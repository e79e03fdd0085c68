"""The state the generator's steps share: options, calendar, countries and schools."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

#: Every demo school's ``external_id`` starts with this; it is how demo data is recognised.
EXTERNAL_ID_PREFIX = "demo-"
#: Every demo user's address ends with this.
EMAIL_DOMAIN = "@example.org"
PASSWORD = "demo-password"  # noqa: S105 - the documented password of the demo accounts


@dataclass(frozen=True)
class DemoOptions:
    schools: int = 400
    events: int = 3000
    seed: int = 2026
    #: Users in all; more school members than the demo's own accounts when larger.
    users: int | None = None
    #: Mentoring matches to reach: new schools then ask for mentors until there are.
    matches: int | None = None


@dataclass(frozen=True)
class Calendar:
    """The two school years the demo covers, fixed by the day the generator runs."""

    today: date

    @property
    def year(self) -> int:
        """First calendar year of the current school year (September to August)."""
        return self.today.year if self.today.month >= 9 else self.today.year - 1

    @property
    def first_day(self) -> date:
        return date(self.year - 1, 9, 1)

    @property
    def days(self) -> int:
        """Days from the start of the previous school year to the end of the current one."""
        return (date(self.year + 1, 8, 31) - self.first_day).days + 1

    @property
    def cut(self) -> datetime:
        """Midnight UTC of today: before it is the past (held), after it the future."""
        return datetime.combine(self.today, time(), UTC)

    def local(self, day: date, hour: int, minute: int, zone: str) -> datetime:
        """A local wall-clock time as an aware UTC datetime."""
        return datetime.combine(day, time(hour, minute), ZoneInfo(zone)).astimezone(UTC)

    def days_ago(self, rng: random.Random, low: int, high: int) -> datetime:
        """A moment between ``low`` and ``high`` days before today."""
        return self.cut - timedelta(days=rng.randint(low, high), minutes=rng.randint(1, 1439))

    def past(self, moment: datetime) -> datetime:
        """``moment``, moved back before today when it would lie in the future."""
        return min(moment, self.cut - timedelta(hours=1))


@dataclass(slots=True)
class RegionInfo:
    code: str
    country: str
    name: str
    languages: tuple[str, ...]
    cities: tuple[str, ...]


@dataclass(slots=True)
class CountryInfo:
    code: str
    timezone: str
    regions: list[RegionInfo]
    weights: list[float]

    def __post_init__(self) -> None:
        self.weights = list(accumulate(self.weights))

    def pick_region(self, rng: random.Random) -> RegionInfo:
        return rng.choices(self.regions, cum_weights=self.weights)[0]


@dataclass(slots=True)
class SchoolInfo:
    """What later steps need to know of a school once its rows are written."""

    id: int
    country: str
    region: str
    timezone: str
    languages: tuple[str, ...]
    city: str
    name: str
    levels: tuple[str, ...]
    label_year: int | None
    ambassador: bool
    verified: bool

    @property
    def labelled(self) -> bool:
        return self.label_year is not None

    @property
    def language(self) -> str:
        return self.languages[0]


@dataclass
class World:
    """Options, calendar and everything generated so far that later steps build on."""

    options: DemoOptions
    calendar: Calendar
    countries: dict[str, CountryInfo]
    schools: list[SchoolInfo] = field(default_factory=list)
    #: A user who acts for each school that has members (creates its activities).
    school_user: dict[int, int] = field(default_factory=dict)
    #: Mentoring matches a school's mentors took part in: (match id, from, until).
    school_matches: dict[int, list[tuple[int, datetime, datetime]]] = field(default_factory=dict)
    coordinator: dict[str, int] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        """An independent, seeded generator per step, so steps do not shift each other."""
        return random.Random(f"{self.options.seed}:{step}")

    def schools_of(self, country: str) -> list[SchoolInfo]:
        return [school for school in self.schools if school.country == country]
