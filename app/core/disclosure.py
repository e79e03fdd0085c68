"""``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability.

Served from the deployment's settings: ``SECURITY_CONTACT`` (an address, a ``mailto:`` or
an ``https://`` URI, or a list of them) and, optionally, ``SECURITY_POLICY_URL`` (the
disclosure policy) and ``SECURITY_TXT_EXPIRES`` (an ISO 8601 date; by default the file
expires ``SECURITY_TXT_DAYS`` after the day it is served, so it never goes stale while
the setting stands). Without a contact the file does not exist (404): a deployment names
its own, never the project's by accident.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, Response, abort, current_app

from app.core.i18n import LOCALES

bp = Blueprint("disclosure", __name__)


def contacts(config) -> list[str]:
    """The configured contacts as URIs (a bare address becomes ``mailto:``)."""
    value = config.get("SECURITY_CONTACT") or []
    listed = value.split(",") if isinstance(value, str) else list(value)
    uris = []
    for contact in (item.strip() for item in listed):
        if contact:
            uris.append(contact if ":" in contact else f"mailto:{contact}")
    return uris


def expires(config, today: date) -> datetime:
    configured = config.get("SECURITY_TXT_EXPIRES")
    day = (
        date.fromisoformat(str(configured))
        if configured
        else today + timedelta(days=config["SECURITY_TXT_DAYS"])
    )
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@bp.get("/.well-known/security.txt")
def security_txt():
    config = current_app.config
    found = contacts(config)
    if not found:
        abort(404)
    lines = [f"Contact: {uri}" for uri in found]
    stamp = expires(config, datetime.now(UTC).date())
    lines.append(f"Expires: {stamp.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    if config.get("SECURITY_POLICY_URL"):
        lines.append(f"Policy: {config['SECURITY_POLICY_URL']}")
    lines.append(f"Preferred-Languages: {', '.join(LOCALES)}")
    if config.get("PUBLIC_URL"):
        lines.append(f"Canonical: {config['PUBLIC_URL'].rstrip('/')}/.well-known/security.txt")
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
