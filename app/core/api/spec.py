"""The OpenAPI 3.1 document, generated from the handlers and the forms they validate with.

Each handler declares its operation with :func:`operation` next to its code: the
path parameters come from the URL rule, the query parameters and responses from
the declaration, and a write's body schema from the WTForms form that validates
it (:func:`form_schema`), so the document cannot drift from what the API checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.core.form_fields import MultiCheckboxField
from app.core.i18n import LOCALES

#: Operations by (rule, method), filled by :func:`operation` at import time.
OPERATIONS: dict[tuple[str, str], Operation] = {}
#: Named schemas, referenced as ``#/components/schemas/<name>``.
SCHEMAS: dict[str, dict] = {}

ERROR_STATUSES = {
    400: "The request is malformed (bad JSON, parameter or cursor)",
    401: "The bearer token is missing, unknown or revoked",
    403: "The token's user may not do this",
    404: "No such object, or not visible to this user",
    409: "The request conflicts with the current state",
    422: "Some fields are invalid; `fields` names them",
    429: "Too many requests; see Retry-After",
}


@dataclass
class Operation:
    summary: str
    tag: str
    response: dict | None
    status: int = 200
    params: list[dict] = field(default_factory=list)
    #: The request body's schema, or a function building it (forms need a request context).
    body: dict | Callable[[], dict] | None = None
    errors: tuple[int, ...] = ()
    auth: bool = False


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def schema(name: str, properties: dict[str, dict], required: list[str] | None = None) -> dict:
    """Register an object schema (every property listed, nothing else allowed)."""
    SCHEMAS[name] = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }
    return ref(name)


def listing(item: dict, paged: bool = True) -> dict:
    """A list answer: ``items``, and ``next`` (the next page's URL, always null if not paged)."""
    following = (
        {"type": ["string", "null"], "description": "URL of the next page"}
        if paged
        else {"type": "null"}
    )
    return {
        "type": "object",
        "properties": {"items": {"type": "array", "items": item}, "next": following},
        "required": ["items", "next"],
        "additionalProperties": False,
    }


#: A day between 2000 and 2100, as the lists and dashboards accept it.
DAY = {"format": "date", "pattern": "^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"}
#: An ISO 3166-1 country code, as the network writes it.
COUNTRY_CODE = {"pattern": "^[A-Z]{2}$"}


def query(name: str, description: str, **schema_: Any) -> dict:
    """A query parameter; the server checks every value against ``schema_`` (api.params)."""
    if schema_.get("type") == "integer":
        assert {"minimum", "maximum"} <= set(schema_), f"{name}: give its bounds"  # noqa: S101
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema_},
    }


def operation(
    rule: str,
    method: str,
    summary: str,
    tag: str,
    response: dict | None,
    *,
    status: int = 200,
    params: list[dict] | None = None,
    body: dict | Callable[[], dict] | None = None,
    errors: tuple[int, ...] = (),
    auth: bool = False,
):
    """Declare the operation a handler serves; returns the handler unchanged."""

    def register(handler):
        OPERATIONS[(rule, method.lower())] = Operation(
            summary, tag, response, status, params or [], body, errors, auth
        )
        return handler

    return register


# Forms → JSON Schema ---------------------------------------------------------------


def _choices(form_field: Field) -> list[str] | None:
    choices = form_field.choices
    if callable(choices):
        choices = choices()
    if not choices:
        return None
    if isinstance(choices, dict):  # grouped (<optgroup>): the groups' choices
        choices = [choice for group in choices.values() for choice in group]
    return [str(value) for value, *_rest in choices if value != ""]


#: Text that is not only blank: what DataRequired asks of a text field.
NOT_BLANK = {"minLength": 1, "pattern": "\\S"}
#: What the URL validator takes, loosely (it also checks the host), or blank for no link: an
#: http(s) address; one without a scheme is taken as https.
URL_OR_BLANK = "^\\s*$|^\\s*([Hh][Tt][Tt][Pp][Ss]?://)?[^/?:\\s]+(:[0-9]+)?([/?].*)?$"
#: What the Email validator takes, loosely (it also checks the domain), or blank.
EMAIL_OR_BLANK = "^\\s*$|^[^@\\s]+@[^@\\s]+$"


#: The id of another object named in a body (see shell.an_id).
AN_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def at_least_one(form_field: Field) -> dict:
    """A list field the form refuses when empty (its own check, not a validator)."""
    return {**field_schema(form_field), "type": "array", "minItems": 1}


def _required(form_field: Field) -> bool:
    return any(isinstance(v, DataRequired | InputRequired) for v in form_field.validators)


def _nullable(form_field: Field) -> bool:
    """Whether ``null`` may be sent for the field: it then counts as left empty."""
    if any(isinstance(v, Optional) for v in form_field.validators):
        return True
    if isinstance(form_field, BooleanField | SelectField | RadioField) and not isinstance(
        form_field, MultiCheckboxField
    ):
        return False  # a choice must be made; false is how a box is left unticked
    return not _required(form_field)


