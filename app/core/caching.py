"""Values computed once and kept in the shared cache under a key that names their version.

A key holds the version of the data the value was computed from (a country's
``data_version`` or ``listing_version``, bumped in the transaction of every write that
changes that data), so a kept value is never stale: a write makes a new key, and the
old value is simply no longer asked for until it expires.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TypeVar

from app.core.extensions import cache

T = TypeVar("T")


def versioned_key(*parts: object) -> str:
    return ":".join(map(str, parts))


def kept(parts: Iterable[object], compute: Callable[[], T], seconds: int, alone: bool = False) -> T:
    """``compute()`` once per key made of ``parts`` (its version among them), then kept for
    at most ``seconds``. ``alone``: the threads of a process that miss the same key at once
    wait for the first one's result instead of computing it too (only for a ``compute``
    that keeps nothing else itself, so that no two threads wait for each other)."""
    name = versioned_key(*parts)
    found = cache.get(name)
    if found is not None:
        return found
    if not alone:
        found = compute()
        cache.set(name, found, timeout=seconds)
        return found
    with one_at_a_time(name):
        found = cache.get(name)
        if found is None:
            found = compute()
            cache.set(name, found, timeout=seconds)
    return found


#: Locks shared by the keys that hash alike: a bounded set, however many keys there are.
_STRIPES = [threading.Lock() for _ in range(64)]


def one_at_a_time(name: str) -> AbstractContextManager:
    """The lock of ``name`` in this process: threads that would compute the same value at
    once (a page no one asked for since the last write) compute it one after another,
    the later ones finding it kept."""
    return _STRIPES[hash(name) % len(_STRIPES)]
