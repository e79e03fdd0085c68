"""The public pages: content, empty states and bad input."""

from datetime import UTC, datetime, timedelta

import pytest

from app import create_app
from app.activities.enums import ActivityStatus, Visibility
from app.core.config import TestConfig


def test_home_shows_pillars_and_empty_states(client):
    body = client.get("/").get_data(as_text=True)
    assert "eTwinning Schools have a commitment to shared leadership" in body
    assert "No public activities are planned yet." in body
    assert "No school holds ambassador status yet." in body


def test_home_lists_upcoming_public_activities_only(client, make):
    school = make.school("NO", name="Bodø videregående skole", city="Bodø")
    make.ambassador(school)
    make.activity(school, title="Åpen dag på Bodø vgs")
    make.activity(school, title="Nettverksmøte", visibility=Visibility.NETWORK)
    make.activity(school, title="Avlyst", status=ActivityStatus.CANCELLED)
    make.activity(
        school,
        title="Holdt i fjor",
        starts_at=datetime.now(UTC) - timedelta(days=300),
    )
    body = client.get("/?lang=nb").get_data(as_text=True)
    assert "Åpen dag på Bodø vgs" in body
    for hidden in ("Nettverksmøte", "Avlyst", "Holdt i fjor"):
        assert hidden not in body
    assert "Norge" in body  # the country of the ambassador school, named by CLDR in Bokmål


def test_times_are_shown_in_the_school_time_zone(client, make):
    school = make.school("TR")
    make.activity(school, title="Açık gün", starts_at=datetime(2099, 3, 1, 7, 0, tzinfo=UTC))
    body = client.get("/?lang=en").get_data(as_text=True)
    assert "Mar 1, 2099" in body
    assert "10:00\u202fAM" in body or "10:00 AM" in body  # 07:00 UTC is 10:00 in Istanbul


def test_pillar_page_counts_held_activities(client, make):
    school = make.school("RO")
    make.activity(
        school,
        starts_at=datetime.now(UTC) - timedelta(days=3),
        status=ActivityStatus.HELD,
        pillars=("collaboration",),
    )
    body = client.get("/pillars/collaboration").get_data(as_text=True)
    assert "1 activity held so far serves this pillar." in body


@pytest.mark.parametrize("path", ["/pillars/unknown", "/nowhere", "/pillars/%C3%A7"])
def test_unknown_pages_are_a_localised_404(client, path):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_api_paths_answer_errors_as_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert response.json["error"]["message"]


def test_wrong_method_is_a_405_page(client):
    response = client.get("/language")
    assert response.status_code == 405
    assert response.headers["Allow"]


def test_an_unexpected_error_is_a_500_page_without_traceback():
    fresh = create_app(TestConfig)

    @fresh.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret detail")

    response = fresh.test_client().get("/boom-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret detail" not in body
    assert "Traceback" not in body


@pytest.mark.parametrize("path", ["/pillars/%00", "/?q=%00", "/pillars/x%00y"])
def test_nul_characters_are_a_400_not_a_database_error(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "characters that are not allowed" in response.get_data(as_text=True)


def test_nul_characters_in_a_form_are_a_400(client):
    assert client.post("/language", data={"locale": "nl\x00"}).status_code == 400
