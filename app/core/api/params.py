"""Query parameters checked against the schemas the document declares for them.

Every operation lists its query parameters with :func:`app.core.api.spec.query`; before a
handler runs, each parameter it was given is checked here against that schema (type,
enum, pattern, date format, bounds, length), so that what the document states is what the
server enforces. A value that breaks its schema is a 400 naming the parameter. The handlers
still apply what no schema can say (a region of the chosen country, a cursor of theirs).
"""

from __future__ import annotations

import re
from datetime import date

from flask import abort, current_app, request
from flask_babel import gettext as _

from app.core.api.spec import OPERATIONS

_INTEGER = re.compile(r"-?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Checked where the language is chosen, with its own message.
_ELSEWHERE = {"lang"}


def check_query() -> None:
    """400 for the first query parameter of this request that breaks its declared schema."""
    if request.url_rule is None or request.blueprint is None:
        return
    prefix = current_app.blueprints[request.blueprint].url_prefix or ""
    rule = request.url_rule.rule.removeprefix(prefix)
    declared = OPERATIONS.get((rule, request.method.lower()))
    if declared is None:
        return
    for parameter in declared.params:
        name = parameter["name"]
        if name in _ELSEWHERE:
            continue
        for value in request.args.getlist(name):
            problem = _problem(name, value, parameter["schema"])
            if problem:
                abort(400, description=problem)


def _problem(name: str, value: str, schema: dict) -> str | None:
    kind = schema.get("type", "string")
    if kind == "integer":
        if not _INTEGER.fullmatch(value):
            return _whole_number(name, schema)
        number = int(value)
        if number < schema.get("minimum", number) or number > schema.get("maximum", number):
            return _whole_number(name, schema)
        return None
    if kind == "boolean":
        return None if value in ("true", "false") else _("That filter value is not available.")
    if "enum" in schema and value not in schema["enum"]:
        return _("That filter value is not available.")
    if len(value) > schema.get("maxLength", len(value)):
        limit = schema["maxLength"]
        return _("%(name)s can be at most %(num)s characters long.", name=name, num=limit)
    if schema.get("format") == "date" and not _is_date(value):
        return _("Give dates as YYYY-MM-DD between 2000 and 2100.")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        if schema.get("format") == "date":
            return _("Give dates as YYYY-MM-DD between 2000 and 2100.")
        return _("That filter value is not available.")
    return None


def _whole_number(name: str, schema: dict) -> str:
    return _(
        "%(name)s must be a whole number from %(min)s to %(max)s.",
        name=name,
        min=schema["minimum"],
        max=schema["maximum"],
    )


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
