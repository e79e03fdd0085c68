"""Mentor profiles, mentoring requests from new schools, matching runs and matches."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count

from app.demo.people import MentorInfo, People
from app.demo.phrases import PHRASES
from app.demo.world import SchoolInfo, World
from app.demo.writer import Chunk, Row
from app.mentoring.matching import fit
from app.mentoring.models import Match, MatchRun, MentoringRequest, MentorProfile
from app.mission.models import PILLAR_CODES

REQUEST_SHARE = 0.2
#: What became of a request: its matches follow from it.
OUTCOMES = ("open", "proposed", "declined", "accepted", "active", "completed", "ended", "withdrawn")
OUTCOME_WEIGHTS = (45, 15, 7, 7, 14, 8, 2, 2)
#: Outcomes for the requests of the demo member accounts, in turn.
DEMO_OUTCOMES = ("proposed", "active", "open")
REQUEST_STATUS = {"proposed": "open", "declined": "open", "accepted": "matched"}
REQUEST_STATUS |= {"active": "matched", "completed": "closed", "ended": "closed"}
#: How long ago (in days) requests with each outcome were made.
REQUEST_AGE = {"accepted": (10, 40), "active": (40, 300), "completed": (200, 600)}
REQUEST_AGE["ended"] = REQUEST_AGE["completed"]


@dataclass(slots=True)
class Request:
    id: int
    school: SchoolInfo
    user_id: int | None
    languages: list[str]
    levels: list[str]
    pillars: list[str]
    mode: str
    created: datetime


@dataclass
class Matcher:
    """Writes one country's requests and matches, keeping every mentor within capacity."""

    world: World
    chunk: Chunk
    rng: random.Random
    country: str
    mentors: list[MentorInfo]
    #: Id sequences shared by all countries: "request", "match", "run".
    ids: dict[str, Iterator[int]]
    by_region: dict[str, list[MentorInfo]] = field(default_factory=dict)
    run: Row | None = None

    def __post_init__(self) -> None:
        for mentor in self.mentors:
            for region in mentor.regions or [mentor.school.region]:
                self.by_region.setdefault(region, []).append(mentor)

    def pick(
        self,
        region: str,
        *,
        free: bool,
        avoid: MentorInfo | None = None,
        prefer: MentorInfo | None = None,
    ) -> MentorInfo | None:
        """A mentor serving ``region`` if possible; with ``free``, one with room left."""

        def fits(mentor: MentorInfo) -> bool:
            usable = mentor.free if free else not mentor.paused
            return usable and mentor is not avoid

        if prefer is not None and fits(prefer):
            return prefer
        for group in (self.by_region.get(region, []), self.mentors):
            for _attempt in range(20):
                if group and fits(mentor := self.rng.choice(group)):
                    return mentor
        return next((mentor for mentor in self.mentors if fits(mentor)), None)

    def request(
        self,
        school: SchoolInfo,
        user_id: int | None,
        outcome: str,
        prefer: MentorInfo | None = None,
    ) -> None:
        """A request from ``school`` and the matches that lead to ``outcome``."""
        rng = self.rng
        low, high = REQUEST_AGE.get(outcome, (1, 120))
        request = Request(
            id=next(self.ids["request"]),
            school=school,
            user_id=user_id,
            languages=list(school.languages),
            levels=list(school.levels),
            pillars=sorted(rng.sample(PILLAR_CODES, rng.randint(1, 3)), key=PILLAR_CODES.index),
            mode=rng.choices(("in_person", "online", "hybrid"), weights=(20, 35, 45))[0],
            created=self.world.calendar.days_ago(rng, low, high),
        )
        outcome = self.matches(request, outcome, prefer)
        self.chunk.add(
            MentoringRequest,
            {
                "id": request.id,
                "school_id": school.id,
                "country_code": school.country,
                "region_code": school.region,
                "requested_by_id": user_id,
                "pillars": request.pillars,
                "languages": request.languages,
                "levels": request.levels,
                "mode": request.mode,
                "message": PHRASES[school.language].request,
                "status": REQUEST_STATUS.get(outcome, outcome),
                "created_at": request.created,
                "updated_at": request.created,
            },
        )

    def ask(self, school: SchoolInfo) -> None:
        """A new school asks for a mentor; what became of its request is drawn."""
        outcome = self.rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
        self.request(school, self.world.school_user.get(school.id), outcome)

    def matches(self, request: Request, outcome: str, prefer: MentorInfo | None) -> str:
        """Add the matches an outcome implies; returns the outcome reached."""
        region = request.school.region
        if outcome in ("accepted", "active"):
            mentor = self.pick(region, free=True, prefer=prefer)
            if mentor is None:
                outcome = "proposed"
            else:
                mentor.load += 1
                self.match(request, mentor, outcome)
                return outcome
        if outcome in ("proposed", "declined", "completed", "ended"):
            mentor = self.pick(region, free=outcome == "proposed", prefer=prefer)
            if mentor is None:
                return "open"
            self.match(request, mentor, outcome)
            if outcome == "declined" and self.rng.random() < 0.5:
                other = self.pick(region, free=True, avoid=mentor)
                if other is not None:
                    self.match(request, other, "proposed")
        return outcome

    def match(self, request: Request, mentor: MentorInfo, status: str) -> None:
        rng, calendar = self.rng, self.world.calendar
        match_id = next(self.ids["match"])
        created = calendar.past(request.created + timedelta(days=rng.randint(2, 10)))
        facts = score(mentor, request, created)
        run_time = calendar.cut - timedelta(hours=15)
        run_id = None
        proposed_by = self.world.coordinator[self.country]
        if status == "proposed" and request.created < run_time and rng.random() < 0.7:
            run_id, created = self.add_to_run(facts["fit"]), run_time
        elif status == "proposed" and request.user_id is not None and rng.random() < 0.5:
            proposed_by = request.user_id  # the school chose this mentor itself
        decided = None if status == "proposed" else calendar.past(created + timedelta(days=3))
        finished = None
        if status in ("completed", "ended") and decided is not None:
            finished = calendar.past(decided + timedelta(days=rng.randint(60, 200)))
        if status in ("active", "completed", "ended") and decided is not None:
            until = finished or calendar.cut
            self.world.school_matches.setdefault(mentor.school.id, []).append(
                (match_id, decided, until)
            )
        school_text, mentor_text = PHRASES[request.school.language], PHRASES[mentor.school.language]
        self.chunk.add(
            Match,
            {
                "id": match_id,
                "request_id": request.id,
                "mentor_id": mentor.id,
                "run_id": run_id,
                "status": status,
                "score": facts["fit"],
                "explanation": facts,
                "proposed_by_id": proposed_by,
                "decided_at": decided,
                "decline_reason": mentor_text.decline if status == "declined" else "",
                "finished_at": finished,
                "feedback_school": school_text.feedback_school if status == "completed" else "",
                "feedback_mentor": mentor_text.feedback_mentor if status == "completed" else "",
                "created_at": created,
                "updated_at": finished or decided or created,
            },
        )

    def add_to_run(self, points: int) -> int:
        """The country's latest matching run, which proposed this match."""
        if self.run is None:
            self.run = {
                "id": next(self.ids["run"]),
                "country_code": self.country,
                "region_code": None,
                "run_by_id": self.world.coordinator[self.country],
                "created_at": self.world.calendar.cut - timedelta(hours=15),
                "confirmed_at": self.world.calendar.cut - timedelta(hours=14),
                "total_score": 0.0,
                "proposals": 0,
                "unmatched": None,
            }
            self.chunk.add(MatchRun, self.run)
        self.run["proposals"] += 1
        self.run["total_score"] = round(self.run["total_score"] + points, 2)
        return self.run["id"]


