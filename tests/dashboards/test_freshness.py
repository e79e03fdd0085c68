"""Every write to what a country's dashboards show gives the country a new data version in
the same transaction, and a cached dashboard shows a report made a moment ago."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_caching import Cache
from sqlalchemy import insert, select

from app.activities.enums import ActivityStatus
from app.activities.models import ActivityPillar
from app.core import caching
from app.geography.models import Country
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match, MentoringRequest
from app.schools.enums import AmbassadorStatus, SchoolStatus
from app.schools.models import AmbassadorPeriod, School
from tests.principals import sign_in


def _versions(db_session) -> dict[str, int]:
    db_session.expire_all()
    return dict(db_session.execute(select(Country.code, Country.data_version)).all())


@pytest.fixture
def world(make, db_session):
    tr, ro = make.school("TR"), make.school("RO")
    activity = make.activity(tr)
    held = make.activity(tr, status=ActivityStatus.HELD)
    request = MentoringRequest(
        school_id=tr.id, country_code="TR", region_code=tr.region_code, status=RequestStatus.OPEN
    )
    db_session.add(request)
    db_session.commit()
    return {"tr": tr, "ro": ro, "activity": activity, "held": held, "request": request}


def _report(world, session):
    world["activity"].status = ActivityStatus.HELD


def _pillar(world, session):
    session.add(ActivityPillar(activity_id=world["held"].id, pillar_code="collaboration"))


def _plan(world, session):
    session.add(ActivityPillar(activity_id=world["activity"].id, pillar_code="collaboration"))
    world["activity"].title = "Renamed"


def _verify(world, session):
    world["ro"].status = SchoolStatus.PENDING


def _ambassador(world, session):
    today = date.today()
    session.add(
        AmbassadorPeriod(
            school_id=world["tr"].id,
            status=AmbassadorStatus.APPROVED,
            starts_on=today,
            ends_on=today + timedelta(days=300),
        )
    )


def _match(world, session):
    session.add(Match(request_id=world["request"].id, status=MatchStatus.ACTIVE))


CHANGES = {
    "an activity reported as held": (_report, {"TR"}),
    "a pillar of a held activity": (_pillar, {"TR"}),
    "a planned activity (counted nowhere)": (_plan, set()),
    "a school's status": (_verify, {"RO"}),
    "an ambassador period": (_ambassador, {"TR"}),
    "a mentorship": (_match, {"TR"}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_write_gives_its_country_a_new_version(app_ctx, db_session, world, change):
    write, countries = CHANGES[change]
    before = _versions(db_session)
    write(world, db_session)
    db_session.commit()
    after = _versions(db_session)
    assert {code for code in after if after[code] != before[code]} == countries
    assert all(after[code] == before[code] + 1 for code in countries)


def test_a_rolled_back_write_and_a_read_change_no_version(app_ctx, db_session, world):
    before = _versions(db_session)
    world["activity"].status = ActivityStatus.HELD
    db_session.flush()
    db_session.rollback()
    db_session.scalars(select(School)).all()
    db_session.commit()
    assert _versions(db_session) == before


def test_a_bulk_statement_gives_every_country_a_new_version(app_ctx, db_session, world):
    before = _versions(db_session)
    db_session.execute(
        insert(School),
        [
            {
                "name": "Bulk",
                "city": "",
                "search_key": "bulk",
                "country_code": "TR",
                "region_code": world["tr"].region_code,
                "timezone": "Europe/Istanbul",
                "status": SchoolStatus.VERIFIED,
            }
        ],
    )
    db_session.commit()
    after = _versions(db_session)
    assert all(after[code] == before[code] + 1 for code in before)


def test_a_cached_dashboard_shows_a_report_made_a_moment_ago(
    app, client, db_session, make, monkeypatch
):
    monkeypatch.setattr(caching, "cache", Cache(app, config={"CACHE_TYPE": "SimpleCache"}))
    school = make.school("TR")
    activity = make.activity(school, starts_at=datetime.now(UTC) - timedelta(days=1))
    coordinator = make.user(role="coordinator", countries=["TR"])
    sign_in(client, db_session, coordinator.id)

    def held() -> str:
        page = client.get("/dashboards/TR", headers={"Accept-Language": "en"})
        card = page.get_data(as_text=True)
        card = card[card.index("<dt>Activities held</dt>") :]
        return card[: card.index("</dd>")].rsplit(">", 1)[1]

    assert held() == "0"
    computed = []
    monkeypatch.setattr(caching, "cache", _Counting(caching.cache, computed))
    assert held() == "0"
    assert set(computed) == {"hit"}  # the second load came from the cache
    activity = db_session.merge(activity)
    activity.status = ActivityStatus.HELD
    db_session.commit()
    computed.clear()
    assert held() == "1"  # the report shows at once
    assert set(computed) == {"miss"}  # under the country's new version


class _Counting:
    def __init__(self, cache, seen: list) -> None:
        self.cache, self.seen = cache, seen

    def get(self, name):
        found = self.cache.get(name)
        self.seen.append("miss" if found is None else "hit")
        return found

    def set(self, *args, **kwargs):
        return self.cache.set(*args, **kwargs)


def test_a_cached_regions_schools_show_a_report_made_a_moment_ago(
    app, client, db_session, make, monkeypatch
):
    monkeypatch.setattr(caching, "cache", Cache(app, config={"CACHE_TYPE": "SimpleCache"}))
    school = make.school("TR", name="Kadıköy Anadolu Lisesi")
    region, school_id = school.region_code, school.id
    activity = make.activity(school, starts_at=datetime.now(UTC) - timedelta(days=1))
    coordinator = make.user(role="coordinator", countries=["TR"])
    sign_in(client, db_session, coordinator.id)

    def held() -> str:
        page = client.get(f"/dashboards/TR?region={region}").get_data(as_text=True)
        row = page[page.index(f"/schools/{school_id}") :]
        return row[: row.index("</tr>")].rsplit('class="text-end">', 1)[1].split("<")[0]

    assert held() == "0"
    computed = []
    monkeypatch.setattr(caching, "cache", _Counting(caching.cache, computed))
    assert held() == "0"
    assert set(computed) == {"hit"}
    activity = db_session.merge(activity)
    activity.status = ActivityStatus.HELD
    db_session.commit()

    assert held() == "1"
