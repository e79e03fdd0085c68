"""White spots that say what to do: ranked by schools, suggested hosts, one-click invitations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.core.models import Notification
from app.core.school_years import school_year_of
from app.dashboards import spots
from app.dashboards.models import HostInvitation
from app.geography.models import Region
from app.mentoring.models import MentorProfile
from tests.principals import sign_in

ANKARA, BURSA, ISTANBUL, IZMIR = "TR-06", "TR-16", "TR-34", "TR-35"


def _host(make, session, region: str, modes=("in_person", "online"), locale="tr", **profile):
    today = datetime.now(UTC).date()
    school = make.school("TR", region=session.get(Region, region), label_year=school_year_of(today))
    user = make.member(school, locale=locale)
    mentor = MentorProfile(
        user_id=user.id,
        school_id=school.id,
        country_code="TR",
        region_code=region,
        languages=["tr"],
        modes=list(modes),
        **profile,
    )
    session.add(mentor)
    session.commit()
    return mentor.id


def test_spots_are_ranked_by_the_schools_they_have(app_ctx, make, db_session):
    from app.dashboards.declaration import RegionFigures

    today = datetime.now(UTC).date()
    regions = [
        RegionFigures(code=ANKARA, name="Ankara", schools=2),
        RegionFigures(code=IZMIR, name="İzmir", schools=9),
        RegionFigures(code=BURSA, name="Bursa", schools=2, ambassadors=1),
        RegionFigures(code=ISTANBUL, name="İstanbul", schools=5),
    ]
    ranked = spots.ranked(regions, today, lambda r: r.name)
    assert [r.code for r, _reasons in ranked] == [IZMIR, ISTANBUL, ANKARA, BURSA]
    assert ranked[-1][1] == ["no_recent_activity"]


def test_hosts_nearest_first_then_online_and_neighbours_only_when_given(app_ctx, make, db_session):
    today = datetime.now(UTC).date()
    local = _host(make, db_session, ANKARA, capacity=2)
    online = _host(make, db_session, ISTANBUL, capacity=5)
    bursa_in_person = _host(make, db_session, BURSA, modes=("in_person",))
    full = _host(make, db_session, ANKARA, capacity=1, load=1)
    found = spots.suggest("TR", [ANKARA], today)
    assert [(h.mentor_id, h.tier) for h in found[ANKARA]] == [
        (local, "region"),
        (online, "online"),
    ]
    assert full not in {h.mentor_id for h in found[ANKARA]}
    near = spots.suggest("TR", [ANKARA], today, neighbours={ANKARA: {BURSA}})
    assert [h.tier for h in near[ANKARA]] == ["region", "neighbour", "online"]
    assert near[ANKARA][1].mentor_id == bursa_in_person
    assert near[ANKARA][0].score > near[ANKARA][2].score  # own region: the engine's 30 points


@pytest.fixture
def coordinator(client, db_session, make):
    user = make.user(role="coordinator", countries=["TR"])
    sign_in(client, db_session, user.id)
    return user


def _invite(client, region: str, mentor) -> object:
    return client.post(f"/dashboards/TR/white-spots/{region}/invitations", data={"mentor": mentor})


def test_one_click_invites_a_host_once_in_their_language(
    client, db_session, make, coordinator, outbox
):
    host = _host(make, db_session, ANKARA, locale="tr")
    year = school_year_of(datetime.now(UTC).date())
    response = _invite(client, ANKARA, host)
    assert response.status_code == 302
    assert len(outbox) == 1
    assert "Ankara" in outbox[0]["Subject"]
    assert outbox[0]["Content-Language"] == "tr"
    assert outbox[0]["Subject"].startswith("Ankara")  # the Turkish sentence starts with it
    assert db_session.scalar(select(func.count()).select_from(Notification)) == 1
    again = _invite(client, ANKARA, host)
    assert again.status_code == 302
    assert db_session.scalar(select(func.count()).select_from(HostInvitation)) == 1
    assert len(outbox) == 1
    page = client.get(f"/dashboards/TR?year={year}").get_data(as_text=True)
    assert "This host has already been invited to this region." in page
    assert "invited on" in page


@pytest.mark.parametrize("mentor", ["", "abc", "9" * 20])
def test_an_invitation_without_a_host_is_refused(client, coordinator, db_session, mentor):
    assert _invite(client, ANKARA, mentor).status_code == 400
    assert db_session.scalar(select(func.count()).select_from(HostInvitation)) == 0


def test_a_host_with_no_free_place_is_not_invited(client, coordinator, db_session, make, outbox):
    host = _host(make, db_session, ANKARA, capacity=1, load=1)
    assert _invite(client, ANKARA, host).status_code == 302
    assert db_session.scalar(select(func.count()).select_from(HostInvitation)) == 0
    assert outbox == []


def test_only_the_countrys_coordinators_invite(client, db_session, make):
    host = _host(make, db_session, ANKARA)
    other = make.user(role="coordinator", countries=["RO"])
    sign_in(client, db_session, other.id)
    assert _invite(client, ANKARA, host).status_code in (403, 404)
    assert db_session.scalar(select(func.count()).select_from(HostInvitation)) == 0