def _plain_field_schema(form_field: Field) -> dict:
    if isinstance(form_field, MultiCheckboxField):
        item: dict = {"type": "string"}
        if enum := _choices(form_field):
            item["enum"] = enum
        return {"type": "array", "items": item}
    if isinstance(form_field, BooleanField):
        return {"type": "boolean"}
    if isinstance(form_field, IntegerField):
        result: dict = {"type": "integer"}
        for validator in form_field.validators:
            if isinstance(validator, NumberRange):
                if validator.min is not None:
                    result["minimum"] = validator.min
                if validator.max is not None:
                    result["maximum"] = validator.max
        return result
    if isinstance(form_field, DateTimeLocalField):
        return {"type": "string", "format": "date-time"}
    if isinstance(form_field, DateField):
        return {"type": "string", "format": "date"}
    if isinstance(form_field, SelectField | RadioField):
        enum = _choices(form_field)
        if getattr(form_field, "coerce", str) is int:  # a choice of numbers, a year say
            return (
                {"type": "integer", "enum": [int(v) for v in enum]} if enum else {"type": "integer"}
            )
        return {"type": "string", "enum": enum} if enum else {"type": "string"}
    result = {"type": "string"}
    for validator in form_field.validators:
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            result["maxLength"] = validator.max
        if isinstance(validator, URL):
            result["pattern"] = URL_OR_BLANK
        if isinstance(validator, Email):
            result["pattern"] = EMAIL_OR_BLANK
    if _required(form_field):
        result.update(NOT_BLANK)
    return result


def field_schema(form_field: Field) -> dict:
    """The JSON value a form field takes; what it refuses is what the form refuses."""
    result = _plain_field_schema(form_field)
    if _nullable(form_field):
        result["type"] = [result["type"], "null"]
        if "enum" in result:
            result["enum"] = [*result["enum"], None]
    return result


def form_schema(
    form,
    names: list[str],
    *,
    overrides: dict[str, dict] | None = None,
    extra: dict[str, dict] | None = None,
    required: list[str] | None = None,
) -> dict:
    """The JSON body a form accepts: ``names`` of its fields, ``extra`` API-only fields."""
    properties = {name: field_schema(form[name]) for name in names}
    properties.update(overrides or {})
    properties.update(extra or {})
    for name in names:
        description = form[name].label.text if form[name].label else ""
        if description:
            properties[name].setdefault("description", str(description))
    if required is None:
        required = [name for name in names if _required(form[name])]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


# The document ----------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _path_parameters(rule: str) -> tuple[str, list[dict]]:
    parameters = []
    for converter, name in _CONVERTER.findall(rule):
        kind = {"type": "integer", "minimum": 0} if converter == "int" else {"type": "string"}
        parameters.append({"name": name, "in": "path", "required": True, "schema": kind})
    return _CONVERTER.sub(r"{\2}", rule), parameters


def _error_response(status: int) -> dict:
    return {"description": ERROR_STATUSES[status], "content": _json(ref("Error"))}


def _json(body: dict) -> dict:
    return {"application/json": {"schema": body}}


def document(server: str) -> dict:
    """The whole OpenAPI 3.1 document (in a request: write bodies come from the forms)."""
    paths: dict[str, dict] = {}
    for (rule, method), op in sorted(OPERATIONS.items()):
        path, parameters = _path_parameters(rule)
        responses = {str(op.status): {"description": op.summary}}
        if op.response is not None:
            responses[str(op.status)]["content"] = _json(op.response)
        statuses = {400, 429, *op.errors}
        if op.auth:
            statuses |= {401, 403}
        if parameters:
            statuses.add(404)
        if op.body is not None:
            statuses |= {400, 422}
        for status in sorted(statuses):
            responses[str(status)] = _error_response(status)
        entry: dict[str, Any] = {
            "summary": op.summary,
            "operationId": method + "_" + re.sub(r"\W+", "_", path).strip("_"),
            "tags": [op.tag],
            "parameters": [*parameters, *op.params, _LANG],
            "responses": responses,
        }
        if op.body is not None:
            body = op.body() if callable(op.body) else op.body
            entry["requestBody"] = {"required": True, "content": _json(body)}
        if op.auth:
            entry["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[method] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eTwinning School Network API",
            "version": "1.0.0",
            "description": (
                "Schools, their activities for other schools, mentoring and the regional "
                "figures of the eTwinning School Network. Send `Authorization: Bearer <token>`; "
                "without a token only public data is returned. Answers are in the language of "
                "`?lang=` or `Accept-Language` (en, nl, tr, nb, ro), named in `Content-Language`."
            ),
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(SCHEMAS.items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


_LANG = query("lang", "Language of the answer", type="string", enum=list(LOCALES))

schema(
    "Error",
    {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
            "additionalProperties": False,
        }
    },
)
