"""Countries and regions, named in the requested language."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from app.core.api import bp
from app.core.api.spec import listing, operation, schema
from app.core.extensions import db
from app.core.i18n import country_name, region_name
from app.geography.models import Country, Region

TEXT = {"type": "string"}
COUNTRY = schema("Country", {"code": TEXT, "name": TEXT, "timezone": TEXT})
REGION = schema(
    "Region",
    {"code": TEXT, "name": TEXT, "type": TEXT, "parent": {"type": ["string", "null"]}},
)
COUNTRIES = listing(COUNTRY, paged=False)
REGIONS = listing(REGION, paged=False)


@bp.get("/countries")
@operation("/countries", "get", "Countries of the network", "Reference", COUNTRIES)
def countries():
    rows = db.session.scalars(select(Country)).all()
    items = [{"code": c.code, "name": country_name(c.code), "timezone": c.timezone} for c in rows]
    return jsonify({"items": sorted(items, key=lambda item: item["code"]), "next": None})


@bp.get("/countries/<cc>/regions")
@operation(
    "/countries/<cc>/regions",
    "get",
    "Regions of a country",
    "Reference",
    REGIONS,
)
def regions(cc: str):
    country = db.session.get(Country, cc.upper())
    if country is None:
        abort(404)
    rows = db.session.scalars(
        select(Region)
        .where(Region.country_code == country.code, Region.status != "abolished")
        .order_by(Region.code)
    )
    items = [
        {"code": r.code, "name": region_name(r.name), "type": r.type, "parent": r.parent_code}
        for r in rows
    ]
    return jsonify({"items": items, "next": None})
