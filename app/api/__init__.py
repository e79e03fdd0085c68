"""JSON API v1 at ``/api/v1``: the data of the pages, under the same rules (see ``spec``)."""

from __future__ import annotations

from flask import Blueprint, Flask, request

from app.api import core
from app.extensions import csrf, limiter
from app.pagination import BadCursor

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(core.authenticate)
bp.register_error_handler(BadCursor, core.bad_cursor)
# One budget per token across the whole API, not one per route.
limiter.shared_limit(
    core.rate_limit, scope="api", key_func=core.rate_key, error_message=core.rate_limited
)(bp)

from app.api import (  # noqa: E402 - the handlers register themselves on bp
    dashboards,
    docs,
    events,
    matches,
    mentors,
    reference,
    schools,
)

__all__ = ["bp", "dashboards", "docs", "events", "matches", "mentors", "reference", "schools"]


def init_api(app: Flask) -> None:
    csrf.exempt(bp)  # bearer tokens, never cookies: nothing for a forged request to ride on
    app.register_blueprint(bp)

    @app.after_request
    def _content_language(response):
        return core.add_language(response) if request.path.startswith("/api/") else response
