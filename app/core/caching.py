"""Values computed once and kept in the shared cache under a key that names their version.

A key holds the version of the data the value was computed from (a country's
``data_version`` or ``listing_version``, bumped in the transaction of every write that
changes that data), so a kept value is never stale: a write makes a new key, and the
old value is simply no longer asked for until it expires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from app.core.extensions import cache

T = TypeVar("T")


def versioned_key(*parts: object) -> str:
    return ":".join(map(str, parts))


def kept(parts: Iterable[object], compute: Callable[[], T], seconds: int) -> T:
    """``compute()`` once per key made of ``parts`` (its version among them), then kept for
    at most ``seconds``."""
    name = versioned_key(*parts)
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, timeout=seconds)
    return found
