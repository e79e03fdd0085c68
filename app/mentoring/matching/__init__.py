"""Matching mentors to schools new to eTwinning: a plain module, no Flask in it.

``engine`` (numpy and OR-Tools) is loaded on first use: a web worker that never
computes a match does not carry those libraries in its memory.
"""

from __future__ import annotations

import importlib.util
import sys


def _lazy(name: str):
    """The module ``name``, executed when one of its attributes is first read."""
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


engine = _lazy(f"{__name__}.engine")
