"""Filtered activity lists: the calendars, a school's list, the month view and exports.

Every list orders by (starts_at, id) and pages with a keyset, so page 5,000 costs
what page 1 costs; the indexes on (country|region|school, starts_at, id) serve it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, false, literal, select, union_all
from sqlalchemy.orm import lazyload, selectinload

from app.activities.enums import ActivityStatus, Visibility
from app.activities.models import Activity
from app.core.extensions import db
from app.core.pagination import Page, by_id, paginate
from app.dashboards.facts import LANGUAGE_BITS, PILLAR_BITS


@dataclass
class ActivityFilters:
    country: str | None = None
    region: str | None = None
    school_id: int | None = None
    type: str | None = None
    pillar: str | None = None
    language: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    #: The network (``policy.in_network``) also sees network-only activities.
    include_network: bool = False
    #: Day boundaries of date_from / date_to are taken in this zone.
    timezone: str = "UTC"


def _start_of(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def end_of(day: date, zone: str) -> datetime:
    """The moment ``day`` ends in ``zone``."""
    return _start_of(day + timedelta(days=1), zone)


def reach(filters: ActivityFilters, beyond: Activity | None) -> datetime | None:
    """The latest start of an activity that could change a list of ``filters`` in time
    order whose first activity left out is ``beyond``: its start, else the end of the
    last day chosen; None when any later activity could."""
    if beyond is not None:
        return beyond.starts_at
    return end_of(filters.date_to, filters.timezone) if filters.date_to else None


def filtered(filters: ActivityFilters, query: Select | None = None) -> Select:
    """``query`` (by default all activities) narrowed to ``filters``."""
    query = select(Activity) if query is None else query
    if filters.school_id is not None:
        query = query.where(Activity.school_id == filters.school_id)
    if filters.region:
        query = query.where(Activity.region_code == filters.region)
    elif filters.country:
        query = query.where(Activity.country_code == filters.country)
    if filters.type:
        query = query.where(Activity.type == filters.type)
    if filters.status:
        query = query.where(Activity.status == filters.status)
    if not filters.include_network:
        query = query.where(Activity.visibility == Visibility.PUBLIC)
    if filters.pillar:
        query = query.where(_has_bit(Activity.pillar_mask, PILLAR_BITS, filters.pillar))
    if filters.language:
        query = query.where(_has_bit(Activity.language_mask, LANGUAGE_BITS, filters.language))
    if filters.date_from:
        query = query.where(Activity.starts_at >= _start_of(filters.date_from, filters.timezone))
    if filters.date_to:
        query = query.where(Activity.starts_at < end_of(filters.date_to, filters.timezone))
    return query


def _has_bit(column, bits: dict[str, int], code: str):
    """The activity has ``code`` among its links (see app.dashboards.facts)."""
    bit = bits.get(code)
    if bit is None:
        return false()  # a code nothing can be linked to
    return column.op("&")(bit) != 0


def details() -> tuple:
    """Loader options for an activity shown with its pillars and languages."""
    return selectinload(Activity.pillars), selectinload(Activity.languages)


def with_details(query: Select) -> Select:
    return query.options(*details())


def page(filters: ActivityFilters, cursor: str | None, per_page: int, descending=False) -> Page:
    """A page of the list: its keys first (from the list indexes alone, however many rows
    the filters refuse on the way), then the page's activities."""
    return paginate(
        filtered(filters, select(Activity.starts_at, Activity.id)),
        [Activity.starts_at, Activity.id],
        cursor,
        per_page,
        descending=descending,
        load=by_id(Activity, *details()),
    )


@dataclass
class MonthDay:
    activities: list[Activity]
    #: More activities start that day than the month view shows.
    more: bool


def month(filters: ActivityFilters, first_day: date, per_day: int = 5) -> dict[date, MonthDay]:
    """One calendar month by local day: each day's first ``per_day`` activities, and whether
    there are more. One statement asks each day's keys from the list index (a limited
    query per day, joined by UNION ALL), a second loads the activities shown."""
    following = (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)
    days = [first_day + timedelta(days=n) for n in range((following - first_day).days)]
    per_day_keys = []
    for index, day in enumerate(days):
        bounded = ActivityFilters(**{**filters.__dict__, "date_from": day, "date_to": day})
        keys = (
            filtered(bounded, select(Activity.starts_at, Activity.id))
            .order_by(Activity.starts_at, Activity.id)
            .limit(per_day + 1)
            .subquery()
        )
        per_day_keys.append(select(literal(index).label("day"), keys.c.starts_at, keys.c.id))
    keys_by_day: dict[date, list[int]] = {}
    for index, _starts_at, ident in sorted(db.session.execute(union_all(*per_day_keys))):
        keys_by_day.setdefault(days[index], []).append(ident)
    wanted = [key for ids in keys_by_day.values() for key in ids[:per_day]]
    # The month shows an activity's time, title and first pillar: not its school.
    shown = select(Activity).options(lazyload(Activity.school), selectinload(Activity.pillars))
    found = {a.id: a for a in db.session.scalars(shown.where(Activity.id.in_(wanted)))}
    return {
        day: MonthDay([found[key] for key in ids[:per_day]], len(ids) > per_day)
        for day, ids in keys_by_day.items()
    }


def nearest(query: Select, now: datetime, limit: int) -> tuple[list[Activity], datetime | None]:
    """At most ``limit`` of the activities of ``query`` (a ``filtered`` one), nearest to
    ``now`` first, in time order: the next upcoming ones, and before them the most recent
    past ones, which keep at least a fifth of the places (a calendar shows the weeks just
    gone too) and any places the upcoming ones leave. With them, their reach (see
    :func:`reach`): the start of the last upcoming one asked for, when there were as many
    as asked for."""
    upcoming = db.session.scalars(
        query.where(Activity.starts_at >= now)
        .order_by(Activity.starts_at, Activity.id)
        .limit(limit)
    ).all()
    past_places = limit - min(len(upcoming), limit - limit // 5)
    past = db.session.scalars(
        query.where(Activity.starts_at < now)
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
        .limit(past_places)
    ).all()
    reached = upcoming[-1].starts_at if len(upcoming) == limit else None
    return [*reversed(past), *upcoming[: limit - len(past)]], reached


def not_cancelled(query: Select) -> Select:
    return query.where(Activity.status != ActivityStatus.CANCELLED)
