"""Regional dashboards for national coordinators, their exports, and the admins' overview."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.activities.enums import ActivityType
from app.core import audit, exports
from app.core.collation import collated, collation_key
from app.core.database import writes
from app.core.errors import Refused
from app.core.extensions import db
from app.core.i18n import current_locale, region_name
from app.core.pagination import kept_filters
from app.core.school_years import school_year_bounds, school_year_label, school_year_of
from app.core.security import page_family
from app.dashboards import figures as dashboard
from app.dashboards import spots, trends
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
    cached_figures,
    dashboard_country,
    requested_period,
    requested_region,
    reversed_dates_message,
)
from app.dashboards.views import bp
from app.dashboards.views.country_map import map_view
from app.geography.maps import neighbours
from app.geography.models import Country, Region
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
        # The overview shows counts only: no region's last activity, no funnel.
        total = cached_figures(
            country,
            ("overview", period, today),
            lambda: dashboard.build(code, period, today, totals_only=True).total,  # noqa: B023
        )
        rows.append((code, total))
    return render_template(
        "dashboards/index.html", rows=rows, year=school_year_label(year), figures=OVERVIEW
    )


#: White spots shown with their suggested hosts; the others are listed by name.
SPOTS_WITH_HOSTS = 10

#: The query parameters of a country's dashboard, kept by its links and downloads.
COUNTRY_FILTERS = ("year", "from", "to", "region", "sort", "dir", "map")


@bp.get("/<cc>")
@login_required
def country(cc: str):
    country = dashboard_country(cc)
    period, preset = requested_period(country, lenient=True)
    region = requested_region(country)
    today = datetime.now(UTC).date()
    earlier = trends.previous(period)
    current = school_year_of(today, country.year_start)
    data, lines = cached_figures(
        country,
        (period, region.code if region else None, today),
        lambda: (
            dashboard.build(
                country.code, period, today, region.code if region else None, compare=earlier
            ),
            trends.monthly_lines(
                country.code, country.year_start, current, today, region.code if region else None
            ),
        ),
    )
    sort = request.args.get("sort", "name")
    if sort not in SORTABLE:
        abort(400, description=_("That column cannot be sorted."))
    descending = request.args.get("dir") == "desc"
    rows = sorted(data.regions, key=lambda r: _sort_key(r, sort), reverse=descending)
    by_name = collated(data.regions, lambda r: region_name(r.name))
    as_of = dashboard.as_of(period, today)
    by_collation = collation_key()
    ranked = spots.ranked(data.regions, as_of, lambda r: by_collation(region_name(r.name)))
    with_hosts = [r.code for r, _s in ranked[:SPOTS_WITH_HOSTS]]
    hosts = cached_figures(
        country,
        ("hosts", today, *with_hosts),
        lambda: spots.suggest(country.code, with_hosts, today, neighbours=neighbours(country.code)),
    )
    # Links keep the filters the page used: not the dates it refused (the page shows the
    # school year then, and so do its downloads and the map's links).
    args = kept_filters(f for f in COUNTRY_FILTERS if preset != REVERSED or f not in ("from", "to"))
    return render_template(
        "dashboards/country.html",
        args=args,
        entered=kept_filters(("from", "to")),  # the dates as typed, refused or not
        country_map=None if region else map_view(country.code, by_name, today, args),
        country=country,
        data=data,
        rows=rows if region else [r for r in rows if not _empty(r)],
        folded=[] if region else [r for r in by_name if _empty(r)],
        spots=ranked,
        hosts=hosts,
        spotted={r.code for r, _spots in ranked},
        by_name=by_name,
        figures=FIGURES,
        key_figures=KEY_FIGURES,
        columns=[("name", _("Region")), *((f.name, f.column) for f in FIGURES)],
        heat=_heat(by_name, fold=not region),
        heat_folded=[] if region else [r for r in by_name if not any(r.pillars.values())],
        pillar_totals=data.pillar_totals(),
        sort=sort,
        descending=descending,
        region=region,
        schools=cached_figures(
            country,
            ("region-schools", region.code, period),
            lambda: dashboard.region_schools(region.code, period),
        )
        if region
        else [],
        unplaced=[] if region else _unplaced(country.code, data.regions),
        preset=preset,
        presets=[(str(y), school_year_label(y)) for y in (current, current - 1, current - 2)],
        labels=short_labels(current_locale()),
        pillar_codes=PILLAR_CODES,
        types=[kind.value for kind in ActivityType],
        today=today,
        pillar_texts=pillar_texts(current_locale()),
        funnel_labels={key: str(label) for key, label in FUNNEL.items()},
        changes={
            f.name: trends.change(getattr(data.total, f.name), getattr(data.earlier, f.name))
            for f in KEY_FIGURES
            if f.compared
        },
        earlier=_period_label(earlier, preset, -1),
        as_of=as_of,
        months=[format_date(d, "LLL") for d in trends.month_starts(current, country.year_start)],
        lines=lines,
        dates_error=reversed_dates_message() if preset == REVERSED else None,
    ), (400 if preset == REVERSED else 200)


@bp.post("/<cc>/white-spots/<region_code>/invitations")
@login_required
def invite_host(cc: str, region_code: str):
    country = dashboard_country(cc)
    policy.require(policy.can_invite_hosts(current_user, country.code))
    region = db.session.get(Region, region_code.upper())
    if region is None or region.country_code != country.code:
        abort(404)
    mentor = request.form.get("mentor", "")
    if not mentor.isdigit() or len(mentor) > 12:
        abort(400, description=_("Choose a host from the list."))
    today = datetime.now(UTC).date()
    try:
        spots.invite(country.code, region, int(mentor), current_user, today)
    except Refused as refused:
        db.session.rollback()
        flash(str(refused.reason), "warning")
    else:
        db.session.commit()
        flash(_("The host has been invited and told by mail."), "success")
    back = {key: request.args[key] for key in COUNTRY_FILTERS if request.args.get(key)}
    return redirect(url_for("dashboards.country", cc=country.code, **back) + "#spots-title")


def _period_label(period: dashboard.Period, preset: str, shift: int = 0) -> str:
    """A school year as the page names it, other periods (custom dates, and the school
    year shown instead of a reversed range) by their dates."""
    if not preset.isdigit():
        return f"{format_date(period.start, 'short')}–{format_date(period.end, 'short')}"
    return school_year_label(int(preset) + shift)


def _unplaced(country: str, regions: list[RegionFigures]) -> list[tuple]:
    names = {r.code: region_name(r.name) for r in regions}
    return [
        (school, collated((names.get(code, code) for code in options), str))
        for school, options in dashboard.unplaced_schools(country)
    ]


def _sort_key(figures: RegionFigures, column: str):
    if column == "name":
        return collation_key()(region_name(figures.name))
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
    regions = collated(data.regions, lambda r: region_name(r.name))
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


def _empty(region: RegionFigures) -> bool:
    """A region with every figure zero and no activity ever: folded under the table."""
    counts = (getattr(region, f.name) for f in FIGURES if f.kind != MOMENT)
    return region.last_activity is None and not any(counts)


def _heat(regions: list, fold: bool) -> list[tuple]:
    """Each region's pillar counts with their shade, 0 (none) to 4 (the most of any cell);
    with ``fold``, only the regions with any."""
    top = max((r.pillars.get(code, 0) for r in regions for code in PILLAR_CODES), default=0)
    return [
        (r, [(v, math.ceil(4 * v / top) if v else 0) for v in _pillar_counts(r)])
        for r in regions
        if not fold or any(_pillar_counts(r))
    ]


def _pillar_counts(region) -> list[int]:
    return [region.pillars.get(code, 0) for code in PILLAR_CODES]
