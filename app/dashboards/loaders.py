"""Loading what a request names, for the pages and the API (see :mod:`app.core.loading`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.core.caching import kept
from app.core.extensions import db
from app.core.school_years import school_year_bounds, school_year_of
from app.dashboards.declaration import Period
from app.geography.models import Country, Region


def dashboard_country(cc: str) -> Country:
    country = db.session.get(Country, cc.upper())
    if country is None:
        abort(404)
    policy.require(policy.can_view_dashboard(current_user, country.code))
    return country


#: The preset of a page whose dates were given the wrong way round: it shows the current
#: school year, and the message next to the dates.
REVERSED = "reversed"


def requested_period(country: Country, lenient: bool = False) -> tuple[Period, str]:
    """A school year of the country (``?year=2025``) or custom dates (``?from=&to=``).

    ``lenient`` (pages): an end before the start gives the current school year with the
    preset REVERSED instead of a 400, so that the page says so beside the dates."""
    today = datetime.now(UTC).date()
    starts = country.year_start
    raw_from, raw_to = request.args.get("from"), request.args.get("to")
    if raw_from or raw_to:
        try:
            start = (
                date.fromisoformat(raw_from)
                if raw_from
                else school_year_bounds(school_year_of(today, starts), starts)[0]
            )
            end = date.fromisoformat(raw_to) if raw_to else today
        except ValueError:
            abort(400, description=_("Give dates as year-month-day, for example 2026-09-01."))
        if not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100):
            abort(400, description=_("Give dates as YYYY-MM-DD between 2000 and 2100."))
        if end < start and lenient:
            year = school_year_of(today, starts)
            return Period(*school_year_bounds(year, starts), country.timezone), REVERSED
        if end < start:
            abort(400, description=reversed_dates_message())
        return Period(start, end, country.timezone), "custom"
    raw_year = request.args.get("year") or str(school_year_of(today, starts))
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else 0
    if not 2000 <= year <= 2100:
        abort(400, description=_("That school year is not available."))
    start, end = school_year_bounds(year, starts)
    return Period(start, end, country.timezone), str(year)


def reversed_dates_message() -> str:
    return _("The end of the period must not be before its start.")


def requested_region(country: Country) -> Region | None:
    code = request.args.get("region")
    if not code:
        return None
    region = db.session.get(Region, code.upper())
    if region is None or region.country_code != country.code:
        abort(404)
    return region


T = TypeVar("T")

#: A cached dashboard is kept at most this long; any write to its country's data makes
#: a new one at once (app.dashboards.freshness).
CACHE_SECONDS = 600


def cached_figures(country: Country, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per country data version and ``key`` (the period, region and
    day): a dashboard opened again shows the same figures until a write changes them."""
    return kept(("dashboard", country.code, country.data_version, *key), compute, CACHE_SECONDS)
