"""``generate``: replace the data of the database with deterministic demo data.

The steps run in order (staff, schools, school staff, mentoring, activities), each
from its own seeded random generator, and write with explicit ids so that the
same seed, options and day give the same rows (all but the salt of the one password
hash every demo account shares). Nothing is committed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.operations import hash_password
from app.core.models import AuditEntry
from app.dashboards import rebuild as summary_rebuild
from app.demo.activities import activity_chunks
from app.demo.mentoring import mentoring_chunk
from app.demo.people import Account, People, add_school_staff, add_staff, more_members
from app.demo.places import DEMO_COUNTRIES, region_cities, region_languages, region_weight
from app.demo.schools import school_chunks
from app.demo.world import PASSWORD, Calendar, CountryInfo, DemoOptions, RegionInfo, World
from app.demo.writer import ProgressFactory, Writer, foreign_data, quiet
from app.geography.models import Country, Region
from app.geography.regions import load_regions
from app.mission.loading import load_pillars
from app.mission.models import Pillar


class DemoRefused(RuntimeError):
    """The database holds data that ``flask demo`` did not create."""


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    accounts: list[Account]


def check_replaceable(session: Session) -> None:
    """Refuse to delete data that is not demo data."""
    schools, users = foreign_data(session)
    if schools or users:
        raise DemoRefused(
            f"The database holds {schools} school(s) and {users} user(s) that are not demo "
            "data. flask demo would delete them; run it with --force to do so anyway."
        )


def load_reference_data(session: Session) -> dict[str, CountryInfo]:
    """Pillars and demo-country regions (loaded when missing), as the generator needs them."""
    if not session.scalar(select(func.count()).select_from(Pillar)):
        load_pillars()
    for code in DEMO_COUNTRIES:
        leaves = select(func.count()).where(Region.country_code == code, Region.selectable())
        if not session.scalar(leaves):
            load_regions([code])
    timezones = dict(session.execute(select(Country.code, Country.timezone)).tuples().all())
    countries = {}
    for code in DEMO_COUNTRIES:
        regions = session.scalars(
            select(Region)
            .where(Region.country_code == code, Region.selectable())
            .order_by(Region.code)
        ).all()
        countries[code] = CountryInfo(
            code=code,
            timezone=timezones[code],
            regions=[
                RegionInfo(
                    code=region.code,
                    country=code,
                    name=region.name,
                    languages=region_languages(code, region.code),
                    cities=region_cities(code, region.name),
                )
                for region in regions
            ],
            weights=[region_weight(code, region.name) for region in regions],
        )
    return countries


def generate(
    session: Session,
    options: DemoOptions,
    *,
    now: datetime | None = None,
    progress: ProgressFactory = quiet,
    password_hash: str | None = None,
) -> Summary:
    """Delete all data rows (not the reference tables) and write the demo data."""
    now = now or datetime.now(UTC)
    world = World(options, Calendar(now.date()), load_reference_data(session))
    writer = Writer(session, progress)
    writer.clear()
    people = People(world, password_hash or hash_password(PASSWORD))
    add_staff(people)
    writer.write("Staff", people.chunk.units, [people.take_chunk()])
    writer.write("Schools", options.schools, school_chunks(world))
    add_school_staff(people)
    writer.write("Members and mentors", people.chunk.units, [people.take_chunk()])
    if options.users:
        extra = max(0, options.users - people.user_count)
        writer.write("More members", extra, more_members(people, extra))
    mentoring = mentoring_chunk(world, people, options.matches)
    writer.write("Mentoring", mentoring.units, [mentoring])
    writer.write("Activities", options.events, activity_chunks(world))
    summary_rebuild.rebuild(session.connection())  # the bulk inserts bypass the session
    writer.insert(
        AuditEntry,
        [
            {
                "id": 1,
                "at": now,
                "action": "demo.generate",
                "outcome": "success",
                "details": {
                    "seed": options.seed,
                    "schools": options.schools,
                    "events": options.events,
                },
            }
        ],
    )
    writer.reset_sequences()
    writer.analyze()
    return Summary(writer.row_counts(), people.accounts)
