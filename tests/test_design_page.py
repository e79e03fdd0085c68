"""The component page: there in development and tests, absent (404) in production."""

from __future__ import annotations

import pytest


def test_the_component_page_draws_the_shared_components(client):
    response = client.get("/design", headers={"Accept-Language": "en"})

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count('class="pillar-badge pillar-') >= 1
    assert 'class="empty-state"' in body
    assert 'class="mb-3 choice-group is-invalid"' in body
    assert "Please correct the fields marked below." in body
    assert body.count('class="alert alert-') >= 4
    assert 'rel="next"' in body


@pytest.mark.parametrize(("debug", "testing", "status"), [(False, False, 404), (True, False, 200)])
def test_the_component_page_is_for_development_only(app, debug, testing, status):
    app.debug, app.testing = debug, testing
    try:
        assert app.test_client().get("/design").status_code == status
    finally:
        app.debug, app.testing = False, True
