"""The regional figures of a country's dashboard."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, url_for

from app.core.api import bp
from app.core.api.shell import iso, signed_in
from app.core.api.spec import DAY, operation, query, schema
from app.core.extensions import db
from app.core.i18n import region_name
from app.dashboards import figures as dashboard
from app.dashboards import opendata
from app.dashboards.declaration import FIGURES, MOMENT, PER_TYPE, Figure, RegionFigures
from app.dashboards.loaders import dashboard_country, requested_period
from app.geography.models import Country

INTEGER = {"type": "integer"}
COUNTS = {"type": "object", "additionalProperties": INTEGER}


def _schema(figure: Figure) -> dict[str, dict]:
    described = {"description": str(figure.label)}
    if figure.kind == MOMENT:
        return {figure.name: {"type": ["string", "null"], "format": "date-time", **described}}
    if figure.kind == PER_TYPE:
        return {figure.name: {**INTEGER, **described}, "held_by_type": COUNTS}
    return {figure.name: {**INTEGER, **described}}


FIGURES_SCHEMA = {
    **{name: rule for figure in FIGURES for name, rule in _schema(figure).items()},
    "pillars": COUNTS,
}
REGION = schema(
    "RegionFigures",
    {
        "code": {"type": "string"},
        "name": {"type": "string"},
        **FIGURES_SCHEMA,
        "white_spots": {"type": "array", "items": {"type": "string"}},
    },
)
TOTAL = schema("CountryFigures", FIGURES_SCHEMA)
DASHBOARD = schema(
    "Dashboard",
    {
        "country": {"type": "string"},
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "total": TOTAL,
        "regions": {"type": "array", "items": REGION},
    },
)


def _figures(region: RegionFigures) -> dict:
    answer = {}
    for figure in FIGURES:
        value = getattr(region, figure.name)
        answer[figure.name] = iso(value) if figure.kind == MOMENT else value
        if figure.kind == PER_TYPE:
            answer["held_by_type"] = dict(sorted(region.held.items()))
    return {**answer, "pillars": dict(sorted(region.pillars.items()))}


@bp.get("/dashboards/<cc>")
@operation(
    "/dashboards/<cc>",
    "get",
    "Per-region figures of a country, as on its dashboard (its coordinators and admins)",
    "Dashboards",
    DASHBOARD,
    params=[
        query("from", "First day (default: start of the school year)", **DAY),
        query("to", "Last day (default: today)", **DAY),
        query(
            "year",
            "A school year instead of dates, e.g. 2025",
            type="integer",
            minimum=2000,
            maximum=2100,
        ),
    ],
    auth=True,
)
def country_dashboard(cc: str):
    signed_in()
    country = dashboard_country(cc)
    period, _preset = requested_period(country)
    today = datetime.now(UTC).date()
    board = dashboard.build(country.code, period, today)
    return jsonify(
        {
            "country": country.code,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "total": _figures(board.total),
            "regions": [
                {
                    "code": figures.code,
                    "name": figures.name,
                    **_figures(figures),
                    "white_spots": figures.white_spots(today),
                }
                for figures in board.regions
            ],
        }
    )


OPEN_CELL = schema(
    "OpenDataCell",
    {
        "school_year": {"type": "string", "description": "e.g. 2025–26"},
        "provisional": {"type": "boolean", "description": "the current school year"},
        "region": {"type": "string", "description": "ISO 3166-2 code; empty: the country"},
        "region_name": {"type": "string"},
        "dimension": {"type": "string", "enum": [opendata.TYPE, opendata.PILLAR, opendata.TOTAL]},
        "category": {"type": "string", "description": "activity type, pillar code or activities"},
        "activities": {
            "type": ["integer", "null"],
            "description": f"null when suppressed (1 to {opendata.SMALLEST - 1})",
        },
        "suppressed": {"type": "boolean"},
        "complete": {"type": "boolean", "description": "a total with no suppressed count in it"},
    },
)
OPEN_DATA = schema(
    "OpenData",
    {
        "country": {"type": "string"},
        "licence": {"type": "string"},
        "licence_url": {"type": "string"},
        "attribution": {"type": "string"},
        "notes": {"type": "array", "items": {"type": "string"}},
        "csv": {"type": "string", "description": "the same cells as CSV"},
        "page": {"type": "string"},
        "cells": {"type": "array", "items": OPEN_CELL},
    },
)


@bp.get("/open-data/<cc>.json")
@operation(
    "/open-data/<cc>.json",
    "get",
    "A country's activities held per region, type and pillar per school year (CC BY 4.0; "
    "counts below 5 suppressed; also as CSV)",
    "Open data",
    OPEN_DATA,
)
def open_data(cc: str):
    country = db.get_or_404(Country, cc.upper())
    cells = opendata.statistics(
        country.code, country.year_start, datetime.now(UTC).date(), region_name
    )
    response = jsonify(
        {
            "country": country.code,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "attribution": "eTwinning School Network",
            "notes": [str(note) for note in opendata.NOTES],
            "csv": url_for("open_data.csv", cc=country.code, _external=True),
            "page": url_for("open_data.page", cc=country.code, _external=True),
            "cells": [cell.row() for cell in cells],
        }
    )
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
