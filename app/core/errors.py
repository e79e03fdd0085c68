"""Error pages for people and JSON errors for the API, localised, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import (
    Conflict,
    HTTPException,
    InternalServerError,
    SecurityError,
    ServiceUnavailable,
)

from app.core.extensions import db


class Refused(Exception):
    """An operation that cannot happen in the state things are in now (already answered,
    no place left, not started yet): answered 409 with its reason, on pages and in the API.
    Subclasses give a default reason; a raise site may give a more precise one."""

    reason = _l("This conflicts with a recent change")

    def __init__(self, reason=None):
        if reason is not None:
            self.reason = reason
        super().__init__(str(self.reason))


TITLES = {
    400: _l("This request could not be understood"),
    401: _l("Please sign in"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("This conflicts with a recent change"),
    413: _l("The upload is too large"),
    422: _l("Some values need your attention"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
    503: _l("Changes cannot be saved at the moment"),
}
MESSAGES = {
    400: _l("Please check the address or the form and try again."),
    401: _l("Sign in to continue."),
    403: _l("Your account does not have permission for this. Ask your coordinator if you need it."),
    404: _l("The page you asked for does not exist or has moved."),
    405: _l("Please go back and use the buttons on the page."),
    409: _l("Someone else changed this in the meantime. Reload the page and try again."),
    413: _l("Please choose a smaller file."),
    422: _l("Please correct the highlighted fields."),
    429: _l("Please wait a moment before you try again."),
    500: _l("The error has been logged. Please try again in a moment."),
    503: _l(
        "The network is under maintenance: you can read everything, but nothing can be saved"
        " for now. Please try again later."
    ),
}
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "read_only",
}
#: Database errors that mean it takes no writes for now (reads go on): SQLite's messages,
#: PostgreSQL's SQLSTATEs read_only_sql_transaction (a standby, default_transaction_read_only)
#: and disk_full.
SQLITE_UNWRITABLE = ("attempt to write a readonly database", "database or disk is full")
POSTGRES_UNWRITABLE = {"25006", "53100"}
#: Seconds a client is asked to wait before trying a write again.
RETRY_WRITES_AFTER = 300


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json"
    )


def handle_refused(refusal: Refused):
    if not db.session.is_active:  # refused during a flush: the transaction is done for
        db.session.rollback()
    return handle_http_error(Conflict(description=str(refusal.reason)))


def handle_http_error(error: HTTPException):
    status = error.code if error.code in TITLES else 500
    if status >= 500:
        db.session.rollback()
    detail = _detail(error, status)
    if wants_json():
        fields = getattr(error, "fields", {})
        if status == 405 and detail == str(MESSAGES[405]):
            detail = _("This method is not allowed for this address.")
        body = {"error": {"code": CODES[status], "message": detail, "fields": fields}}
        response = jsonify(body)
    else:
        response = render_template(
            "errors/error.html", status=status, title=TITLES[status], message=detail
        )
    return response, status, _extra_headers(error)


def _detail(error: HTTPException, status: int) -> str:
    """Our own aborts pass a translated description; werkzeug's English default is replaced,
    and so is its refusal of an untrusted host (English, and it repeats the host)."""
    default = type(error).description
    if isinstance(error, SecurityError):
        return str(MESSAGES[status])
    if error.description and error.description != default and status < 500:
        return str(error.description)
    return str(MESSAGES[status])


def _extra_headers(error: HTTPException) -> dict[str, str]:
    headers = {}
    if error.response is None:
        for name in ("Retry-After", "Allow"):
            for key, value in error.get_headers():
                if key == name:
                    headers[key] = value
    return headers


def handle_unexpected(error: Exception):
    from flask import current_app

    current_app.logger.exception("unhandled error", exc_info=error)
    return handle_http_error(InternalServerError())


def cannot_write(error: DBAPIError) -> bool:
    """Whether a database error says the database cannot take writes for now."""
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if sqlstate in POSTGRES_UNWRITABLE:
        return True
    message = str(original).lower()
    return any(text in message for text in SQLITE_UNWRITABLE)


def handle_database_error(error: DBAPIError):
    """A read-only or full database is a 503 "maintenance" answer, not a 500: the request
    wrote nothing, and reading goes on."""
    if not cannot_write(error):
        return handle_unexpected(error)
    from flask import current_app

    current_app.logger.error("the database takes no writes: %s", error.orig)
    response, status, headers = handle_http_error(ServiceUnavailable())
    return response, status, {**headers, "Retry-After": str(RETRY_WRITES_AFTER)}


def handle_csrf_error(error: CSRFError):
    error.description = _(
        "The form's security token (CSRF) is missing or has expired. Reload the page and try again."
    )
    return handle_http_error(error)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Refused, handle_refused)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
