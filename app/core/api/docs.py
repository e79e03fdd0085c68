"""The OpenAPI document and a readable page made from it, both served from here."""

from __future__ import annotations

from flask import jsonify, render_template, url_for

from app.core.api import bp
from app.core.api.spec import document


def _document() -> dict:
    return document(url_for("api.openapi", _external=True).rsplit("/", 1)[0])


@bp.get("/openapi.json")
def openapi():
    return jsonify(_document())


@bp.get("/docs")
def docs():
    spec = _document()
    schemas = spec["components"]["schemas"]
    for operations in spec["paths"].values():
        for op in operations.values():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content and "$ref" in content["schema"]:
                content["schema"] = schemas[content["schema"]["$ref"].rsplit("/", 1)[1]]
    return render_template("api/docs.html", spec=spec)
