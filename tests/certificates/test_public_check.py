"""The public check of a code: a budget per address over its pages, and nothing cached."""

from __future__ import annotations

import pytest

from tests.support.web import extra_app, limiter_state_restored


@pytest.fixture
def limited(app, database_url):
    with limiter_state_restored():
        yield extra_app(database_url, RATELIMIT_ENABLED=True, CERTIFICATE_RATE_LIMIT="3 per minute")


def test_checking_codes_is_rate_limited_over_both_pages(limited):
    client = limited.test_client()
    assert client.get("/certificates").status_code == 200
    assert client.get("/certificates/R-1-AAAAAAAAAA").status_code == 404
    assert client.get("/certificates", query_string={"code": "R-2-AAAAAAAAAA"}).status_code == 302

    refused = client.get("/certificates/R-3-AAAAAAAAAA", headers={"Accept-Language": "en"})

    assert refused.status_code == 429
    assert "Please wait a moment before you try again." in refused.get_data(as_text=True)


def test_the_pages_are_never_cached_nor_indexed(client):
    for response in (client.get("/certificates"), client.get("/certificates/R-1-AAAAAAAAAA")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Robots-Tag"] == "noindex"
