"""A value kept under its version is computed once, also when threads miss it at once."""

from __future__ import annotations

import threading
import time

from app.core import caching


def test_threads_that_miss_the_same_key_at_once_compute_it_once(caching_app):
    computed = []

    def compute():
        computed.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every thread to miss
        return "the page"

    def ask(results):
        with caching_app.app_context():
            results.append(caching.kept(("listing", "TR", 7, "en"), compute, 60, alone=True))

    results: list[str] = []
    threads = [threading.Thread(target=ask, args=(results,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == ["the page"] * 6
    assert len(computed) == 1


def test_another_version_is_computed_afresh(caching_app):
    with caching_app.app_context():
        first = caching.kept(("listing", "RO", 1), lambda: "before", 60)
        kept = caching.kept(("listing", "RO", 1), lambda: "not asked", 60)
        after = caching.kept(("listing", "RO", 2), lambda: "after", 60)

    assert (first, kept, after) == ("before", "before", "after")
