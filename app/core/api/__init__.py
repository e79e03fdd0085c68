"""JSON API v1 at ``/api/v1``: the data of the pages, under the same rules (see ``spec``).

The blueprint is the shell: bearer tokens, one rate budget, errors as JSON. Each feature's
``api`` module registers its handlers on :data:`bp`; ``create_app`` imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, request

from app.core.api import params, shell
from app.core.extensions import csrf, limiter
from app.core.pagination import BadCursor
from app.core.security import wait_message

bp = Blueprint("api", __name__, url_prefix=shell.PREFIX)
bp.before_request(shell.authenticate)
bp.before_request(params.check_query)  # what the document declares of each parameter
bp.register_error_handler(BadCursor, shell.bad_cursor)
# One budget per user (whichever of their tokens) across the whole API, not one per route.
limiter.shared_limit(
    shell.rate_limit, scope="api", key_func=shell.rate_key, error_message=wait_message
)(bp)


def init_api(
    app: Flask, authenticate: Callable[[], None], identify: Callable[[], int | None]
) -> None:
    """Serve the API, signing requests in with ``authenticate`` (it aborts with 401);
    ``identify`` names the user of a request's token for the rate limit."""
    app.extensions[shell.AUTHENTICATOR] = authenticate
    app.extensions[shell.IDENTIFIER] = identify
    csrf.exempt(bp)  # bearer tokens, never cookies: nothing for a forged request to ride on
    app.register_blueprint(bp)

    @app.after_request
    def _content_language(response):
        return shell.add_language(response) if request.path.startswith("/api/") else response
