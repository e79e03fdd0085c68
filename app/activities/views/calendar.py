"""The public calendar of a country or region: list, month view and exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import (
    abort,
    current_app,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import policy
from app.accounts.enums import MembershipStatus
from app.activities import exporting
from app.activities import queries as activity_queries
from app.activities.forms import FilterForm
from app.activities.queries import ActivityFilters
from app.activities.views import bp
from app.activities.views.filters import check, feed_address, region_choices
from app.core import exports
from app.core.collation import by_country_name
from app.core.extensions import db
from app.core.i18n import current_locale
from app.core.pagination import BadCursor, Page, kept_filters
from app.core.security import page_family
from app.geography.listing import kept_activities, kept_listing
from app.geography.models import Country
from app.home.queries import short_labels
from app.jobs import operations as jobs
from app.schools import directory


def _country(cc: str) -> Country:
    country = db.session.get(Country, cc.upper())
    if country is None:
        abort(404)
    return country


def _filters(
    country: Country, default_from: date | None, lenient: bool = False
) -> tuple[FilterForm, ActivityFilters]:
    """The filters of the query string; unusable ones answer 400, except (``lenient``, on
    pages) dates the wrong way round: the page then shows its error beside the dates and
    leaves the end out."""
    regions = kept_listing(country, ("regions",), lambda: region_choices(country.code))
    form = FilterForm(request.args, regions=regions)
    reversed_dates = lenient and not form.validate() and set(form.errors) == {"date_to"}
    if not reversed_dates:
        check(form)
    filters = ActivityFilters(
        country=country.code,
        region=form.region.data or None,
        type=form.type.data or None,
        pillar=form.pillar.data or None,
        language=form.language.data or None,
        date_from=form.date_from.data or default_from,
        date_to=None if reversed_dates else form.date_to.data,
        include_network=policy.in_network(current_user),
        timezone=country.timezone,
    )
    return form, filters


@bp.get("/calendar/<cc>")
@page_family("calendar")
def country_calendar(cc: str):
    country = _country(cc)
    # From today in the country (at 23:30 in İstanbul, today is not UTC's today).
    today = datetime.now(ZoneInfo(country.timezone)).date()
    form, filters = _filters(country, today, lenient=True)
    labels = short_labels(current_locale())
    cursor, per_page = request.args.get("after"), current_app.config["PER_PAGE"]

    def listed() -> tuple[tuple[Markup, str | None], datetime | None]:
        found = activity_queries.page(filters, cursor, per_page)
        items = get_template_attribute("macros/pillars.html", "activity_items")
        shown = items(found.items, labels) if found.items else Markup()
        return (shown, found.next_cursor), activity_queries.reach(filters, found.beyond)

    try:
        key = ("list", cursor, per_page, filters)
        shown, next_cursor = kept_activities(country, key, listed)
    except BadCursor:
        abort(400)
    # The filter form's fields, also kept by downloads: not one the page refused (the
    # list leaves it out, and so does the download).
    page = Page([], next_cursor, kept_filters(n for n in form.data if n not in form.errors))
    return render_template(
        "activities/calendar.html",
        country=country,
        form=form,
        page=page,
        shown=shown,
        labels=labels,
        feed_url=feed_address(country.code, form.chosen()),
    ), (400 if form.errors else 200)


@bp.get("/calendar/<cc>/month")
@page_family("calendar")
def month(cc: str):
    country = _country(cc)
    _form, filters = _filters(country, None)
    raw = request.args.get("month") or datetime.now(UTC).strftime("%Y-%m")
    try:
        first_day = datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        abort(400, description=_("Give the month as year and month, for example 2026-09."))
    if not 2000 <= first_day.year <= 2100:
        abort(400, description=_("Give the month as year and month, for example 2026-09."))
    names = ("type", "pillar", "region", "language")
    list_filters = {name: value for name, value in request.args.items() if name in names and value}

    def rendered() -> tuple[Markup, datetime]:
        days = activity_queries.month(filters, first_day)
        weeks = month_weeks(first_day)
        agenda = [  # the days of the month with activities, for narrow screens
            day for week in weeks for day in week if day.month == first_day.month and day in days
        ]
        html = render_template(
            "activities/_month.html",
            list_filters=list_filters,
            country=country,
            first_day=first_day,
            previous=(first_day - timedelta(days=1)).strftime("%Y-%m"),
            following=following.strftime("%Y-%m"),
            weeks=weeks,
            agenda=agenda,
            days=days,
        )
        # A template's output, escaped as it was rendered.
        last_day = following.replace(day=1) - timedelta(days=1)
        return Markup(html), activity_queries.end_of(last_day, filters.timezone)  # noqa: S704

    following = first_day + timedelta(days=32)
    key = ("month", first_day, sorted(list_filters.items()), filters)
    shown = kept_activities(country, key, rendered)
    return render_template(
        "activities/month.html", country=country, first_day=first_day, shown=shown
    )


@bp.get("/calendar/<cc>/export.<any(csv, xlsx):fmt>")
@page_family("export")
def export(cc: str, fmt: str):
    """The file at once, or above ``JOBS_EXPORT_INLINE_ROWS`` rows a job's page with a
    progress bar and then the file."""
    country = _country(cc)
    _form, filters = _filters(country, None)
    separator = exports.requested_separator() if fmt == "csv" else "comma"
    if exporting.count(filters) > current_app.config["JOBS_EXPORT_INLINE_ROWS"]:
        job = jobs.start(
            "activities.export",
            params=exporting.job_params(filters, fmt, separator),
            user_id=current_user.id if current_user.is_authenticated else None,
        )
        db.session.commit()
        return redirect(url_for("jobs.show", token=job.token), 303)
    return exports.download(
        fmt,
        exporting.file_name(country.code),
        exporting.headers(),
        exporting.rows(filters),
        sheet=exporting.sheet_name(country.code),
    )


@bp.get("/calendar")
@page_family("calendar")
def calendar_index():
    """The reader's own country when we know it, else a choice of countries."""
    if current_user.is_authenticated:
        countries = sorted(current_user.country_codes) or [
            m.school.country_code
            for m in current_user.memberships
            if m.status is MembershipStatus.APPROVED
        ]
        if countries:
            return redirect(url_for("activities.country_calendar", cc=countries[0]))
    now = datetime.now(UTC)
    return render_template(
        "activities/calendar_index.html",
        countries=by_country_name(directory.country_overview(now.date())),
    )


def month_weeks(first_day) -> list[list]:
    """The weeks (Monday to Sunday) that cover the month of ``first_day``."""
    import calendar

    return calendar.Calendar(firstweekday=0).monthdatescalendar(first_day.year, first_day.month)
