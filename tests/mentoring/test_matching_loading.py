"""The engine is imported on first use, once, even when four threads use it at once."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import ROOT

FIRST_USE = """
import sys, threading
from app.mentoring import matching
from app.mentoring.matching.fit import Mentor, Request

assert "ortools.graph.python.min_cost_flow" not in sys.modules, "loaded before its first use"
mentor = Mentor(id=1, country="TR", region="TR-34", capacity=4, languages=frozenset({"tr"}))
request = Request(id=1, country="TR", region="TR-34", languages=frozenset({"tr"}))
errors, barrier = [], threading.Barrier(4)

def use():
    barrier.wait()
    try:
        assert len(matching.engine.solve([mentor], [request]).proposals) == 1
    except Exception as error:
        errors.append(repr(error))

threads = [threading.Thread(target=use) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(errors), errors)
"""


def test_four_threads_at_first_use_all_get_the_engine():
    for _attempt in range(3):  # each in a fresh interpreter, where nothing is imported yet
        done = subprocess.run(  # noqa: S603 - this interpreter, a script of this file
            [sys.executable, "-c", FIRST_USE],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "0 []"
