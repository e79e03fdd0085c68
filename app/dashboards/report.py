"""The report of a country's school year: what a coordinator sends to their ministry.

One page of HTML for screen and print, and the same HTML made into a PDF by WeasyPrint
(HTML and CSS to PDF; it needs Pango, installed by ``make pango``). Its figures are the
dashboard's (app.dashboards.figures) with the same period of the year before
(app.dashboards.trends), the white spots (app.dashboards.spots) and the mentoring funnel,
so the report never says something the dashboard does not.

Nothing is fetched over the network: the stylesheets and fonts the page links to are
read from the application's static folder (:func:`static_fetcher`).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from markupsafe import Markup

from app.core.assets import plain_name
from app.core.i18n import region_name
from app.core.templating import number
from app.dashboards import figures as dashboard
from app.dashboards import trends
from app.dashboards.declaration import KEY_FIGURES, Period
from app.dashboards.map import choropleth_svg

#: Where the page says its files are when made into a PDF; read from the static folder.
PDF_BASE = "https://report.invalid/"


@dataclass
class Report:
    country: str
    period: Period
    data: dashboard.Dashboard
    changes: dict[str, dict]
    as_of: date
    map_svg: str | None


def _map_of_activities(country: str, data) -> Markup | None:
    """The dashboard's map of the activities held per region (None: the country has none)."""
    names = {region.code: region_name(region.name) for region in data.regions}
    held = {region.code: region.activities for region in data.regions}
    chart = choropleth_svg(
        country,
        held,
        label=lambda code: _(
            "%(region)s, %(figure)s: %(value)s",
            region=names[code],
            figure=_("Activities held"),
            value=number(held[code]),
        ),
        title=_("Activities held per region"),
    )
    return chart.svg if chart else None


def build(country: str, period: Period, today: date, locale: str) -> Report:
    """The figures of the report: this period's and the same period a year earlier."""
    data = dashboard.build(country, period, today, compare=trends.previous(period))
    changes = {
        figure.name: trends.change(
            getattr(data.total, figure.name), getattr(data.earlier, figure.name)
        )
        for figure in KEY_FIGURES
        if figure.compared
    }
    map_svg = _map_of_activities(country, data)
    return Report(country, period, data, changes, dashboard.as_of(period, today), map_svg)


def _static_file(root: Path, url: str) -> tuple[bytes, str]:
    """The bytes and type of ``PDF_BASE``/static/… in ``root``; ValueError for any other
    address, so that making a PDF never reaches the network."""
    prefix = PDF_BASE + "static/"
    if not url.startswith(prefix):
        raise ValueError(f"the report fetches nothing outside its static files: {url}")
    name = plain_name(url[len(prefix) :].split("?", 1)[0])[0]  # url_for's fingerprinted name
    path = (root / name).resolve()
    if root not in path.parents or not path.is_file():
        raise ValueError(f"not a static file: {url}")
    return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def pdf(html: str, static_folder: str) -> bytes:
    """The PDF of the report's HTML."""
    from weasyprint import HTML  # imported when a PDF is made: it loads Pango
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = Path(static_folder).resolve()

    class StaticFiles(URLFetcher):
        def fetch(self, url, headers=None):
            body, kind = _static_file(root, url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": kind})

    fetcher = StaticFiles(fail_on_errors=True)
    return HTML(string=html, base_url=PDF_BASE, url_fetcher=fetcher).write_pdf()
