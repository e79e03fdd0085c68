"""The regional figures of a country's dashboard."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify

from app.core.api import bp
from app.core.api.shell import iso, signed_in
from app.core.api.spec import operation, query, schema
from app.dashboards import figures as dashboard
from app.dashboards.loaders import dashboard_country, requested_period

INTEGER = {"type": "integer"}
COUNTS = {"type": "object", "additionalProperties": INTEGER}
FIGURES = {
    "schools": INTEGER,
    "labelled": {**INTEGER, "description": "Valid eTwinning Schools"},
    "ambassadors": INTEGER,
    "activities": {**INTEGER, "description": "Held in the period"},
    "held_by_type": COUNTS,
    "participants": INTEGER,
    "reached": {**INTEGER, "description": "Distinct registered schools reached"},
    "open_requests": INTEGER,
    "waiting_long": {**INTEGER, "description": "Requests waiting over 30 days"},
    "active_matches": INTEGER,
    "free_capacity": INTEGER,
    "last_activity": {"type": ["string", "null"], "format": "date-time"},
    "pillars": COUNTS,
}
REGION = schema(
    "RegionFigures",
    {
        "code": {"type": "string"},
        "name": {"type": "string"},
        **FIGURES,
        "white_spots": {"type": "array", "items": {"type": "string"}},
    },
)
TOTAL = schema("CountryFigures", FIGURES)
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


def _figures(figures: dashboard.RegionFigures) -> dict:
    return {
        "schools": figures.schools,
        "labelled": figures.labelled,
        "ambassadors": figures.ambassadors,
        "activities": figures.activities,
        "held_by_type": dict(sorted(figures.held.items())),
        "participants": figures.participants,
        "reached": figures.reached,
        "open_requests": figures.open_requests,
        "waiting_long": figures.waiting_long,
        "active_matches": figures.active_matches,
        "free_capacity": figures.free_capacity,
        "last_activity": iso(figures.last_activity),
        "pillars": dict(sorted(figures.pillars.items())),
    }


@bp.get("/dashboards/<cc>")
@operation(
    "/dashboards/<cc>",
    "get",
    "Per-region figures of a country, as on its dashboard (its coordinators and admins)",
    "Dashboards",
    DASHBOARD,
    params=[
        query("from", "First day (default: start of the school year)", format="date"),
        query("to", "Last day (default: today)", format="date"),
        query("year", "A school year instead of dates, e.g. 2025", type="integer"),
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
