"""Web addresses people type in (a school's website, an activity's online link).

Only ``http`` and ``https`` addresses are stored: a ``javascript:`` or ``data:`` address
in a link would run in the reader's browser when clicked. An address typed without a
scheme (``example.org``) is taken as ``https://example.org``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from wtforms import ValidationError
from wtforms.validators import URL

WEB_SCHEMES = ("http", "https")
#: ``name:`` at the start: a scheme (``javascript:``), unless digits follow (a port).
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d+(?:[/?#]|$))", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def with_scheme(value):
    """A WTForms filter: trimmed, and ``https://`` put in front of an address without one."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if value and not _SCHEME.match(value):
        return "https://" + value.lstrip("/")
    return value


def is_web_address(value: str | None) -> bool:
    """Whether ``value`` is an http(s) address with a host (safe as a link's href)."""
    if not value or _CONTROL.search(value):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


class WebAddress(URL):
    """An http(s) address with a host name that has a top-level domain (or an IP)."""

    def __call__(self, form, field) -> None:
        if not is_web_address(field.data):
            raise ValidationError(self.message)
        super().__call__(form, field)


def web_link(value: str | None) -> str | None:
    """A template filter: the address if it is safe as a link, else None (stored before
    the forms refused other schemes)."""
    return value if is_web_address(value) else None
