"""A school typed at registration is linked once it registers itself, and the dashboard
follows newcomers: attended an activity → registered → asked for a mentor."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.activities.enums import ActivityStatus
from app.core.extensions import db
from app.mentoring.models import MentoringRequest
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration
from app.registrations.newcomers import funnel
from app.schools.enums import SchoolStatus
from app.schools.models import School
from app.schools.operations import verify_school

NOW = datetime.now(UTC)
PERIOD = (NOW - timedelta(days=30), NOW + timedelta(days=1))


def _came(session, activity_id: int, school_name: str, region: str, attended: int = 1) -> int:
    row = Registration(
        activity_id=activity_id, status=RegistrationStatus.CONFIRMED, name="Ayşe", locale="tr",
        email=f"{secrets.token_hex(4)}@example.org", people=1, attended=attended,
        school_name=school_name, country_code="TR", region_code=region,
        secret=secrets.token_hex(16), queued_at=NOW - timedelta(days=9),
    )  # fmt: skip
    session.add(row)
    session.commit()
    return row.id


def test_a_newcomer_is_followed_from_the_door_to_a_mentor(app, make, db_session):
    host = make.school("TR", name="Kadıköy Anadolu Lisesi")
    region = host.region_code
    activity = make.activity(host, starts_at=NOW - timedelta(days=2), status=ActivityStatus.HELD).id
    newcomer = _came(db_session, activity, "Yeni Ufuklar Ortaokulu", region)
    _came(db_session, activity, "Yeni Ufuklar Ortaokulu", region)  # two teachers, one school
    _came(db_session, activity, "Başka Okul", region)
    _came(db_session, activity, "Gelmeyen Okul", region, attended=0)
    with app.app_context():
        assert funnel("TR", None, *PERIOD) == {"attended": 2, "registered": 0, "asked_mentor": 0}

    # The school registers itself and is verified: its registrations are linked.
    school = make.school(
        "TR", name="YENİ UFUKLAR ORTAOKULU", status=SchoolStatus.PENDING, region=host.region
    ).id
    coordinator = make.user(role="coordinator", countries=["TR"]).id
    with app.test_request_context():
        verify_school(db.session.get(School, school), db.session.get(User, coordinator))
        db.session.commit()
    db_session.expire_all()
    assert db_session.get(Registration, newcomer).school_id == school
    linked = db_session.scalars(select(Registration).where(Registration.school_id == school))
    assert len(list(linked)) == 2

    db_session.add(MentoringRequest(school_id=school, country_code="TR", region_code=region))
    db_session.commit()
    with app.app_context():
        assert funnel("TR", None, *PERIOD) == {"attended": 2, "registered": 1, "asked_mentor": 1}
        assert funnel("TR", "TR-99", *PERIOD)["attended"] == 0


def test_the_coordinators_see_the_newcomers_funnel(client, make, auth, db_session):
    host = make.school("TR", name="Kadıköy Anadolu Lisesi")
    coordinator = make.user(role="coordinator", countries=["TR"]).email
    activity = make.activity(host, starts_at=NOW - timedelta(days=2), status=ActivityStatus.HELD)
    _came(db_session, activity.id, "Yeni Ufuklar Ortaokulu", host.region_code)
    auth.login(coordinator)
    dashboard = client.get("/dashboards/TR").get_data(as_text=True)
    assert "Attendees: feedback and newcomer schools" in dashboard
    page = client.get("/dashboards/TR/feedback").get_data(as_text=True)
    funnel = page[page.index('id="newcomers-title"') :]
    assert "Attended an activity" in funnel
    assert "No newcomer school has come" not in funnel
