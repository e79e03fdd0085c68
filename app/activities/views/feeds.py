"""iCalendar feeds of public activities: per country, per region and per school.

A feed is kept per place, filters, language and listing versions of its country
(app.geography.listing: a change shows in the next answer), and answers conditional requests: its
ETag is a digest of its content, its Last-Modified the first time this content was
rendered, and a request that already holds it gets a 304 without a body.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import wraps
from hashlib import sha256

from flask import Response, abort, current_app, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from werkzeug.http import is_resource_modified

from app.activities.forms import FEED_FILTERS, FeedFilterForm
from app.activities.ical import FeedHead, build_feed
from app.activities.models import Activity
from app.activities.queries import ActivityFilters, filtered, nearest
from app.activities.views import bp
from app.activities.views.filters import check, region_choices
from app.core.extensions import cache, db
from app.core.i18n import country_name, current_locale, region_name
from app.core.links import link_base
from app.core.security import page_family
from app.geography.listing import kept_activities
from app.geography.models import Country, Region
from app.schools.enums import SchoolStatus
from app.schools.models import School

#: A feed holds the activities nearest to today: the next ones and the recent past.
FEED_LIMIT = 500
#: Calendar apps and proxies may serve a feed again for this long (Cache-Control).
FEED_SECONDS = 300
#: A rendered feed is kept at most this long; a write to what it shows gives it a new key.
FEED_KEPT_SECONDS = 3600
#: Subscribed calendar apps are asked to fetch the feed again after this long.
REFRESH = timedelta(hours=1)
#: How long the first rendering of a feed's content is remembered, as its Last-Modified.
SEEN_SECONDS = 7 * 24 * 3600
#: The filters of a region's or a school's feed; a country's also takes a region.
PLACE_FILTERS = tuple(name for name in FEED_FILTERS if name != "region")
#: Headers a 304 repeats from the answer it stands for.
_KEPT_BY_304 = ("ETag", "Last-Modified", "Cache-Control", "Vary")


def _feed_key(names: Sequence[str]) -> str:
    """One feed per place, filters, language (the calendar's name is localised) and base
    of its links (``PUBLIC_URL``; the request's host only in development). Parameters the
    feed does not read leave the key alone: they cannot bypass the cache."""
    place = "/".join(str(value).upper() for value in (request.view_args or {}).values())
    chosen = "&".join(f"{name}={request.args.get(name, '')}" for name in names)
    return f"feed:{current_locale()}:{link_base()}:{request.endpoint}:{place}?{chosen}"


def _country() -> Country | None:
    """The feed's country (None for a place that does not exist)."""
    args = request.view_args or {}
    if "cc" in args:
        return db.session.get(Country, str(args["cc"]).upper())
    code = select(School.country_code).where(School.id == args["school_id"]).scalar_subquery()
    return db.session.scalars(select(Country).where(Country.code == code)).first()


def _first_seen(key: str, etag: str) -> datetime:
    """When this content of the feed was first rendered: now, if it is new, and always
    later than the content it replaces (Last-Modified counts whole seconds)."""
    seen = cache.get(f"{key}#seen")
    if seen and seen[0] == etag:
        return seen[1]
    now = datetime.now(UTC).replace(microsecond=0)
    if seen:
        now = max(now, seen[1] + timedelta(seconds=1))
    cache.set(f"{key}#seen", (etag, now), timeout=SEEN_SECONDS)
    return now


def _not_modified(response: Response) -> Response:
    answer = Response(status=304)
    for name in _KEPT_BY_304:
        if name in response.headers:
            answer.headers[name] = response.headers[name]
    return answer


def _served(names: Sequence[str]) -> Callable:
    """A feed view, kept under its key and its country's listing versions, and answered
    conditionally. The view gives the feed and its reach (app.geography.listing)."""

    def decorate(view: Callable[..., tuple[Response, datetime | None]]) -> Callable[..., Response]:
        @wraps(view)
        def answer(*args, **kwargs) -> Response:
            def rendered() -> tuple[Response, datetime | None]:
                response, reach = view(*args, **kwargs)
                response.last_modified = _first_seen(_feed_key(names), response.get_etag()[0])
                return response, reach

            country = _country()
            if country is None:  # the view answers 404
                response = rendered()[0]
            else:
                response = kept_activities(
                    country, ("feed", _feed_key(names)), rendered, FEED_KEPT_SECONDS
                )
            etag = response.get_etag()[0]
            if is_resource_modified(
                request.environ, etag=etag, last_modified=response.last_modified
            ):
                return response
            return _not_modified(response)

        return answer

    return decorate


def _form(names: Sequence[str], regions: list[tuple[str, str]]) -> FeedFilterForm:
    form = FeedFilterForm(
        MultiDict({name: request.args.get(name, "") for name in names}), regions=regions
    )
    check(form)
    return form


def _feed(
    place: str, filters: ActivityFilters, form: FeedFilterForm
) -> tuple[Response, datetime | None]:
    chosen = form.chosen()
    filters.region = chosen.get("region", filters.region)
    filters.type, filters.pillar = chosen.get("type"), chosen.get("pillar")
    filters.language, filters.include_network = chosen.get("language"), False
    query = filtered(filters).options(selectinload(Activity.school).load_only(School.name))
    activities, reach = nearest(query, datetime.now(UTC), FEED_LIMIT)
    # The calendar's name says what it holds: the place, then each filter chosen.
    labels = [dict(form[name].choices)[value] for name, value in chosen.items()]
    head = FeedHead(
        name=" · ".join(["eTwinning", place, *map(str, labels)]),
        organizer_email=parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1],
        refresh=REFRESH,
    )
    body = build_feed(
        head, activities, lambda a: url_for("activities.show", activity_id=a.id, _external=True)
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = f"public, max-age={FEED_SECONDS}"
    response.vary.add("Accept-Language")
    response.set_etag(sha256(body).hexdigest()[:32])
    return response, reach


@bp.get("/calendar/<cc>.ics")
@page_family("feed")
@_served(FEED_FILTERS)
def country_feed(cc: str):
    country = db.session.get(Country, cc.upper()) or abort(404)
    regions = region_choices(country.code) if request.args.get("region") else []
    form = _form(FEED_FILTERS, regions)
    return _feed(country_name(country.code), ActivityFilters(country=country.code), form)


@bp.get("/calendar/<cc>/<region_code>.ics")
@page_family("feed")
@_served(PLACE_FILTERS)
def region_feed(cc: str, region_code: str):
    region = db.session.get(Region, region_code.upper())
    if region is None or region.country_code != cc.upper():
        abort(404)
    form = _form(PLACE_FILTERS, [])
    return _feed(region_name(region.name), ActivityFilters(region=region.code), form)


@bp.get("/schools/<int:school_id>/calendar.ics")
@page_family("feed")
@_served(PLACE_FILTERS)
def school_feed(school_id: int):
    school = db.session.get(School, school_id)
    if school is None or school.status is not SchoolStatus.VERIFIED:
        abort(404)
    return _feed(school.name, ActivityFilters(school_id=school.id), _form(PLACE_FILTERS, []))
