"""Small guards used by several views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    """Only same-site relative paths are followed; anything else goes to ``default_endpoint``."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for(default_endpoint)


def query_choice(name: str, allowed) -> str | None:
    """The query argument ``name`` if it is one of ``allowed``, None when absent; else 400."""
    from flask import abort, request
    from flask_babel import gettext as _

    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        abort(400, description=_("That filter value is not available."))
    return value


def reject_nul_characters() -> None:
    """NUL cannot be stored in PostgreSQL text and is never meaningful input: answer 400."""
    from flask import abort, request
    from flask_babel import gettext as _

    values = [request.path, *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH"):
        values.extend(request.form.values())
    if any("\x00" in value for value in values):
        abort(400, description=_("The request contains characters that are not allowed."))


#: The largest id a database column can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` in URLs: above what an id column holds is a 404 for every method, never a 500."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number


def accepts_large_uploads(config_key: str):
    """Mark a view that accepts a request body up to ``app.config[config_key]`` bytes
    instead of ``MAX_CONTENT_LENGTH`` (the CSV import); see :func:`apply_upload_limit`."""

    def mark(view):
        view.upload_limit = config_key
        return view

    return mark


def apply_upload_limit() -> None:
    """Before anything reads the body (CSRF checking does): the view's own upload limit."""
    from flask import current_app, request

    view = current_app.view_functions.get(request.endpoint or "")
    key = getattr(view, "upload_limit", None)
    if key is not None:
        request.max_content_length = current_app.config[key]
