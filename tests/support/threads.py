"""Running calls at the same moment in real threads, for the concurrency tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def at_once(calls: list[Callable[[], T]], timeout: float = 60) -> list[T]:
    """Run ``calls`` in threads released together by a barrier; their answers, in the order
    they finished. An exception in a thread fails the caller's test."""
    barrier = threading.Barrier(len(calls))
    answers: list[T] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            answer = call()
            with lock:
                answers.append(answer)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert failures == []
    return answers
