"""Helpers shared by the account and security tests: cookies, mail, extra app instances."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from flask_babel import force_locale, gettext

from app import create_app
from app.core.config import TestConfig
from app.core.extensions import limiter

SESSION_COOKIE = "session"
REMEMBER_COOKIE = "remember_token"
_LINK = re.compile(r"https?://\S+")


def cookie_value(client, name: str = SESSION_COOKIE) -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie is not None else None


def client_with_cookie(app, value: str, name: str = SESSION_COOKIE):
    """A new browser that only has a copy of someone's cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def body_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message: EmailMessage) -> str:
    links = _LINK.findall(body_of(message))
    assert len(links) == 1, f"expected one link in the mail, found {links}"
    return links[0]


def path_of(link: str) -> str:
    """``http://localhost/reset/abc`` → ``/reset/abc`` (the test client's server is localhost)."""
    return re.sub(r"^https?://localhost", "", link)


def extra_app(database_url: str, **settings):
    """Another instance of the app, on the suite's database, with some settings changed.

    While a test holds the ``app`` fixture, ``db.session`` is the test's session, so
    this app reads and writes inside the test's transaction as well.
    """
    return create_app(
        type("ExtraConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **settings})
    )


@contextmanager
def limiter_state_restored() -> Iterator[None]:
    """Flask-Limiter keeps its settings on the one shared ``limiter`` object, and each
    ``init_app`` overwrites them (enabled, storage, key prefix). Put them back afterwards,
    so an app built with rate limiting on does not switch it on for every other test."""
    saved = dict(vars(limiter))
    try:
        yield
    finally:
        vars(limiter).clear()
        vars(limiter).update(saved)


def translated(app, locale: str, message: str, **values) -> str:
    """``message`` as the app's catalogue for ``locale`` has it."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **values)
