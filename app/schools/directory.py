"""Queries behind the public directory: country → region → ambassador schools, and search.

Counting happens in SQL (GROUP BY), lists use keyset pagination.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import selectinload

from app.activities.enums import ActivityStatus, Visibility
from app.activities.models import Activity
from app.core.extensions import cache, db
from app.core.pagination import Page, by_id, paginate
from app.core.text import search_words
from app.geography.models import Country, Region
from app.schools.enums import SchoolStatus
from app.schools.models import School, SchoolLanguage, SchoolLevel
from app.schools.operations import ambassador_now, ambassadors_by

#: The overviews' counts are the same for every reader; they are kept this long.
OVERVIEW_SECONDS = 300


PUBLIC_AND_PLANNED = (
    Activity.visibility == Visibility.PUBLIC,
    Activity.status == ActivityStatus.PLANNED,
)


def _upcoming_public(now: datetime):
    return (*PUBLIC_AND_PLANNED, Activity.starts_at >= now)


@cache.memoize(timeout=OVERVIEW_SECONDS)
def country_overview(today: date) -> list[dict]:
    """Every loaded country with its ambassador schools and upcoming public activities."""
    now = datetime.now(UTC)
    ambassadors = dict(
        db.session.execute(ambassadors_by(School.country_code, today)).tuples().all()
    )
    upcoming = dict(
        db.session.execute(
            select(Activity.country_code, func.count())
            .where(*_upcoming_public(now))
            .group_by(Activity.country_code)
        )
        .tuples()
        .all()
    )
    codes = db.session.scalars(select(Country.code).order_by(Country.code)).all()
    return [
        {"code": code, "ambassadors": ambassadors.get(code, 0), "upcoming": upcoming.get(code, 0)}
        for code in codes
    ]


@cache.memoize(timeout=OVERVIEW_SECONDS)
def region_overview(country: str, today: date) -> list[dict]:
    """The leaf regions of ``country`` with their ambassador schools and upcoming activities
    (plain values, so that they can be cached)."""
    now = datetime.now(UTC)
    by_region = ambassadors_by(School.region_code, today, School.country_code == country)
    ambassadors = dict(db.session.execute(by_region).tuples().all())
    # Counted inside the range of each region's list index (it carries status and
    # visibility), not by looking up every upcoming activity of the country.
    upcoming_public = case((and_(*PUBLIC_AND_PLANNED), 1))
    upcoming = dict(
        db.session.execute(
            select(Activity.region_code, func.count(upcoming_public))
            .where(
                Activity.region_code.in_(select(Region.code).where(Region.country_code == country)),
                Activity.starts_at >= now,
            )
            .group_by(Activity.region_code)
        )
        .tuples()
        .all()
    )
    regions = db.session.scalars(
        select(Region)
        .where(Region.country_code == country, Region.selectable())
        .order_by(Region.name)
    ).all()
    return [
        {
            "region": {"code": region.code, "name": region.name},
            "ambassadors": ambassadors.get(region.code, 0),
            "upcoming": upcoming.get(region.code, 0),
        }
        for region in regions
    ]


def _filtered(query: Select, level: str | None, language: str | None) -> Select:
    if level:
        query = query.where(
            School.id.in_(select(SchoolLevel.school_id).where(SchoolLevel.level == level))
        )
    if language:
        query = query.where(
            School.id.in_(
                select(SchoolLanguage.school_id).where(SchoolLanguage.language == language)
            )
        )
    return query


def region_ambassadors(
    region: str,
    today: date,
    level: str | None,
    language: str | None,
    cursor: str | None,
    per_page: int,
) -> Page:
    query = select(School).where(School.region_code == region, ambassador_now(today))
    query = _filtered(query, level, language).options(
        selectinload(School.levels), selectinload(School.languages)
    )
    return paginate(query, [School.search_key, School.id], cursor, per_page)


def upcoming_in_region(region: str, now: datetime, limit: int = 10) -> list[Activity]:
    query = (
        select(Activity)
        .where(Activity.region_code == region, *_upcoming_public(now))
        .options(selectinload(Activity.pillars))
        .order_by(Activity.starts_at, Activity.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def nearest_ambassadors(region: Region, today: date, limit: int = 6) -> list[School]:
    """Ambassador schools elsewhere in the country, those under the same parent region first.

    Regions carry no coordinates, so "nearest" means administrative closeness.
    """
    same_parent = (
        case((Region.parent_code == region.parent_code, 0), else_=1)
        if region.parent_code
        else case((Region.code == region.code, 0), else_=1)
    )
    query = (
        select(School)
        .join(Region, Region.code == School.region_code)
        .where(
            School.country_code == region.country_code,
            School.region_code != region.code,
            ambassador_now(today),
        )
        .order_by(same_parent, School.search_key, School.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def search_schools(
    text: str | None,
    country: str | None,
    region: str | None,
    level: str | None,
    language: str | None,
    ambassadors_only: bool,
    today: date,
    cursor: str | None,
    per_page: int,
) -> Page:
    """Verified schools whose name or city contains every word of ``text``, in any order,
    ignoring case and accents ("sisli istanbul" finds "İSTANBUL ŞİŞLİ ANADOLU LİSESİ").

    The keys of the page come first: each word is tested on the search key in the index
    (the country's range of it when a country is chosen), and only the page's schools are
    read (a rare word would otherwise read every school of a country).
    """
    query = select(School.search_key, School.id).where(School.status == SchoolStatus.VERIFIED)
    for word in search_words(text or ""):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(School.search_key.like(f"%{escaped}%", escape="\\"))
    if country:
        query = query.where(School.country_code == country)
    if region:
        query = query.where(School.region_code == region)
    if ambassadors_only:
        query = query.where(ambassador_now(today))
    query = _filtered(query, level, language)
    return paginate(query, [School.search_key, School.id], cursor, per_page, load=by_id(School))


def ambassador_ids(school_ids: list[int], today: date) -> set[int]:
    """Which of ``school_ids`` hold ambassador status today (one query for a whole list)."""
    if not school_ids:
        return set()
    query = select(School.id).where(School.id.in_(school_ids), ambassador_now(today))
    return set(db.session.scalars(query))
