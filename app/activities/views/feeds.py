"""iCalendar feeds of public activities: per country, per region and per school."""

from __future__ import annotations

from flask import Response, abort, request, url_for
from sqlalchemy.orm import lazyload

from app.activities.enums import ActivityType
from app.activities.ical import build_feed
from app.activities.models import Activity
from app.activities.queries import ActivityFilters, filtered
from app.activities.views import bp
from app.core.extensions import cache, db
from app.core.i18n import country_name, current_locale, region_name
from app.core.links import link_base
from app.core.security import page_family
from app.geography.models import Country, Region
from app.mission.models import PILLAR_CODES
from app.schools.enums import SchoolStatus
from app.schools.models import School

#: A feed holds the most recent and upcoming activities, not the whole history.
FEED_LIMIT = 500
#: Calendar clients poll; a rendered feed is served again for this long (as Cache-Control says).
FEED_SECONDS = 300


def _feed_key(*_args, **_kwargs) -> str:
    """One cached feed per address, filters and language (the calendar's name is localised),
    and per base of its links (``PUBLIC_URL``; the request's host only in development)."""
    return f"feed:{current_locale()}:{link_base()}:{request.full_path}"


def _feed(name: str, filters: ActivityFilters) -> Response:
    pillar = request.args.get("pillar") or None
    kind = request.args.get("type") or None
    if (pillar and pillar not in PILLAR_CODES) or (
        kind and kind not in ActivityType._value2member_map_
    ):
        abort(400)
    filters.pillar, filters.type, filters.include_network = pillar, kind, False
    query = (
        filtered(filters)
        .options(lazyload(Activity.school))  # a feed names no school: no join
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
        .limit(FEED_LIMIT)
    )
    activities = list(reversed(db.session.scalars(query).all()))
    body = build_feed(
        name, activities, lambda a: url_for("activities.show", activity_id=a.id, _external=True)
    )
    return Response(
        body, mimetype="text/calendar", headers={"Cache-Control": f"public, max-age={FEED_SECONDS}"}
    )


@bp.get("/calendar/<cc>.ics")
@page_family("feed")
@cache.cached(timeout=FEED_SECONDS, make_cache_key=_feed_key)
def country_feed(cc: str):
    country = db.session.get(Country, cc.upper()) or abort(404)
    return _feed(f"eTwinning · {country_name(country.code)}", ActivityFilters(country=country.code))


@bp.get("/calendar/<cc>/<region_code>.ics")
@page_family("feed")
@cache.cached(timeout=FEED_SECONDS, make_cache_key=_feed_key)
def region_feed(cc: str, region_code: str):
    region = db.session.get(Region, region_code.upper())
    if region is None or region.country_code != cc.upper():
        abort(404)
    return _feed(f"eTwinning · {region_name(region.name)}", ActivityFilters(region=region.code))


@bp.get("/schools/<int:school_id>/calendar.ics")
@page_family("feed")
@cache.cached(timeout=FEED_SECONDS, make_cache_key=_feed_key)
def school_feed(school_id: int):
    school = db.session.get(School, school_id)
    if school is None or school.status is not SchoolStatus.VERIFIED:
        abort(404)
    return _feed(f"eTwinning · {school.name}", ActivityFilters(school_id=school.id))