def score(mentor: MentorInfo, request: Request, when: datetime) -> dict:
    """The fit and facts of a pairing, exactly as the matching states them."""
    return fit.pair_fit(
        fit.Mentor(
            id=mentor.id,
            country=request.school.country,
            region=mentor.school.region,
            capacity=mentor.capacity,
            load=min(mentor.load, mentor.capacity - 1),
            languages=frozenset(mentor.languages),
            levels=frozenset(mentor.levels),
            pillars=frozenset(mentor.pillars),
            regions=frozenset(mentor.regions) | {request.school.region},
            modes=frozenset(mentor.modes) | {"online"},
        ),
        fit.Request(
            id=request.id,
            country=request.school.country,
            region=request.school.region,
            languages=frozenset(request.languages) | frozenset(mentor.languages[:1]),
            levels=frozenset(request.levels),
            pillars=frozenset(request.pillars),
            mode="hybrid",
            waiting_days=max((when - request.created).days, 0),
        ),
        fit.weights_of(),
    )


def mentoring_chunk(world: World, people: People, matches: int | None = None) -> Chunk:
    """Requests from schools without the label, their matches, then the mentor profiles.

    By default a share of the new schools ask for a mentor; with ``matches``, new schools
    of each country ask in random order until the country has its share of that many
    matches (countries share them as their new schools).
    """
    rng = world.rng("mentoring")
    chunk = Chunk(tables={MentorProfile: [], MentoringRequest: [], MatchRun: [], Match: []})
    ids = {"request": count(1), "match": count(1), "run": count(1)}
    newcomers = {
        code: [s for s in world.schools_of(code) if s.verified and not s.labelled]
        for code in world.countries
    }
    all_newcomers = sum(map(len, newcomers.values())) or 1
    for code in world.countries:
        mentors = people.mentors.get(code, [])
        matcher = Matcher(world, chunk, rng, code, mentors, ids)
        # The country's share counts the matches of its demo accounts' requests too.
        share = round((matches or 0) * len(newcomers[code]) / all_newcomers)
        target = len(chunk.tables[Match]) + share
        requesting = people.requesting.get(code, [])
        for index, (school, user_id) in enumerate(requesting):
            # The first demo request is proposed to mentor 1, who can accept it.
            prefer = mentors[0] if index == 0 and mentors else None
            matcher.request(school, user_id, DEMO_OUTCOMES[index % len(DEMO_OUTCOMES)], prefer)
        asked = {school.id for school, _user_id in requesting}
        if matches is None:
            for school in newcomers[code]:
                if school.id not in asked and rng.random() < REQUEST_SHARE:
                    matcher.ask(school)
        else:
            askers = [s for s in newcomers[code] if s.id not in asked]
            rng.shuffle(askers)
            for school in askers:
                if len(chunk.tables[Match]) >= target:
                    break
                matcher.ask(school)
        for mentor in mentors:
            chunk.add(MentorProfile, profile_row(rng, world, mentor))
    chunk.units = sum(len(rows) for rows in chunk.tables.values())
    return chunk


def profile_row(rng: random.Random, world: World, mentor: MentorInfo) -> Row:
    created = world.calendar.days_ago(rng, 600, 1000)
    until = date(world.calendar.year + 1, 8, 31) if rng.random() < 0.3 else None
    return {
        "id": mentor.id,
        "user_id": mentor.user_id,
        "school_id": mentor.school.id,
        "country_code": mentor.school.country,
        "region_code": mentor.school.region,
        "capacity": mentor.capacity,
        "load": mentor.load,
        "languages": mentor.languages,
        "levels": mentor.levels,
        "pillars": mentor.pillars,
        "regions": mentor.regions,
        "modes": mentor.modes,
        "available_until": until,
        "bio": PHRASES[mentor.school.language].bio.format(years=rng.randint(2, 15)),
        "paused": mentor.paused,
        "created_at": created,
        "updated_at": created,
    }
