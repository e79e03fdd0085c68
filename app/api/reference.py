"""Pillars, countries and regions, named in the requested language."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from app.api import bp
from app.api.spec import operation, schema
from app.extensions import db
from app.i18n import country_name, current_locale, region_name
from app.mission import mission
from app.models import Country, Region
from app.public import short_labels

TEXT = {"type": "string"}

PILLAR = schema(
    "Pillar",
    {
        "code": TEXT,
        "title": {**TEXT, "description": "Verbatim from the mission text"},
        "paragraphs": {"type": "array", "items": TEXT},
        "short_label": TEXT,
    },
)
COUNTRY = schema("Country", {"code": TEXT, "name": TEXT, "timezone": TEXT})
REGION = schema(
    "Region",
    {"code": TEXT, "name": TEXT, "type": TEXT, "parent": {"type": ["string", "null"]}},
)


def _list(item: dict) -> dict:
    return {
        "type": "object",
        "properties": {"items": {"type": "array", "items": item}, "next": {"type": "null"}},
        "required": ["items", "next"],
        "additionalProperties": False,
    }


@bp.get("/pillars")
@operation("/pillars", "get", "The five pillars of the mission", "Reference", _list(PILLAR))
def pillars():
    locale = current_locale()
    labels = short_labels(locale)
    items = [
        {
            "code": section.code,
            "title": section.title,
            "paragraphs": [part for part in section.paragraph.split("\n\n") if part],
            "short_label": labels.get(section.code, section.title),
        }
        for section in mission(locale).pillars
    ]
    return jsonify({"items": items, "next": None})


@bp.get("/countries")
@operation("/countries", "get", "Countries of the network", "Reference", _list(COUNTRY))
def countries():
    rows = db.session.scalars(select(Country)).all()
    items = [{"code": c.code, "name": country_name(c.code), "timezone": c.timezone} for c in rows]
    return jsonify({"items": sorted(items, key=lambda item: item["code"]), "next": None})


@bp.get("/countries/<cc>/regions")
@operation("/countries/<cc>/regions", "get", "Regions of a country", "Reference", _list(REGION))
def regions(cc: str):
    country = db.session.get(Country, cc.upper())
    if country is None:
        abort(404)
    rows = db.session.scalars(
        select(Region).where(Region.country_code == country.code).order_by(Region.code)
    )
    items = [
        {"code": r.code, "name": region_name(r.name), "type": r.type, "parent": r.parent_code}
        for r in rows
    ]
    return jsonify({"items": items, "next": None})
