"""Regional dashboards for national coordinators, their exports, and the admins' overview."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.activities.enums import ActivityType
from app.core import audit, exports
from app.core.database import writes
from app.core.extensions import db
from app.core.i18n import current_locale, region_name
from app.core.pagination import kept_filters
from app.core.school_years import school_year_bounds, school_year_label, school_year_of
from app.core.security import page_family
from app.dashboards import figures as dashboard
from app.dashboards.declaration import (
    FIGURES,
    FUNNEL,
    KEY_FIGURES,
    MOMENT,
    OVERVIEW,
    PER_TYPE,
    SORTABLE,
    Figure,
    RegionFigures,
)
from app.dashboards.loaders import (
    REVERSED,
    dashboard_country,
    requested_period,
    requested_region,
    reversed_dates_message,
)
from app.dashboards.views import bp
from app.geography.models import Country
from app.home.queries import pillar_texts, short_labels
from app.mission.models import PILLAR_CODES


@bp.get("/")
@login_required
def index():
    countries = db.session.scalars(select(Country.code)).all()
    mine = sorted(code for code in countries if policy.can_view_dashboard(current_user, code))
    policy.require(bool(mine))
    if len(mine) == 1 and not policy.is_admin(current_user):
        return redirect(url_for("dashboards.country", cc=mine[0]))
    today = datetime.now(UTC).date()
    year = school_year_of(today)
    rows = []
    for code in mine:
        country = db.session.get(Country, code)
        start = country.year_start  # each country's own school year
        bounds = school_year_bounds(school_year_of(today, start), start)
        period = dashboard.Period(*bounds, country.timezone)
        rows.append((code, dashboard.build(code, period, today).total))
    return render_template(
        "dashboards/index.html", rows=rows, year=school_year_label(year), figures=OVERVIEW
    )


#: The query parameters of a country's dashboard, kept by its links and downloads.
COUNTRY_FILTERS = ("year", "from", "to", "region", "sort", "dir")


@bp.get("/<cc>")
@login_required
def country(cc: str):
    country = dashboard_country(cc)
    period, preset = requested_period(country, lenient=True)
    region = requested_region(country)
    today = datetime.now(UTC).date()
    data = dashboard.build(country.code, period, today, region.code if region else None)
    sort = request.args.get("sort", "name")
    if sort not in SORTABLE:
        abort(400, description=_("That column cannot be sorted."))
    descending = request.args.get("dir") == "desc"
    rows = sorted(data.regions, key=lambda r: _sort_key(r, sort), reverse=descending)
    by_name = sorted(data.regions, key=lambda r: region_name(r.name).casefold())
    spots = [(r, r.white_spots(today)) for r in by_name if r.white_spots(today)]
    current = school_year_of(today, country.year_start)
    return render_template(
        "dashboards/country.html",
        args=kept_filters(COUNTRY_FILTERS),
        country=country,
        data=data,
        rows=rows,
        spots=spots,
        spotted={r.code for r, _spots in spots},
        by_name=by_name,
        figures=FIGURES,
        key_figures=KEY_FIGURES,
        columns=[("name", _("Region")), *((f.name, f.column) for f in FIGURES)],
        heat=_heat(by_name),
        pillar_totals=data.pillar_totals(),
        sort=sort,
        descending=descending,
        region=region,
        schools=dashboard.region_schools(region.code, period) if region else [],
        preset=preset,
        presets=[(str(y), school_year_label(y)) for y in (current, current - 1, current - 2)],
        labels=short_labels(current_locale()),
        pillar_codes=PILLAR_CODES,
        types=[kind.value for kind in ActivityType],
        today=today,
        pillar_texts=pillar_texts(current_locale()),
        funnel_labels={key: str(label) for key, label in FUNNEL.items()},
        dates_error=reversed_dates_message() if preset == REVERSED else None,
    ), (400 if preset == REVERSED else 200)


def _sort_key(figures: RegionFigures, column: str):
    if column == "name":
        return region_name(figures.name).casefold()
    value = getattr(figures, column)
    return datetime.min.replace(tzinfo=UTC) if value is None else value


@bp.get("/<cc>/export/<any(regions, pillars):table>.<any(csv, xlsx):fmt>")
@page_family("export")
@login_required
@writes
def export(cc: str, table: str, fmt: str):
    country = dashboard_country(cc)
    period, preset = requested_period(country)
    data = dashboard.build(country.code, period, datetime.now(UTC).date())
    labels = short_labels(current_locale())
    regions = sorted(data.regions, key=lambda r: region_name(r.name).casefold())
    if table == "pillars":
        headers = [_("Region"), *(labels.get(code, code) for code in PILLAR_CODES)]
        rows = [
            [region_name(r.name), *(r.pillars.get(code, 0) for code in PILLAR_CODES)]
            for r in regions
        ]
    else:
        kinds = list(ActivityType)
        headers = [_("Region"), *(h for figure in FIGURES for h in _headers(figure, kinds))]
        rows = [
            [
                region_name(r.name),
                *(v for figure in FIGURES for v in _cells(figure, r, kinds, country.timezone)),
            ]
            for r in regions
        ]
    audit.record(
        "dashboard.export",
        actor=current_user,
        object_type="dashboard",
        object_id=country.code,
        country_code=country.code,
        table=table,
        format=fmt,
    )
    start, end = period.start.isoformat(), period.end.isoformat()
    # The sheet's name: a school year as the page shows it, other periods by their dates.
    shown = f"{start}–{end}" if preset == "custom" else school_year_label(int(preset))
    if table == "pillars":
        sheet = _("Pillars %(period)s", period=shown)
    else:
        sheet = _("Regions %(period)s", period=shown)
    return exports.download(
        fmt, f"{table}-{country.code}-{start}-{end}", headers, rows, sheet=sheet
    )


def _headers(figure: Figure, kinds: list[ActivityType]) -> list[str]:
    """The export's columns of a figure: one, or one per activity type."""
    return [str(kind.label) for kind in kinds] if figure.kind == PER_TYPE else [str(figure.label)]


def _cells(figure: Figure, region, kinds: list[ActivityType], timezone: str) -> list:
    """Typed cells: counts as numbers, a moment as its date in the country's zone."""
    if figure.kind == PER_TYPE:
        return [region.held.get(kind.value, 0) for kind in kinds]
    value = getattr(region, figure.name)
    if figure.kind == MOMENT:
        return [value.astimezone(ZoneInfo(timezone)).date() if value else None]
    return [value]


def _heat(regions: list) -> list[tuple]:
    """Each region's pillar counts with their shade, 0 (none) to 4 (the most of any cell)."""
    top = max((r.pillars.get(code, 0) for r in regions for code in PILLAR_CODES), default=0)
    return [
        (r, [(v, math.ceil(4 * v / top) if v else 0) for v in _pillar_counts(r)]) for r in regions
    ]


def _pillar_counts(region) -> list[int]:
    return [region.pillars.get(code, 0) for code in PILLAR_CODES]
