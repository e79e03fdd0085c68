"""A country's open data: the page, and its CSV (the JSON is in the API)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from flask import render_template

from app.activities.enums import ActivityType
from app.core import exports
from app.core.extensions import db
from app.core.i18n import current_locale, region_name
from app.core.security import page_family
from app.dashboards import opendata
from app.dashboards.views import open_data_bp as bp
from app.geography.models import Country
from app.home.queries import short_labels
from app.mission.models import PILLAR_CODES


def cells_of(country: Country) -> list[opendata.Cell]:
    today = datetime.now(UTC).date()
    return opendata.statistics(country.code, country.year_start, today, region_name)


@bp.get("/<cc>")
@page_family("directory")
def page(cc: str):
    country = db.get_or_404(Country, cc.upper())
    years: dict[int, dict] = defaultdict(lambda: {"regions": defaultdict(dict), "total": {}})
    for cell in cells_of(country):
        place = years[cell.year]
        key = (cell.dimension, cell.category)
        if cell.region == opendata.COUNTRY_TOTAL:
            place["total"][key] = cell
        else:
            place["regions"][(cell.region_name.casefold(), cell.region)][key] = cell
            place["provisional"] = cell.provisional
    return render_template(
        "dashboards/open_data.html",
        country=country,
        years=sorted(years.items(), reverse=True),
        types=[kind.value for kind in ActivityType],
        pillar_codes=PILLAR_CODES,
        labels=short_labels(current_locale()),
        smallest=opendata.SMALLEST,
        licence=opendata.LICENCE,
        licence_url=opendata.LICENCE_URL,
    )


@bp.get("/<cc>.csv")
@page_family("directory")
def csv(cc: str):
    country = db.get_or_404(Country, cc.upper())
    licence = f"{opendata.LICENCE} {opendata.LICENCE_URL}"
    # Field names as headers, the same in every language, like the JSON's.
    rows = [
        [*(row[column] for column in opendata.COLUMNS), licence]
        for row in (cell.row() for cell in cells_of(country))
    ]
    headers = [*opendata.COLUMNS, "licence"]
    response = exports.csv_response(f"open-data-{country.code}", headers, rows)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
