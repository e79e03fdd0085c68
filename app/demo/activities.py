"""Activities of (mostly ambassador) schools over two school years, streamed in chunks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate

from app.activities.enums import Audience
from app.activities.models import Activity, ActivityLanguage, ActivityPillar, ActivityReach
from app.dashboards.facts import LANGUAGE_BITS, PILLAR_BITS, mask
from app.demo.names import naming_style, school_name
from app.demo.phrases import PHRASES
from app.demo.registrations import Registrations
from app.demo.world import Calendar, SchoolInfo, World
from app.demo.writer import CHUNK_SIZE, Chunk, Row

TYPES = ("open_day", "info_session", "mentoring_session", "professional_development", "other")
TYPE_WEIGHTS = (20, 25, 20, 25, 10)
MODES = ("in_person", "online", "hybrid")
AUDIENCE_ORDER = [member.value for member in Audience]
PARTICIPANT_COLUMN = {
    "teachers": "participants_teachers",
    "school_leaders": "participants_leaders",
    "students": "participants_students",
    "parents": "participants_parents",
}
PARTICIPANT_RANGE = {"teachers": (3, 40), "school_leaders": (1, 8), "students": (10, 150)}
PARTICIPANT_RANGE["parents"] = (5, 60)
#: How often schools of each kind run activities, relative to each other.
SCHOOL_WEIGHT = {"ambassador": 10.0, "labelled": 4.0, "verified": 0.15, "pending": 0.02}
SHARES_MODELS = "models_for_other_schools"
#: Online sessions of these kinds are often held in the evening.
EVENING_KINDS = ("info_session", "mentoring_session")


@dataclass(frozen=True)
class Pattern:
    """When an activity of a type takes place, for whom, and which pillars it serves."""

    hours: tuple[int, int]  # earliest and latest local start hour
    minutes: tuple[int, int]  # shortest and longest duration
    modes: tuple[int, int, int]  # weights of MODES
    audience: tuple[str, ...]
    optional_audience: tuple[tuple[str, float], ...] = ()
    pillars: tuple[str, ...] = ()
    #: (pillar, chance); one is drawn anyway when ``pillars`` is empty.
    optional_pillars: tuple[tuple[str, float], ...] = ()
    saturday: float = 0.0  # chance that a Saturday is acceptable


PATTERNS = {
    "open_day": Pattern(
        hours=(9, 10),
        minutes=(180, 300),
        modes=(80, 5, 15),
        audience=("teachers", "school_leaders", "other_schools"),
        optional_audience=(("parents", 0.5), ("community", 0.2)),
        pillars=(SHARES_MODELS,),
        optional_pillars=(("collaboration", 0.4), ("students_agents_of_change", 0.3)),
        saturday=0.3,
    ),
    "info_session": Pattern(
        hours=(14, 17),
        minutes=(60, 120),
        modes=(45, 35, 20),
        audience=("teachers", "other_schools"),
        optional_audience=(("school_leaders", 0.7),),
        pillars=(SHARES_MODELS,),
        optional_pillars=(("shared_leadership", 0.3),),
    ),
    "mentoring_session": Pattern(
        hours=(15, 17),
        minutes=(60, 90),
        modes=(45, 40, 15),
        audience=("teachers", "other_schools"),
        pillars=(SHARES_MODELS,),
        optional_pillars=(("collaboration", 0.5),),
    ),
    "professional_development": Pattern(
        hours=(9, 14),
        minutes=(120, 360),
        modes=(50, 30, 20),
        audience=("teachers",),
        optional_audience=(("school_leaders", 0.4), ("other_schools", 0.7)),
        pillars=(SHARES_MODELS,),
        optional_pillars=(("collaboration", 0.5), ("inclusive_innovative", 0.4)),
    ),
    "other": Pattern(
        hours=(10, 16),
        minutes=(60, 180),
        modes=(85, 5, 10),
        audience=("students",),
        optional_audience=(("teachers", 0.5), ("parents", 0.6), ("community", 0.4)),
        optional_pillars=(
            ("collaboration", 0.4),
            ("students_agents_of_change", 0.5),
            ("inclusive_innovative", 0.3),
            ("shared_leadership", 0.2),
        ),
        saturday=0.2,
    ),
}


def _weight(school: SchoolInfo) -> float:
    if school.ambassador:
        return SCHOOL_WEIGHT["ambassador"]
    if school.labelled:
        return SCHOOL_WEIGHT["labelled"]
    return SCHOOL_WEIGHT["verified" if school.verified else "pending"]


def activity_chunks(world: World) -> Iterator[Chunk]:
    """Stream ``world.options.events`` activities with their pillars, languages and reach."""
    rng = world.rng("activities")
    maker = _Maker(world, rng)
    cum_weights = list(accumulate(_weight(school) for school in world.schools))
    total = world.options.events
    for start in range(0, total, CHUNK_SIZE):
        size = min(CHUNK_SIZE, total - start)
        chunk = Chunk(
            units=size,
            tables={Activity: [], ActivityPillar: [], ActivityLanguage: [], ActivityReach: []},
        )
        schools = rng.choices(world.schools, cum_weights=cum_weights, k=size)
        for offset, school in enumerate(schools, start=start + 1):
            maker.add(chunk, offset, school)
        yield chunk


class _Maker:
    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.calendar: Calendar = world.calendar
        self.reach_id = 0
        self.region_schools: dict[str, list[int]] = {}
        for school in world.schools:
            self.region_schools.setdefault(school.region, []).append(school.id)
        self.registrations = Registrations(
            world.rng("registrations"), self.calendar.cut, self.region_schools
        )

    def add(self, chunk: Chunk, activity_id: int, school: SchoolInfo) -> None:
        rng = self.rng
        kind = rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
        pattern = PATTERNS[kind]
        mode = rng.choices(MODES, weights=pattern.modes)[0]
        starts, ends = self.when(kind, pattern, mode, school)
        status = self.status(starts)
        created, updated = self.stamps(starts, ends, status)
        audience = self.audience(pattern)
        phrases = PHRASES[school.language]
        title = rng.choice(phrases.titles[kind]).format(topic=rng.choice(phrases.topics))
        user_id = self.world.school_user.get(school.id)
        row: Row = {
            "id": activity_id,
            "school_id": school.id,
            "country_code": school.country,
            "region_code": school.region,
            "type": kind,
            "title": title,
            "description": phrases.descriptions[kind],
            "starts_at": starts,
            "ends_at": ends,
            "timezone": school.timezone,
            "mode": mode,
            "location": "" if mode == "online" else f"{school.name}, {school.city}",
            "online_url": ""
            if mode == "in_person"
            else f"https://meet.example.org/{school.country.lower()}-{activity_id}",
            "audience": audience,
            "visibility": self.visibility(kind),
            "status": status,
            **self.participants(kind, audience, status),
            "match_id": self.match(school, starts) if kind == "mentoring_session" else None,
            "created_by_id": user_id,
            "updated_by_id": user_id,
            "version": 1,
            "created_at": created,
            "updated_at": updated,
        }
        pillars = self.pillars(pattern)
        languages = [school.language]
        if len(school.languages) > 1 and rng.random() < 0.35:
            languages.append(school.languages[1])
        row["pillar_mask"] = mask(PILLAR_BITS, pillars)
        row["language_mask"] = mask(LANGUAGE_BITS, languages)
        row.update(self.registrations.settings(kind, status, starts))
        chunk.add(Activity, row)
        self.registrations.add(chunk, row, school)
        for code in pillars:
            chunk.add(ActivityPillar, {"activity_id": activity_id, "pillar_code": code})
        for language in languages:
            chunk.add(ActivityLanguage, {"activity_id": activity_id, "language": language})
        if status == "held" and kind != "other" and rng.random() < 0.35:
            for reached in self.reach(school, activity_id):
                chunk.add(ActivityReach, reached)

    def when(
        self, kind: str, pattern: Pattern, mode: str, school: SchoolInfo
    ) -> tuple[datetime, datetime]:
        """Start and end at sensible local hours of the school, as UTC."""
        rng = self.rng
        hour = rng.randint(*pattern.hours)
        if mode == "online" and kind in EVENING_KINDS and rng.random() < 0.4:
            hour = rng.choice((18, 19))  # after school, from home
        day = self.day(pattern.saturday)
        starts = self.calendar.local(day, hour, rng.choice((0, 0, 30)), school.timezone)
        return starts, starts + timedelta(minutes=rng.randrange(*pattern.minutes, 15))

    def status(self, starts: datetime) -> str:
        """Past activities were mostly held, future ones are planned; a few are cancelled."""
        if starts < self.calendar.cut:
            return "held" if self.rng.random() < 0.93 else "cancelled"
        return "planned" if self.rng.random() < 0.95 else "cancelled"

    def stamps(self, starts: datetime, ends: datetime, status: str) -> tuple[datetime, datetime]:
        """When the activity was logged, and last changed (reported, or cancelled)."""
        rng, calendar = self.rng, self.calendar
        created = starts - timedelta(days=rng.randint(7, 60), hours=rng.randint(0, 9))
        if created >= calendar.cut:
            created = calendar.days_ago(rng, 0, 90)
        if status == "held":
            return created, max(created, calendar.past(ends + timedelta(days=1)))
        if status == "cancelled":
            changed = calendar.past(starts - timedelta(days=rng.randint(1, 5)))
            return created, max(created, changed)
        return created, created

    def visibility(self, kind: str) -> str:
        """Mostly public; school-internal kinds of activity more often for the network only."""
        return "network" if self.rng.random() < (0.4 if kind == "other" else 0.12) else "public"

    def day(self, saturday: float) -> date:
        """A school day in the two school years: rarely in summer, rarely at weekends."""
        rng, calendar = self.rng, self.calendar
        for _attempt in range(20):
            day = calendar.first_day + timedelta(days=rng.randrange(calendar.days))
            weekday = day.weekday()
            summer = day.month in (7, 8) and rng.random() < 0.85
            weekend = weekday == 6 or (weekday == 5 and rng.random() >= saturday)
            if not summer and not weekend:
                return day
        return day

    def audience(self, pattern: Pattern) -> list[str]:
        chosen = set(pattern.audience)
        chosen.update(
            code for code, chance in pattern.optional_audience if self.rng.random() < chance
        )
        return sorted(chosen, key=AUDIENCE_ORDER.index)

    def pillars(self, pattern: Pattern) -> list[str]:
        chosen = list(pattern.pillars)
        chosen += [code for code, chance in pattern.optional_pillars if self.rng.random() < chance]
        if not chosen:
            chosen.append(self.rng.choice(pattern.optional_pillars)[0])
        return chosen

    def participants(self, kind: str, audience: list[str], status: str) -> Row:
        """Head counts per group, only once held and only for groups in the audience."""
        counts: Row = dict.fromkeys(PARTICIPANT_COLUMN.values())
        if status != "held":
            return counts
        for group, column in PARTICIPANT_COLUMN.items():
            if group in audience:
                low, high = (1, 6) if kind == "mentoring_session" else PARTICIPANT_RANGE[group]
                counts[column] = self.rng.randint(low, high)
        return counts

    def match(self, school: SchoolInfo, starts: datetime) -> int | None:
        """The mentoring match a session belongs to, when the school's mentor had one then."""
        windows = self.world.school_matches.get(school.id, ())
        running = [match_id for match_id, begin, end in windows if begin <= starts <= end]
        return self.rng.choice(running) if running and self.rng.random() < 0.7 else None

    def reach(self, school: SchoolInfo, activity_id: int) -> Iterator[Row]:
        """Schools the activity reached: registered ones of the region, or names of others."""
        rng = self.rng
        neighbours = self.region_schools[school.region]
        seen = {school.id}
        for _ in range(rng.randint(1, 4)):
            self.reach_id += 1
            row: Row = {"id": self.reach_id, "activity_id": activity_id}
            other = rng.choice(neighbours)
            if rng.random() < 0.65 and other not in seen:
                seen.add(other)
                yield {**row, "school_id": other, "school_name": None}
            else:
                style = naming_style(school.country, school.language)
                name, _levels = school_name(rng, style, school.city)
                yield {**row, "school_id": None, "school_name": name}
