"""Rate limits: the public page families have budgets of their own, and production does
not start on a store that counts per worker process."""

from __future__ import annotations

import pytest

from app import create_app
from tests.support.web import extra_app, limiter_state_restored

LIMIT = 2
#: Pages of each family; a family's pages share one budget.
FAMILIES = {
    "calendar": ["/calendar/TR", "/calendar/TR/month", "/calendar"],
    "directory": ["/directory", "/directory/TR", "/directory/TR/TR-34"],
    "search": ["/schools", "/schools?q=lise", "/schools?country=TR"],
    "feed": ["/calendar/TR.ics", "/calendar/TR/TR-34.ics", "/calendar/TR.ics?type=open_day"],
    "export": ["/calendar/TR/export.csv", "/calendar/TR/export.xlsx", "/calendar/TR/export.csv"],
}


@pytest.fixture
def limited(app, database_url, request):
    family = request.param
    with limiter_state_restored():
        limited_app = extra_app(
            database_url,
            RATELIMIT_ENABLED=True,
            **{f"{family.upper()}_RATE_LIMIT": f"{LIMIT} per minute"},
        )
        yield family, limited_app.test_client()


@pytest.mark.parametrize("limited", list(FAMILIES), indirect=True)
def test_each_family_of_public_pages_has_one_budget_per_address(limited):
    family, client = limited
    first, second, third = FAMILIES[family]
    assert client.get(first).status_code == 200
    assert client.get(second).status_code == 200

    refused = client.get(third, headers={"Accept-Language": "nb"})

    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "Vent litt før du prøver igjen." in refused.get_data(as_text=True)
    other = next(pages[0] for name, pages in FAMILIES.items() if name != family)
    assert client.get(other).status_code == 200  # another family, another budget
    from_elsewhere = client.get(first, environ_overrides={"REMOTE_ADDR": "192.0.2.9"})
    assert from_elsewhere.status_code == 200  # another address, another count


def test_the_families_have_budgets_by_default():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    for family in FAMILIES:
        assert app.config[f"{family.upper()}_RATE_LIMIT"]


# Production ------------------------------------------------------------------------------

PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": "x" * 40,
    "PUBLIC_URL": "https://network.example.org",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
}


def test_production_refuses_to_count_in_each_worker_process(app):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"), limiter_state_restored():
        create_app(PRODUCTION)


@pytest.mark.parametrize(
    "settings",
    [{"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, {"RATELIMIT_SINGLE_WORKER": True}],
    ids=["shared-store", "one-worker-said-so"],
)
def test_production_starts_on_a_shared_store_or_a_declared_single_worker(app, settings):
    with limiter_state_restored():
        production = create_app({**PRODUCTION, **settings})
    assert production.config["RATELIMIT_STORAGE_URI"]
