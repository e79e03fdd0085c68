"""The report of a country's school year: a printable page and its PDF."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, current_app, render_template
from flask_login import login_required
from markupsafe import Markup

from app.core.i18n import current_locale, region_name
from app.core.pagination import kept_filters
from app.core.security import page_family
from app.dashboards import report, spots
from app.dashboards.declaration import FUNNEL, KEY_FIGURES
from app.dashboards.loaders import dashboard_country, requested_period
from app.dashboards.views import bp
from app.dashboards.views.routes import COUNTRY_FILTERS, _period_label
from app.home.queries import short_labels
from app.mission.models import PILLAR_CODES

#: White spots the report names one by one; the others are counted.
SPOTS_LISTED = 15


def _page(cc: str, for_pdf: bool) -> tuple[str, str]:
    country = dashboard_country(cc)
    period, preset = requested_period(country)
    today = datetime.now(UTC).date()
    locale = current_locale()
    found = report.build(country.code, period, today, locale)
    by_name = sorted(found.data.regions, key=lambda r: region_name(r.name).casefold())
    ranked = spots.ranked(found.data.regions, found.as_of, lambda r: region_name(r.name).casefold())
    html = render_template(
        "dashboards/report.html",
        country=country,
        report=found,
        period_label=_period_label(period, preset),
        earlier=_period_label(report.trends.previous(period), preset, -1),
        key_figures=KEY_FIGURES,
        active=[r for r in by_name if r.activities],
        quiet=[r for r in by_name if not r.activities],
        pillar_codes=PILLAR_CODES,
        labels=short_labels(locale),
        spots=ranked[:SPOTS_LISTED],
        more_spots=len(ranked) - SPOTS_LISTED,
        funnel_labels={key: str(label) for key, label in FUNNEL.items()},
        # The renderer's own SVG, made on the server from packaged boundaries.
        map_svg=Markup(found.map_svg) if found.map_svg else None,  # noqa: S704
        args=kept_filters(COUNTRY_FILTERS),
        for_pdf=for_pdf,
        locale=locale,
        made_on=today,
    )
    return html, f"report-{country.code}-{period.start.isoformat()}-{period.end.isoformat()}"


@bp.get("/<cc>/report")
@login_required
def report_page(cc: str):
    return _page(cc, for_pdf=False)[0]


@bp.get("/<cc>/report.pdf")
@page_family("export")
@login_required
def report_pdf(cc: str):
    html, name = _page(cc, for_pdf=True)
    document = report.pdf(html, current_app.static_folder)
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )
