"""A school keeps its times in one of its country's zones, chosen on its form: Spain has
three (Madrid, Ceuta, the Canary Islands), the demo countries one each. Its activities are
recorded and shown in the school's zone; a new zone brings its planned activities along.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.accounts.operations import issue_token
from app.activities.enums import ActivityStatus
from app.activities.models import Activity
from app.core.models import AuditEntry
from app.geography.models import Region
from app.geography.regions import country_zones, load_regions
from app.schools.models import School
from tests.api.helpers import body, call, invalid
from tests.support.mentoring import login


@pytest.fixture
def spain(app_ctx, db_session):
    load_regions(["ES"])  # rolled back with the test
    db_session.commit()
    return db_session.get(Region, "ES-TF")  # Santa Cruz de Tenerife


def test_spain_has_three_zones_and_the_demo_countries_one_each():
    assert country_zones("ES") == ("Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary")
    assert {code: len(country_zones(code)) for code in ("TR", "RO", "NL", "BE", "NO")} == {
        "TR": 1, "RO": 1, "NL": 1, "BE": 1, "NO": 1,
    }  # fmt: skip


def test_a_school_of_the_canary_islands_keeps_its_times_in_their_zone(app, make, db_session, spain):
    make.user("coord.es@example.org", role="coordinator", countries=("ES",))
    browser = login(app, "coord.es@example.org")
    form_page = browser.get("/schools/new").get_data(as_text=True)
    for zone in ("Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary"):
        assert f'value="{zone}"' in form_page

    response = browser.post(
        "/schools/new",
        data={"name": "IES Teide", "region": spain.code, "timezone": "Atlantic/Canary"},
    )

    assert response.status_code == 302
    school = db_session.scalar(select(School).filter_by(name="IES Teide"))
    assert (school.country_code, school.timezone) == ("ES", "Atlantic/Canary")
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=9)
    local = starts.astimezone(ZoneInfo("Atlantic/Canary"))
    created = browser.post(
        f"/schools/{school.id}/activities/new",
        data={
            "type": "open_day",
            "title": "Jornada de puertas abiertas",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "online",
            "online_url": "https://example.org/teide",
            "visibility": "public",
            "pillars": ["models_for_other_schools"],
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    activity = db_session.scalar(select(Activity).filter_by(school_id=school.id))
    assert activity.timezone == "Atlantic/Canary"
    assert activity.starts_at == starts  # the local time read in the Canary Islands' zone


def test_a_zone_of_another_country_is_refused(app, make, db_session, spain):
    school = make.school("TR")
    make.member(school, MembershipRole.ADMIN, email="admin@example.org")
    response = login(app, "admin@example.org").post(
        f"/schools/{school.id}/edit",
        data={"name": school.name, "region": school.region_code, "timezone": "Atlantic/Canary"},
    )
    assert response.status_code == 422
    assert "Choose a time zone of the school's country." in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(School, school.id).timezone == "Europe/Istanbul"


def test_a_new_zone_brings_the_planned_activities_along(app, client, make, db_session, spain):
    school = make.school("ES", region=spain)
    admin = make.member(school, MembershipRole.ADMIN)
    planned = make.activity(school, starts_at=datetime.now(UTC) + timedelta(days=5))
    held = make.activity(
        school, starts_at=datetime.now(UTC) - timedelta(days=5), status=ActivityStatus.HELD
    )
    token = issue_token(admin)
    db_session.commit()
    assert school.timezone == "Europe/Madrid"  # the country's usual zone

    answer = body(
        call(
            client,
            "PATCH",
            f"schools/{school.id}",
            token=token,
            json={"timezone": "Atlantic/Canary"},
        )
    )

    assert answer["timezone"] == "Atlantic/Canary"
    db_session.expire_all()
    assert db_session.get(Activity, planned.id).timezone == "Atlantic/Canary"
    assert db_session.get(Activity, held.id).timezone == "Europe/Madrid"  # as it was held
    entry = db_session.scalar(select(AuditEntry).filter_by(action="school.timezone"))
    assert entry.details == {"before": "Europe/Madrid", "after": "Atlantic/Canary", "activities": 1}
    wrong = call(
        client, "PATCH", f"schools/{school.id}", token=token, json={"timezone": "Asia/Tokyo"}
    )
    assert "timezone" in invalid(wrong)
