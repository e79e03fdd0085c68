"""Schools with their levels, languages, eTwinning School label and ambassador periods."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from app.core.text import search_key
from app.demo.names import naming_style, school_name
from app.demo.phrases import PHRASES
from app.demo.world import EXTERNAL_ID_PREFIX, CountryInfo, SchoolInfo, World
from app.demo.writer import CHUNK_SIZE, Chunk
from app.schools.models import AmbassadorPeriod, LabelAward, School, SchoolLanguage, SchoolLevel

LABEL_SHARE = 0.15
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def school_counts(world: World) -> dict[str, int]:
    """Schools per country: the requested number shared out evenly."""
    codes = list(world.countries)
    share, extra = divmod(world.options.schools, len(codes))
    return {code: share + (index < extra) for index, code in enumerate(codes)}


def school_chunks(world: World) -> Iterator[Chunk]:
    """Stream the school rows in chunks; ``world.schools`` collects what later steps need."""
    rng = world.rng("schools")
    school_id = period_id = 0
    chunk = Chunk()
    for code, count in school_counts(world).items():
        country = world.countries[code]
        for number in range(1, count + 1):
            school_id += 1
            school = _school(rng, world, country, school_id)
            world.schools.append(school)
            chunk.add(School, _school_row(rng, world, school, number))
            for level in school.levels:
                chunk.add(SchoolLevel, {"school_id": school_id, "level": level})
            for language in school.languages:
                chunk.add(SchoolLanguage, {"school_id": school_id, "language": language})
            if school.label_year is not None:  # the label history: one verified award
                chunk.add(LabelAward, _award_row(school))
            for period in _ambassador_periods(rng, world, school):
                period_id += 1
                chunk.add(AmbassadorPeriod, {"id": period_id, **period})
            chunk.units += 1
            if chunk.units == CHUNK_SIZE:
                yield chunk
                chunk = Chunk()
    yield chunk


def _school(rng: random.Random, world: World, country: CountryInfo, school_id: int) -> SchoolInfo:
    region = country.pick_region(rng)
    language = region.languages[0]
    if len(region.languages) > 1 and rng.random() < 0.3:
        language = region.languages[1]
    city = rng.choice(region.cities)
    name, levels = school_name(rng, naming_style(country.code, language), city)
    languages = [language, *(other for other in region.languages if other != language)]
    if rng.random() < 0.6:
        languages.append("en")
    if rng.random() < 0.08:
        languages.append(rng.choice(("de", "fr", "es")))
    label_year = _label_year(rng, world) if rng.random() < LABEL_SHARE else None
    return SchoolInfo(
        id=school_id,
        country=country.code,
        region=region.code,
        timezone=country.timezone,
        languages=tuple(dict.fromkeys(languages)),
        city=city,
        name=name,
        levels=levels,
        label_year=label_year,
        ambassador=False,
        verified=label_year is not None or rng.random() < 0.9,
    )


def _label_year(rng: random.Random, world: World) -> int:
    """Award year: mostly still valid (this or last school year), sometimes expired."""
    year = world.calendar.year
    return rng.choice((year - 1, year)) if rng.random() < 0.85 else rng.choice((year - 3, year - 2))


def _school_row(rng: random.Random, world: World, school: SchoolInfo, number: int) -> dict:
    created = world.calendar.days_ago(rng, 60, 6 * 365)
    slug = _NOT_ALNUM.sub("-", search_key(school.name, school.city)).strip("-")
    has_contact = rng.random() < 0.7
    return {
        "id": school.id,
        "external_id": f"{EXTERNAL_ID_PREFIX}{school.country}-{number}",
        "name": school.name,
        "city": school.city,
        "search_key": search_key(school.name, school.city),
        "country_code": school.country,
        "region_code": school.region,
        "timezone": school.timezone,
        "website": f"https://{slug}.example.org" if rng.random() < 0.6 else None,
        "contact_name": naming_style(school.country, school.language).person(rng)
        if has_contact
        else None,
        "contact_email": f"info@{slug}.example.org" if has_contact else None,
        "pupil_count": rng.randint(40, 400) * (2 if "upper_secondary" in school.levels else 1),
        "label_year": school.label_year,
        "status": "verified" if school.verified else "pending",
        "created_by_id": None,
        "verified_at": created + timedelta(days=rng.randint(1, 20)) if school.verified else None,
        "created_at": created,
        "updated_at": created + timedelta(days=rng.randint(0, 30)),
    }


def _award_row(school: SchoolInfo) -> dict:
    decided = datetime(school.label_year, 10, 1, 9, tzinfo=UTC)
    return {
        "id": school.id,
        "school_id": school.id,
        "award_year": school.label_year,
        "status": "verified",
        "source": "import",
        "requested_by_id": None,
        "decided_by_id": None,
        "decided_at": decided,
        "decision_reason": "",
        "created_at": decided,
        "updated_at": decided,
    }


def _ambassador_periods(rng: random.Random, world: World, school: SchoolInfo) -> list[dict]:
    """Current labels: mostly an approved period covering this school year; old labels: a
    period that has ended."""
    label_year = school.label_year
    if label_year is None:
        return []
    year = world.calendar.year
    if label_year < year - 1:
        if rng.random() < 0.5:
            return [_period(rng, world, school, "approved", label_year, label_year + 2)]
        return []
    draw = rng.random()
    if draw < 0.78:
        school.ambassador = True
        start = rng.choice((year - 1, year))
        end = year + 1 if start < year else rng.choice((year + 1, year + 2))
        return [_period(rng, world, school, "approved", start, end)]
    if draw < 0.88:
        return [_period(rng, world, school, "applied", year, year + rng.choice((1, 2)))]
    if draw < 0.94:
        return [_period(rng, world, school, "rejected", year, year + 1)]
    return []


def _period(
    rng: random.Random, world: World, school: SchoolInfo, status: str, start: int, end: int
) -> dict:
    """One period from 1 September of ``start`` to 31 August of ``end``."""
    starts_on = date(start, 9, 1)
    calendar = world.calendar
    applied = calendar.past(
        datetime.combine(starts_on, time(), UTC) - timedelta(days=rng.randint(20, 120))
    )
    decided = None
    if status != "applied":
        decided = calendar.past(applied + timedelta(days=rng.randint(3, 20)))
    phrases = PHRASES[school.language]
    return {
        "school_id": school.id,
        "status": status,
        "starts_on": starts_on,
        "ends_on": date(end, 8, 31),
        "motivation": phrases.motivation,
        "applied_by_id": None,
        "decided_by_id": None if decided is None else world.coordinator[school.country],
        "decided_at": decided,
        "decision_reason": phrases.rejection if status == "rejected" else "",
        "created_at": applied,
        "updated_at": decided or applied,
    }
