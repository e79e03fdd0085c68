"""Matching mentors to schools new to eTwinning: plain modules, no Flask in them.

``fit`` holds the rules of one pair (plain Python). ``engine`` (numpy and OR-Tools)
solves a whole country; it is imported on first use, so that a web worker that never
runs the matching does not carry those libraries. The first use may come from several
threads at once: the import happens once, under a lock, and no thread sees a module
that is still being executed.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType

_lock = threading.Lock()


class _Engine:
    """Stands for ``app.mentoring.matching.engine`` until it is needed."""

    module: ModuleType | None = None

    def __getattr__(self, name: str):
        module = _Engine.module
        if module is None:
            with _lock:
                if _Engine.module is None:
                    _Engine.module = importlib.import_module(f"{__package__}.engine")
                module = _Engine.module
        return getattr(module, name)


engine = _Engine()
