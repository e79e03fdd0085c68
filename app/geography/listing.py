"""A country's public listings kept rendered under its listing versions.

Two versions of a country are bumped in the transaction of every write to what its
listings show (app.dashboards.freshness):

- ``Country.listing_version`` by a write to its schools and regions, and to an activity
  (planned ones too, with its pillars, languages and reach) that starts before the
  :data:`HORIZON` (or started, or is moved from or to such a time);
- ``Country.later_listing_version`` by a write to an activity that starts after it.

A value that shows no activity starting after the horizon (this month's view, the first
pages of the calendar, a feed of the nearest events, the school search) is kept under
the first version alone, so an activity planned for next summer leaves this week's pages
kept; any other value is kept under both. Either way a kept value is never stale: every
write it could show makes a new key. The horizon is measured from the moment of the
write and from the moment the value is computed, less a day's margin for a transaction
that commits while a value is being computed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from app.core.caching import kept, one_at_a_time, versioned_key
from app.core.extensions import cache
from app.core.i18n import current_locale
from app.geography.models import Country

T = TypeVar("T")

#: A kept listing is dropped after this long even if nothing changed.
LISTING_SECONDS = 600
#: Activities starting within this long of a write bump ``listing_version``, later ones
#: ``later_listing_version``: a quarter, which holds the calendar's first pages, the
#: month views people open and the feeds' nearest events.
HORIZON = timedelta(days=92)
#: How long before the horizon a value must end to be kept under the first version alone.
MARGIN = timedelta(days=1)


def is_later(starts_at: datetime, now: datetime | None = None) -> bool:
    """Whether an activity starting at ``starts_at`` lies beyond the horizon of a write
    made ``now``."""
    return starts_at > (now or datetime.now(UTC)) + HORIZON


def _key(country: Country, key: tuple, *later: int) -> str:
    parts = ("listing", country.code, country.listing_version, *later, current_locale(), *key)
    return versioned_key(*parts)


def kept_listing(country: Country, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per listing version of ``country``, language and ``key`` (which
    names the page and its filters, the reader's network among them), for a value that
    shows no activity starting beyond the horizon."""
    return kept((_key(country, key),), compute, LISTING_SECONDS, alone=True)


def kept_activities(
    country: Country,
    key: tuple,
    compute: Callable[[], tuple[T, datetime | None]],
    seconds: int = LISTING_SECONDS,
) -> T:
    """Like :func:`kept_listing`, for a value of activities in time order: ``compute()``
    gives the value and its reach, the latest start of an activity that could change it
    (the first one beyond a page, the end of a month; None when any later activity
    could). A value that reaches no further than the horizon is kept under the first
    version alone, any other under both, for at most ``seconds``."""
    near = _key(country, key)
    whole = _key(country, key, country.later_listing_version)
    found = _either(near, whole)
    if found is not None:
        return found
    with one_at_a_time(whole):
        found = _either(near, whole)
        if found is None:
            found, reach = compute()
            bound = datetime.now(UTC) + HORIZON - MARGIN
            within = reach is not None and reach <= bound
            cache.set(near if within else whole, found, timeout=seconds)
    return found


def _either(*names: str):
    for name in names:
        found = cache.get(name)
        if found is not None:
            return found
    return None
