"""The calendar in the API: public activities, filtered and paged, and one activity."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import policy
from app.activities import queries as activity_queries
from app.activities.api.schemas import EVENT, render
from app.activities.enums import ActivityStatus, ActivityType
from app.activities.loaders import load_activity
from app.core.api import bp
from app.core.api.shell import (
    cursor,
    listed,
    per_page,
)
from app.core.api.spec import (
    COUNTRY_CODE,
    DAY,
    operation,
    query,
)
from app.core.api.spec import listing as list_schema
from app.core.extensions import db
from app.core.safety import MAX_ID, query_choice
from app.geography.listing import kept_activities
from app.geography.models import Country, Region
from app.mission.models import PILLAR_CODES

# The calendar -----------------------------------------------------------------------


def _day(name: str) -> date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        abort(400, description=_("Give dates as YYYY-MM-DD between 2000 and 2100."))
    return day


def _filters() -> activity_queries.ActivityFilters:
    country = query_choice("country", set(db.session.scalars(select(Country.code))))
    region = request.args.get("region") or None
    region_row = db.session.get(Region, region) if region else None
    if region and (region_row is None or country not in (None, region_row.country_code)):
        abort(400, description=_("That filter value is not available."))  # or not in `country`
    school = request.args.get("school") or None
    if school is not None and not (school.isdigit() and int(school) <= MAX_ID):
        abort(400, description=_("That filter value is not available."))
    zone_country = country or (region_row.country_code if region_row else None)
    zone = db.session.get(Country, zone_country).timezone if zone_country else "UTC"
    return activity_queries.ActivityFilters(
        country=country,
        region=region,
        school_id=int(school) if school else None,
        type=query_choice("type", {kind.value for kind in ActivityType}),
        pillar=query_choice("pillar", set(PILLAR_CODES)),
        status=query_choice("status", {status.value for status in ActivityStatus}),
        date_from=_day("from"),
        date_to=_day("to"),
        include_network=policy.in_network(current_user),
        timezone=zone,
    )


@bp.get("/events")
@operation(
    "/events",
    "get",
    "Activities in date order: public ones, and network-only ones for the network",
    "Events",
    list_schema(EVENT),
    params=[
        query("country", "Country code, e.g. TR", **COUNTRY_CODE),
        query("region", "Region code, e.g. TR-34"),
        query("school", "School id", pattern="^[0-9]+$"),
        query("type", "Type of activity", enum=[kind.value for kind in ActivityType]),
        query("pillar", "Pillar code", enum=list(PILLAR_CODES)),
        query("status", "Status", enum=[status.value for status in ActivityStatus]),
        query("from", "First day (local to the country), 2000 to 2100", **DAY),
        query("to", "Last day (local to the country), 2000 to 2100", **DAY),
        query("after", "Cursor from the previous page's `next`"),
        query("limit", "Page size", type="integer", minimum=1, maximum=100),
    ],
)
def list_events():
    filters = _filters()
    after, size = cursor(), per_page()

    def rendered() -> tuple[tuple[list[dict], str | None], datetime | None]:
        page = activity_queries.page(filters, after, size)
        shown = [render(item) for item in page.items], page.next_cursor
        return shown, activity_queries.reach(filters, page.beyond)

    country = _country_of(filters)
    if country is None:  # activities of every country: nothing one version stands for
        return jsonify(listed(*rendered()[0]))
    key = ("api", after, size, filters)
    return jsonify(listed(*kept_activities(country, key, rendered)))


def _country_of(filters: activity_queries.ActivityFilters) -> Country | None:
    """The country the filters keep to, if any (loaded already by :func:`_filters`)."""
    code = filters.country or (
        db.session.get(Region, filters.region).country_code if filters.region else None
    )
    return db.session.get(Country, code) if code else None


@bp.get("/events/<int:activity_id>")
@operation("/events/<int:activity_id>", "get", "One activity", "Events", EVENT)
def get_event(activity_id: int):
    return jsonify(render(load_activity(activity_id)))
