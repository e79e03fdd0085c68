"""``/healthz`` and ``/readyz`` for load balancers and orchestrators.

``/healthz`` (liveness): the process answers; it touches nothing else, so a slow database
never gets a healthy worker restarted. ``/readyz`` (readiness): the database answers a
query, and so does every Redis the settings name (rate limits, cache, task broker);
503 naming the failed checks otherwise. Neither needs a sign-in or counts against a rate
limit, and neither is redirected to HTTPS (a balancer checks the workers directly).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.extensions import db, limiter

bp = Blueprint("health", __name__)
#: Seconds a check waits for an answer.
TIMEOUT = 2


def _probe(view):
    limiter.exempt(view)
    view.talisman_view_options = {"force_https": False}
    return view


@bp.get("/healthz")
@_probe
def healthz():
    return _answer({"process": "ok"})


@bp.get("/readyz")
@_probe
def readyz():
    checks = {"database": _database()}
    for name, url in _redis_urls().items():
        checks[name] = _redis(url)
    return _answer(checks)


def _answer(checks: dict[str, str]):
    ready = all(state == "ok" for state in checks.values())
    response = jsonify({"status": "ok" if ready else "unavailable", "checks": checks})
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _database() -> str:
    """A query on a connection of its own, outside the request's transaction."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.warning("readiness: the database does not answer", exc_info=True)
        return "unavailable"
    return "ok"


def _redis_urls() -> dict[str, str]:
    config = current_app.config
    urls = {
        "rate_limits": config.get("RATELIMIT_STORAGE_URI") or "",
        "cache": config.get("CACHE_REDIS_URL") if config.get("CACHE_TYPE") == "RedisCache" else "",
        "broker": config.get("CELERY_BROKER_URL") or "",
    }
    return {name: url for name, url in urls.items() if url.startswith(("redis://", "rediss://"))}


def _redis(url: str) -> str:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
        client.ping()
        client.close()
    except (redis.RedisError, OSError):
        current_app.logger.warning("readiness: redis does not answer", exc_info=True)
        return "unavailable"
    return "ok"
