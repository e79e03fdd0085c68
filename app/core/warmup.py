"""A new worker made ready before its first request (gunicorn.conf.py calls :func:`warm`).

A worker otherwise compiles or loads each template, message catalog and database
connection on the first request that needs it: the first visitors of every new worker
wait 20 to 250 ms more per page (measured at full scale).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from app.core import i18n
from app.core.extensions import db

#: The templates a worker loads before its first request.
_TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".svg", ".ics")


def warm(app: Flask) -> int:
    """Load every template (from the bytecode cache once one worker has compiled it) and a
    database connection, then ask for a page in every language: the URL map, session and
    limiter, message catalogs, CLDR data and static files' fingerprints are made ready.
    Returns the number of templates loaded."""
    names = [n for n in app.jinja_env.list_templates() if n.endswith(_TEMPLATE_SUFFIXES)]
    for name in names:
        app.jinja_env.get_template(name)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.remove()
    client = app.test_client()
    base = app.config.get("PUBLIC_URL") or "http://localhost"  # the host production trusts
    for locale in i18n.LOCALES:
        client.get(f"/pillars?lang={locale}", base_url=base)
        i18n.region_name("İstanbul", locale)
    return len(names)
