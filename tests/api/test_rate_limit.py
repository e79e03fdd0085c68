"""The API's rate limit counts per token (or per address without one) and answers 429
in the JSON error shape, localised, with Retry-After."""

from __future__ import annotations

import pytest

from tests.api.helpers import call, error
from tests.support.mentoring import po_text
from tests.support.web import extra_app, limiter_state_restored

LIMIT = 3


@pytest.fixture
def limited(app, database_url):
    with limiter_state_restored():
        limited_app = extra_app(
            database_url, RATELIMIT_ENABLED=True, API_RATE_LIMIT=f"{LIMIT} per minute"
        )
        yield limited_app.test_client()


def _use_up(client, token=None) -> None:
    for attempt in range(LIMIT):
        response = call(client, "GET", "pillars", token=token)
        assert response.status_code == 200, f"attempt {attempt + 1}"


def test_a_token_over_its_limit_gets_a_json_429(limited, make, token_for):
    token = token_for(make.user().id)
    _use_up(limited, token)
    response = call(limited, "GET", "pillars?lang=tr", token=token)
    problem = error(response, 429, "rate_limited")
    assert problem["message"] == po_text("tr", "Please wait a moment before you try again.")
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.headers["Content-Language"] == "tr"


def test_each_user_and_anonymous_caller_has_its_own_count(limited, make, token_for):
    first, second = token_for(make.user().id), token_for(make.user().id)
    _use_up(limited, first)
    assert call(limited, "GET", "pillars", token=second).status_code == 200
    _use_up(limited)  # without a token: the address's own count
    error(call(limited, "GET", "pillars"), 429, "rate_limited")
    error(call(limited, "GET", "pillars", token=first), 429, "rate_limited")


def test_the_tokens_of_one_user_share_one_budget(limited, make, token_for):
    user_id = make.user().id
    tokens = [token_for(user_id) for _ in range(LIMIT + 1)]
    for attempt, token in enumerate(tokens[:LIMIT]):
        assert call(limited, "GET", "pillars", token=token).status_code == 200, attempt

    error(call(limited, "GET", "pillars", token=tokens[LIMIT]), 429, "rate_limited")


def test_an_unknown_token_counts_against_the_address(limited):
    for attempt in range(LIMIT):
        response = call(limited, "GET", "pillars", token=f"made-up-{attempt}")
        assert response.status_code == 401, attempt
    error(call(limited, "GET", "pillars"), 429, "rate_limited")
