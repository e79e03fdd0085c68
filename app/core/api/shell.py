"""The API's plumbing: bearer tokens, JSON bodies through the pages' forms, errors, lists.

Writes are validated by the same WTForms forms as the pages: the JSON object is
turned into form data and the form decides. A failed form answers 422 naming the
fields, before anything is written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, UnprocessableEntity

from app.core.api.spec import field_schema
from app.core.i18n import current_locale
from app.core.pagination import BadCursor, Page, kept_filters
from app.core.safety import MAX_ID

#: Where the API is served.
PREFIX = "/api/v1"
#: Where ``init_api`` keeps the function that signs in the user of a request.
AUTHENTICATOR = "api.authenticate"
#: Where it keeps the function naming the user of a request's token (for the rate limit,
#: which is counted before the request is signed in), None without a valid one.
IDENTIFIER = "api.identify"
MAX_PER_PAGE = 100


class Invalid(UnprocessableEntity):
    """422 with the offending fields named: ``{"field": ["message", …]}``."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(description=_("Some fields are not valid. Nothing has been saved."))
        self.fields = fields


def unauthorized(message: str | None = None) -> None:
    message = message or _("This token is not valid or has been revoked.")
    response = jsonify({"error": {"code": "unauthorized", "message": message, "fields": {}}})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    abort(response)


def signed_in() -> None:
    """Writes and private data need a token; 401 without one."""
    if not current_user.is_authenticated:
        unauthorized(_("This needs an API token. Create one on your account page."))


def authenticate() -> None:
    """Who is asking: the authenticator the application installed (bearer tokens)."""
    current_app.extensions[AUTHENTICATOR]()


def rate_key() -> str:
    """The API's budget counts per user, whichever of their tokens they use (a user with
    ten tokens has one budget, not ten), or per address without a valid token."""
    user = current_app.extensions[IDENTIFIER]()
    return f"user:{user}" if user is not None else "ip:" + (request.remote_addr or "unknown")


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def add_language(response):
    response.headers["Content-Language"] = current_locale()
    response.vary.add("Accept-Language")
    return response


# Bodies ----------------------------------------------------------------------------


def json_body() -> dict[str, Any]:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description=_("Send a JSON object with Content-Type: application/json."))
    return payload


def refuse_unknown(payload: dict, allowed: set[str], fixed: set[str] = frozenset()) -> None:
    """Unknown fields are refused, never ignored; ``fixed`` ones exist but cannot be set."""
    problems = {}
    for name in payload:
        if name in fixed:
            problems[name] = [_("This field cannot be changed.")]
        elif name not in allowed:
            problems[name] = [_("This field is not known.")]
    if problems:
        raise Invalid(problems)


def an_id(payload: dict, name: str) -> int:
    """The id of another object named in a body: a whole number a column can hold."""
    value = payload.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 5.0 is the whole number 5 in JSON
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        raise Invalid({name: [_("Give the id of an existing object, a whole number.")]})
    return value


def _formdata(values: dict[str, Any]) -> MultiDict:
    data = MultiDict()
    problems = {}
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is None or item is False:
                continue
            if item is True:
                data.add(name, "y")
            elif isinstance(item, float) and item.is_integer():
                data.add(name, str(int(item)))  # 5.0 is the whole number 5 in JSON
            elif isinstance(item, str | int | float):
                data.add(name, str(item))
            else:
                problems[name] = [_("Give a text, a number or a list of them.")]
    if problems:
        raise Invalid(problems)
    return data


#: What a value of each JSON type is, and how the API asks for it.
_JSON_TYPES = {
    "string": (lambda v: isinstance(v, str), lambda: _("Give a text.")),
    "integer": (
        lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        ),
        lambda: _("Give a whole number."),
    ),
    "boolean": (lambda v: isinstance(v, bool), lambda: _("Give true or false.")),
    "array": (lambda v: isinstance(v, list), lambda: _("Give a list.")),
    "null": (lambda v: v is None, lambda: ""),
}


def type_problem(value: Any, schema: dict) -> str | None:
    """The message for ``value`` when it is not of the JSON type ``schema`` declares."""
    kinds = schema.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(_JSON_TYPES[kind][0](value) for kind in kinds):
        if kinds[0] == "array" and isinstance(value, list):
            item = schema.get("items", {"type": "string"})
            return next(filter(None, (type_problem(part, item) for part in value)), None)
        return None
    return _JSON_TYPES[kinds[0]][1]()


def bind(form_class, values: dict[str, Any], *, sent: dict[str, Any] | None = None, **kwargs):
    """The form filled with ``values`` and validated; 422 naming the fields if it fails.

    The values the client ``sent`` (all of ``values`` unless told) must be of the JSON type
    the document declares for their field (:func:`app.core.api.spec.field_schema`): a
    number is no text, a text no list."""
    form = form_class(formdata=_formdata(values), meta={"csrf": False}, **kwargs)
    problems = {}
    for name, value in (values if sent is None else sent).items():
        if name in form._fields and (problem := type_problem(value, field_schema(form[name]))):
            problems[name] = [problem]
    if problems:
        raise Invalid(problems)
    if not form.validate():
        raise Invalid(
            {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        )
    return form


def created(body: dict, location: str):
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


# Lists ----------------------------------------------------------------------------


def per_page() -> int:
    value = request.args.get("limit", current_app.config["PER_PAGE"])
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PER_PAGE:
        abort(400, description=_("limit must be a whole number from 1 to %(max)s.", max=100))
    return number


def cursor() -> str | None:
    return request.args.get("after") or None


def listing(page: Page, render) -> dict:
    """``{"items": [...], "next": url}``; the next URL keeps the filters the operation
    declares in the OpenAPI document (and ``lang``), nothing else of the query string."""
    return listed([render(item) for item in page.items], page.next_cursor)


def listed(items: list[dict], next_cursor: str | None) -> dict:
    """:func:`listing` of items rendered already (kept in a cache, say)."""
    following = None
    if next_cursor:
        args = {**kept_filters(_declared_parameters()), "after": next_cursor}
        following = url_for(request.endpoint, **request.view_args, **args, _external=True)
    return {"items": items, "next": following}


def _declared_parameters() -> list[str]:
    from app.core.api.spec import OPERATIONS

    rule = request.url_rule.rule.removeprefix(PREFIX)
    operation = OPERATIONS[(rule, request.method.lower())]
    return [param["name"] for param in operation.params if param["in"] == "query"] + ["lang"]


def bad_cursor(error: BadCursor):
    from app.core.errors import handle_http_error

    message = _("This page cursor is not valid. Start again from the first page.")
    return handle_http_error(BadRequest(description=message))


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()
