"""A new worker made ready before its first request (gunicorn.conf.py calls :func:`warm`).

A worker otherwise compiles or loads each template, message catalog and database
connection on the first request that needs it: the first visitors of every new worker
wait 20 to 250 ms more per page (measured at full scale). The static files a page links
are compressed too (brotli at its best takes 0.3 s for the stylesheet).
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import text

from app.core import i18n
from app.core.extensions import db

#: The templates a worker loads before its first request.
_TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".svg", ".ics")
#: The static files a page links: fingerprinted names (app.core.assets).
_LINKED = re.compile(r'(?:href|src)="(/[^"?#]+\.[0-9a-f]{12}\.[a-z0-9]+)"')


def warm(app: Flask) -> int:
    """Load every template (from the bytecode cache once one worker has compiled it) and a
    database connection, then ask for a page in every language: the URL map, session and
    limiter, message catalogs, CLDR data and static files' fingerprints are made ready,
    and the static files it links compressed. Returns the number of templates loaded."""
    names = [n for n in app.jinja_env.list_templates() if n.endswith(_TEMPLATE_SUFFIXES)]
    for name in names:
        app.jinja_env.get_template(name)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.remove()
    client = app.test_client()
    base = app.config.get("PUBLIC_URL") or "http://localhost"  # the host production trusts
    linked: set[str] = set()
    for locale in i18n.LOCALES:
        page = client.get(f"/pillars?lang={locale}", base_url=base)
        linked.update(_LINKED.findall(page.get_data(as_text=True)))
        i18n.region_name("İstanbul", locale)
    for address in sorted(linked):
        for coding in ("br", "gzip"):
            client.get(address, base_url=base, headers={"Accept-Encoding": coding})
    return len(names)
