"""A country's public listings kept rendered under its listing version.

``Country.listing_version`` is bumped in the transaction of every write to what the
country's listings show (app.dashboards.freshness): an activity, planned ones too, its
pillars, languages and reach, the country's schools and regions. A page, month or answer
kept under it is therefore never stale, and is computed again only after such a write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.core.caching import kept
from app.core.i18n import current_locale
from app.geography.models import Country

T = TypeVar("T")

#: A kept listing is dropped after this long even if nothing changed.
LISTING_SECONDS = 600


def kept_listing(country: Country, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per listing version of ``country``, language and ``key`` (which
    names the page and its filters, the reader's network among them)."""
    parts = ("listing", country.code, country.listing_version, current_locale(), *key)
    return kept(parts, compute, LISTING_SECONDS, alone=True)
