"""A shared cache for the tests of cached listings and feeds (the suite's default keeps
nothing, so that every other test sees every write at once)."""

from __future__ import annotations

import pytest

from app.core.extensions import cache


@pytest.fixture
def caching_app(app):
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    yield app
    cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
