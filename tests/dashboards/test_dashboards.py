"""National coordinators' dashboards: the figures, the page, access, queries.

One known data set in Türkiye (Ankara TR-06, İstanbul TR-34, İzmir TR-35) plus a little
in Romania that must never show up in Türkiye's figures. Every date is derived from
today, so the data always falls in the current school year.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from app.activities.enums import ActivityStatus, ActivityType
from app.activities.models import Activity, ActivityPillar, ActivityReach
from app.core.enums import Mode
from app.core.extensions import db
from app.core.models import AuditEntry
from app.core.school_years import school_year_bounds, school_year_of, valid_label_years
from app.core.text import search_key
from app.dashboards import figures as dashboard
from app.dashboards import rebuild as summary_rebuild
from app.geography.models import Country, Region
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match, MentoringRequest, MentorProfile
from app.mission.models import PILLAR_CODES
from app.schools.enums import AmbassadorStatus, SchoolStatus
from app.schools.models import AmbassadorPeriod, School
from tests.principals import sign_in
from tests.support.statements import StatementCounter
from tests.support.web import translated

ANKARA, ISTANBUL, IZMIR = "TR-06", "TR-34", "TR-35"
TR_ZONE = "Europe/Istanbul"


# --------------------------------------------------------------------------- data set


@dataclass
class Data:
    today: date
    year: int
    period: dashboard.Period
    anchor: datetime  # the moment (UTC) around which the activities of the period happen
    held_moments: dict[str, list[datetime]] = field(default_factory=dict)
    schools: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    requested_in_period: int = 0


def _region(session, code: str) -> Region:
    return session.get(Region, code)


def _mentor(make, session, school: School, capacity: int, load: int, paused: bool = False):
    user = make.member(school)
    session.add(
        MentorProfile(
            user_id=user.id,
            school_id=school.id,
            country_code=school.country_code,
            region_code=school.region_code,
            capacity=capacity,
            load=load,
            paused=paused,
        )
    )
    session.commit()
    return session.scalar(select(MentorProfile).where(MentorProfile.user_id == user.id))


def _ambassador(session, school, starts_on, ends_on, status=AmbassadorStatus.APPROVED) -> None:
    session.add(
        AmbassadorPeriod(school_id=school.id, status=status, starts_on=starts_on, ends_on=ends_on)
    )
    session.commit()


def _held(make, session, school, moment, kind, pillars, reach=(), **participants) -> Activity:
    activity = make.activity(
        school,
        starts_at=moment,
        type=kind,
        pillars=pillars,
        status=ActivityStatus.HELD,
        **{f"participants_{key}": value for key, value in participants.items()},
    )
    for target in reach:
        if isinstance(target, int):
            session.add(ActivityReach(activity_id=activity.id, school_id=target))
        else:
            session.add(ActivityReach(activity_id=activity.id, school_name=target))
    session.commit()
    return activity


def _request(session, school, created_at, status=RequestStatus.OPEN, matches=()):
    request = MentoringRequest(
        school_id=school.id,
        country_code=school.country_code,
        region_code=school.region_code,
        status=status,
        created_at=created_at,
        updated_at=created_at,
    )
    session.add(request)
    session.flush()
    for mentor, state in matches:
        session.add(Match(request_id=request.id, mentor_id=mentor.id, status=state))
    session.commit()
    return request


def build_data(make, session) -> Data:
    today = datetime.now(UTC).date()
    year = school_year_of(today)
    start, end = school_year_bounds(year)
    period = dashboard.Period(start, end, session.get(Country, "TR").timezone)
    # 09:00 UTC (12:00 in Istanbul), at most ten days ago and never before the period.
    anchor = datetime.combine(max(start, today - timedelta(days=10)), time(9), tzinfo=UTC)
    data = Data(today=today, year=year, period=period, anchor=anchor)
    first, last = valid_label_years(today)
    ankara, istanbul, izmir = (_region(session, c) for c in (ANKARA, ISTANBUL, IZMIR))

    # Schools: A3 is pending and must not count anywhere.
    a1 = make.school("TR", name="Ankara Lisesi Bir", region=ankara, label_year=last)
    a2 = make.school("TR", name="Ankara Lisesi Iki", region=ankara, label_year=first - 1)
    a3 = make.school(
        "TR", name="Ankara Bekleyen", region=ankara, label_year=last, status=SchoolStatus.PENDING
    )
    i1 = make.school("TR", name="Istanbul Okulu Bir", region=istanbul, label_year=first)
    i2 = make.school("TR", name="Istanbul Okulu Iki", region=istanbul)
    i3 = make.school("TR", name="Istanbul Okulu Uc", region=istanbul)
    z1 = make.school("TR", name="Izmir Okulu", region=izmir)
    ro = make.school("RO", name="Scoala Cluj", label_year=last)
    for key, school in {
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "i1": i1,
        "i2": i2,
        "i3": i3,
        "z1": z1,
        "ro": ro,
    }.items():
        data.schools[key] = school.id

    # Ambassador periods: current (A1, I2, A3 pending, RO), expired (A2),
    # rejected and applied ones covering today (Z1) do not count.
    current = (today - timedelta(days=30), today + timedelta(days=300))
    for school in (a1, i2, a3, ro):
        _ambassador(session, school, *current)
    _ambassador(session, a2, today - timedelta(days=400), today - timedelta(days=10))
    _ambassador(session, z1, *current, status=AmbassadorStatus.REJECTED)
    _ambassador(session, z1, *current, status=AmbassadorStatus.APPLIED)

    def at(hours: int) -> datetime:
        return anchor + timedelta(hours=hours)

    # Held in the period.
    t, o, i, p, m = (
        ActivityType.OPEN_DAY,
        ActivityType.INFO_SESSION,
        ActivityType.PROFESSIONAL_DEVELOPMENT,
        ActivityType.MENTORING_SESSION,
        ActivityType.OTHER,
    )
    _held(
        make, session, a1, at(0), t, ("collaboration", "shared_leadership"),
        reach=(i1.id, "Köy Okulu"), teachers=5, leaders=1, students=20,
    )  # fmt: skip
    _held(make, session, a1, at(1), o, ("collaboration",), reach=(i1.id,), teachers=3)
    _held(
        make, session, a2, at(2), i, ("inclusive_innovative",),
        reach=("Köy Okulu", z1.id), teachers=10, leaders=2,
    )  # fmt: skip
    _held(
        make, session, i1, at(3), t, ("models_for_other_schools", "collaboration"),
        reach=(z1.id, "Deniz Okulu"), students=30, parents=4,
    )  # fmt: skip
    _held(make, session, i2, at(4), p, ("students_agents_of_change",))
    data.held_moments = {ANKARA: [at(0), at(1), at(2)], ISTANBUL: [at(3), at(4)]}
    # Planned and cancelled in the period: they count nowhere.
    make.activity(a1, starts_at=at(5), type=m, pillars=("shared_leadership",))
    make.activity(i1, starts_at=at(6), type=t, pillars=("shared_leadership", "collaboration"))
    make.activity(
        a1, starts_at=at(7), type=o, pillars=("collaboration",), status=ActivityStatus.CANCELLED
    )
    make.activity(a3, starts_at=at(8), type=o, pillars=("collaboration",))  # pending school
    # Held outside the period: only the "last activity" sees them.
    before = datetime.combine(start - timedelta(days=5), time(12), tzinfo=UTC)
    _held(make, session, a1, before, t, ("shared_leadership",), reach=("Eski Okul",), teachers=50)
    long_ago = datetime.combine(start - timedelta(days=200), time(12), tzinfo=UTC)
    _held(make, session, z1, long_ago, o, ("collaboration",), reach=(i1.id,), students=9)
    data.held_moments[IZMIR] = [long_ago]
    # Romania: held in the period, reaching a Turkish school.
    _held(make, session, ro, at(0), t, ("collaboration",), reach=(i1.id, "Köy Okulu"), students=99)

    # Mentors: free places 2 (A1) + 0 (I1) + paused (I2, not counted) + 1 (Z1).
    m_a1 = _mentor(make, session, a1, capacity=3, load=1)
    m_i1 = _mentor(make, session, i1, capacity=2, load=2)
    _mentor(make, session, i2, capacity=4, load=1, paused=True)
    _mentor(make, session, z1, capacity=1, load=0)
    m_ro = _mentor(make, session, ro, capacity=5, load=1)

    # Mentoring requests.
    old = datetime.combine(today - timedelta(days=40), time(12), tzinfo=UTC)
    in_period = [
        _request(session, a2, old),  # open, waiting over 30 days
        _request(session, i3, at(0)),  # open
        _request(session, z1, at(1), matches=[(m_a1, MatchStatus.PROPOSED)]),  # open
        _request(session, i2, at(2), RequestStatus.MATCHED, [(m_i1, MatchStatus.ACCEPTED)]),
        _request(
            session,
            a1,
            at(3),
            RequestStatus.MATCHED,
            [(m_i1, MatchStatus.DECLINED), (m_a1, MatchStatus.ACTIVE)],
        ),
        _request(session, i1, at(4), RequestStatus.CLOSED, [(m_a1, MatchStatus.COMPLETED)]),
        _request(session, a2, at(5), RequestStatus.CLOSED, [(m_i1, MatchStatus.ENDED)]),
        _request(session, i3, at(6), RequestStatus.WITHDRAWN),
    ]
    start_bound = period.bounds[0]
    data.requested_in_period = sum(r.created_at >= start_bound for r in in_period)
    # Made before the period, still active: counts as an active mentorship, not in the funnel.
    earlier = datetime.combine(start - timedelta(days=30), time(12), tzinfo=UTC)
    _request(session, a1, earlier, RequestStatus.MATCHED, [(m_a1, MatchStatus.ACTIVE)])
    # Romania.
    _request(session, ro, old)
    _request(session, ro, at(0), RequestStatus.MATCHED, [(m_ro, MatchStatus.ACTIVE)])

    coordinator = "coordinator"
    data.users = {
        "coordinator_tr": make.user("coord.tr@example.org", role=coordinator, countries=("TR",)).id,
        "coordinator_ro": make.user("coord.ro@example.org", role=coordinator, countries=("RO",)).id,
        "admin": make.user("root@example.org", role="admin").id,
        "member": make.member(a1, email="member@example.org").id,
    }
    return data


EXPECTED = {
    ANKARA: {
        "schools": 2,
        "labelled": 1,
        "ambassadors": 1,
        "held": {"open_day": 1, "info_session": 1, "professional_development": 1},
        "participants": 41,
        "reached": 3,  # I1, Z1 and "Köy Okulu"
        "open_requests": 1,
        "waiting_long": 1,
        "active_matches": 2,
        "free_capacity": 2,
    },
    ISTANBUL: {
        "schools": 3,
        "labelled": 1,
        "ambassadors": 1,
        "held": {"open_day": 1, "mentoring_session": 1},
        "participants": 34,
        "reached": 2,  # Z1 and "Deniz Okulu"
        "open_requests": 1,
        "waiting_long": 0,
        "active_matches": 0,
        "free_capacity": 0,
    },
    IZMIR: {
        "schools": 1,
        "labelled": 0,
        "ambassadors": 0,
        "held": {},
        "participants": 0,
        "reached": 0,
        "open_requests": 1,
        "waiting_long": 0,
        "active_matches": 0,
        "free_capacity": 1,
    },
}
EXPECTED_TOTAL = {
    "schools": 6,
    "labelled": 2,
    "ambassadors": 2,
    "held": {
        "open_day": 2,
        "info_session": 1,
        "professional_development": 1,
        "mentoring_session": 1,
    },
    "participants": 75,
    "reached": 4,  # I1, Z1, "Köy Okulu", "Deniz Okulu": Z1 reached in two regions counts once
    "open_requests": 3,
    "waiting_long": 1,
    "active_matches": 2,
    "free_capacity": 3,
}
EXPECTED_PILLARS = {
    ANKARA: {"collaboration": 2, "shared_leadership": 1, "inclusive_innovative": 1},
    ISTANBUL: {"models_for_other_schools": 1, "collaboration": 1, "students_agents_of_change": 1},
    IZMIR: {},
}
ACTIVITIES = {ANKARA: 3, ISTANBUL: 2, IZMIR: 0}


def figures(region: dashboard.RegionFigures) -> dict:
    return {name: getattr(region, name) for name in EXPECTED_TOTAL}


@pytest.fixture
def data(make, db_session) -> Data:
    return build_data(make, db_session)


# --------------------------------------------------------------------------- build()


def test_build_gives_the_figures_of_each_region_and_the_country(app_ctx, data):
    board = dashboard.build("TR", data.period, data.today)
    by_code = {r.code: r for r in board.regions}
    tr_leaves = db.session.scalars(
        select(Region.code).where(Region.country_code == "TR", Region.is_leaf.is_(True))
    ).all()
    assert sorted(by_code) == sorted(tr_leaves)
    assert not any(code.startswith("RO") for code in by_code)
    for code, expected in EXPECTED.items():
        assert figures(by_code[code]) == expected, code
        assert by_code[code].activities == ACTIVITIES[code]
        assert by_code[code].last_activity == max(data.held_moments[code])
    for code, region in by_code.items():
        if code not in EXPECTED:
            assert figures(region) == {
                name: ({} if name == "held" else 0) for name in EXPECTED_TOTAL
            }, code
            assert region.last_activity is None
            assert region.pillars == {}
    assert figures(board.total) == EXPECTED_TOTAL
    assert board.total.activities == 5
    assert board.total.last_activity == max(data.held_moments[ISTANBUL])


def test_build_counts_pillars_of_held_activities_in_the_period(app_ctx, data):
    board = dashboard.build("TR", data.period, data.today)
    by_code = {r.code: r for r in board.regions}
    for code, expected in EXPECTED_PILLARS.items():
        assert by_code[code].pillars == expected, code
    assert board.pillar_totals() == {
        "shared_leadership": 1,
        "collaboration": 3,
        "students_agents_of_change": 1,
        "models_for_other_schools": 1,
        "inclusive_innovative": 1,
    }


def test_build_lists_every_month_of_the_period(app_ctx, data):
    board = dashboard.build("TR", data.period, data.today)
    keys = [key for key, _counts in board.months]
    assert keys == [f"{data.year}-{m:02d}" for m in range(9, 13)] + [
        f"{data.year + 1}-{m:02d}" for m in range(1, 9)
    ]
    counted = {key: counts for key, counts in board.months if counts}
    assert counted == {data.anchor.strftime("%Y-%m"): EXPECTED_TOTAL["held"]}


def test_build_funnel(app_ctx, data):
    board = dashboard.build("TR", data.period, data.today)
    assert board.funnel == {
        "requested": data.requested_in_period,
        "proposed": 5,  # every request with a match, declined or not
        "accepted": 4,  # accepted, active, completed, ended
        "active": 3,  # active, completed, ended
        "completed": 1,
    }


def test_build_white_spots(app_ctx, data):
    board = dashboard.build("TR", data.period, data.today)
    spots = {r.code: r.white_spots(data.today) for r in board.regions}
    assert spots[ANKARA] == ["waiting_requests"]
    assert spots[ISTANBUL] == []
    assert spots[IZMIR] == ["no_ambassador", "no_recent_activity"]
    others = {code: s for code, s in spots.items() if code not in EXPECTED}
    assert others
    assert all(s == ["no_ambassador", "no_recent_activity"] for s in others.values())


def test_build_of_one_region(app_ctx, data):
    board = dashboard.build("TR", data.period, data.today, region=ISTANBUL)
    assert [r.code for r in board.regions] == [ISTANBUL]
    assert figures(board.regions[0]) == EXPECTED[ISTANBUL]
    assert figures(board.total) == EXPECTED[ISTANBUL]
    assert board.funnel["requested"] == 4  # I3 open, I2 accepted, I1 completed, I3 withdrawn


def test_build_of_romania_sees_only_romania(app_ctx, data):
    period = dashboard.Period(data.period.start, data.period.end, "Europe/Bucharest")
    board = dashboard.build("RO", period, data.today)
    assert board.total.schools == 1
    assert board.total.participants == 99
    assert board.total.reached == 2
    assert board.total.open_requests == 1
    assert board.total.waiting_long == 1
    assert board.total.active_matches == 1
    assert board.total.free_capacity == 4


def test_months_follow_the_country_time_zone(app_ctx, make, db_session):
    """An activity at 00:30 on 1 September in Istanbul is in September, not August."""
    school = make.school("TR", region=_region(db_session, ANKARA))
    zone = ZoneInfo(TR_ZONE)
    first_night = datetime(2024, 9, 1, 0, 30, tzinfo=zone).astimezone(UTC)
    october_night = datetime(2024, 10, 1, 1, 0, tzinfo=zone).astimezone(UTC)
    for moment in (first_night, october_night):
        _held(make, db_session, school, moment, ActivityType.OPEN_DAY, ("collaboration",))
    board = dashboard.build(
        "TR", dashboard.Period(*school_year_bounds(2024), TR_ZONE), date(2025, 3, 1)
    )
    assert board.total.held == {"open_day": 2}
    months = dict(board.months)
    assert sum(sum(counts.values()) for counts in months.values()) == 2
    assert months["2024-09"] == {"open_day": 1}
    assert months["2024-10"] == {"open_day": 1}


# --------------------------------------------------------------------------- the page


def _get(client, url: str, **headers):
    response = client.get(url, headers=headers)
    try:
        response.get_data()
    finally:
        response.close()
    return response


def _headline(page: str) -> dict[str, str]:
    cards = re.findall(r'<div class="headline-card"><dt>(.*?)</dt><dd>(.*?)</dd>', page)
    return {html.unescape(label): html.unescape(value) for label, value in cards}


def _part(page: str, start: str, end: str) -> str:
    found = page[page.index(start) :]
    return found[: found.index(end)]


def _section(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</table>", start)]


def _region_rows(page: str) -> list[tuple[str, list[str]]]:
    section = _section(page, "region-table")
    body = section[section.index("<tbody>") :]
    rows = []
    for href, cells in re.findall(
        r'<th scope="row"><a href="([^"]+)">.*?</a></th>(.*?)</tr>', body, re.S
    ):
        query = parse_qs(urlsplit(html.unescape(href)).query)
        values = re.findall(r'<td class="text-end">(.*?)</td>', cells, re.S)
        rows.append((query["region"][0], [html.unescape(v.strip()) for v in values]))
    return rows


def _row_numbers(code: str) -> list[str]:
    e = EXPECTED[code]
    return [
        str(v)
        for v in (
            e["schools"], e["labelled"], e["ambassadors"], ACTIVITIES[code], e["participants"],
            e["reached"], e["open_requests"], e["waiting_long"], e["active_matches"],
            e["free_capacity"],
        )
    ]  # fmt: skip


def _signed_in(client, db_session, data, who="coordinator_tr"):
    sign_in(client, db_session, data.users[who])
    return client


def test_page_shows_the_headline_and_region_figures(client, db_session, data):
    _signed_in(client, db_session, data)
    response = _get(client, f"/dashboards/TR?year={data.year}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    t = EXPECTED_TOTAL
    assert _headline(page) == {
        "Schools": str(t["schools"]),
        "Valid eTwinning Schools": str(t["labelled"]),
        "Ambassador schools": str(t["ambassadors"]),
        "Activities held": "5",
        "Participants": str(t["participants"]),
        "Schools reached": str(t["reached"]),
        "Open mentoring requests": str(t["open_requests"]),
        "Waiting over 30 days": str(t["waiting_long"]),
        "Active mentorships": str(t["active_matches"]),
        "Free mentor places": str(t["free_capacity"]),
    }
    rows = dict(_region_rows(page))
    # Regions with every figure zero are folded under the table, named and linked.
    folded = _part(page, 'class="folded-regions', "</details>")
    folded_codes = re.findall(r"region=(TR-\d\d)", html.unescape(folded))
    assert f"{len(folded_codes)} regions with no figures yet" in folded
    assert len(rows) + len(folded_codes) == len(
        db_session.scalars(select(Region.code).where(Region.country_code == "TR")).all()
    )
    assert not set(rows) & set(folded_codes)
    for code in EXPECTED:
        assert rows[code][:10] == _row_numbers(code), code
    assert rows[ANKARA][10] != "—"
    assert "TR-01" in folded_codes
    assert "Scoala Cluj" not in page
    assert "99" not in _headline(page).values()


def test_page_sorts_by_a_column(client, db_session, data):
    _signed_in(client, db_session, data)
    page = _get(client, f"/dashboards/TR?year={data.year}&sort=activities&dir=desc").get_data(
        as_text=True
    )
    rows = _region_rows(page)
    assert [code for code, _cells in rows[:2]] == [ANKARA, ISTANBUL]
    counts = [int(cells[3]) for _code, cells in rows]
    assert counts == sorted(counts, reverse=True)
    page = _get(client, f"/dashboards/TR?year={data.year}&sort=participants").get_data(as_text=True)
    rows = _region_rows(page)
    assert [code for code, _cells in rows[-2:]] == [ISTANBUL, ANKARA]
    assert [int(cells[4]) for _code, cells in rows] == sorted(int(c[4]) for _x, c in rows)


def test_page_drills_down_to_the_schools_of_a_region(client, db_session, data):
    _signed_in(client, db_session, data)
    response = _get(client, f"/dashboards/TR?year={data.year}&region={ISTANBUL}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert [code for code, _cells in _region_rows(page)] == [ISTANBUL]
    assert _headline(page)["Activities held"] == "2"
    section = _section(page, 'id="drill-title"')
    schools = re.findall(
        r'<th scope="row"><a href="[^"]+">(.*?)</a></th><td class="text-end">(.*?)</td>', section
    )
    assert schools == [
        ("Istanbul Okulu Bir", "1"),
        ("Istanbul Okulu Iki", "1"),
        ("Istanbul Okulu Uc", "0"),
    ]
    page = _get(client, f"/dashboards/TR?year={data.year}&region=tr-06").get_data(as_text=True)
    section = _section(page, 'id="drill-title"')
    assert "Ankara Bekleyen" not in section  # pending
    assert re.findall(
        r'<a href="[^"]+">(Ankara[^<]*)</a></th><td class="text-end">(\d+)', section
    ) == [
        ("Ankara Lisesi Bir", "2"),
        ("Ankara Lisesi Iki", "1"),
    ]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("sort=bogus", 400),
        ("region=TR-99", 404),
        ("region=RO-CJ", 404),
        ("from=2026-13-01", 400),
        ("from=yesterday", 400),
        ("from=2026-10-01&to=2026-09-01", 400),
        ("from=1900-01-01&to=2026-09-01", 400),
        ("year=1999", 400),
    ],
)
def test_page_refuses_bad_arguments(client, db_session, data, query, status):
    _signed_in(client, db_session, data)
    assert _get(client, f"/dashboards/TR?{query}").status_code == status


@pytest.mark.parametrize("locale", ["en", "tr"])
def test_dates_the_wrong_way_round_keep_the_page_and_say_so_beside_them(
    client, db_session, data, locale
):
    _signed_in(client, db_session, data)

    response = _get(client, f"/dashboards/TR?from=2026-10-01&to=2026-09-01&lang={locale}")

    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    message = translated(
        client.application, locale, "The end of the period must not be before its start."
    )
    assert re.search(r'id="dates-error" role="alert">' + re.escape(message), body)
    assert 'value="2026-10-01"' in body  # the dates typed are kept
    assert 'id="headline-title"' in body  # and the dashboard is still there
    # Its downloads and report give the school year the page shows, not a 400.
    assert 'type="hidden" name="from"' not in body
    [report] = re.findall(r'href="(/dashboards/TR/report\.pdf[^"]*)"', body)
    assert "from=" not in report


def test_unknown_country_is_404(client, db_session, data):
    _signed_in(client, db_session, data)
    assert _get(client, "/dashboards/XX").status_code == 404


def test_page_with_custom_dates(client, db_session, data):
    _signed_in(client, db_session, data)
    day = data.anchor.date().isoformat()
    response = _get(client, f"/dashboards/TR?from={day}&to={day}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _headline(page)["Activities held"] == "5"
    assert _headline(page)["Participants"] == "75"
    assert _headline(page)["Schools"] == "6"  # not bound to the period
    day_before = (data.anchor.date() - timedelta(days=1)).isoformat()
    page = _get(client, f"/dashboards/TR?from={day_before}&to={day_before}").get_data(as_text=True)
    assert _headline(page)["Activities held"] == "0"
    assert _headline(page)["Schools reached"] == "0"
    assert f'value="{day_before}"' in page


# --------------------------------------------------------------------------- downloads
# (the exports' own tests: tests/dashboards/test_dashboard_exports.py)


def _download(client, url: str, **headers) -> tuple[int, bytes]:
    response = client.get(url, headers=headers)
    try:
        return response.status_code, response.get_data()
    finally:
        response.close()


# --------------------------------------------------------------------------- access

EXPORTS = [
    f"/dashboards/TR/export/{t}.{f}" for t in ("regions", "pillars") for f in ("csv", "xlsx")
]


@pytest.mark.parametrize("url", ["/dashboards/TR", *EXPORTS])
def test_romanian_coordinator_and_members_are_refused(app, client, db_session, data, url):
    for who in ("coordinator_ro", "member"):
        sign_in(client, db_session, data.users[who])
        status, body = _download(client, url)
        assert status == 403, who
        assert b"Ankara" not in body
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEntry).where(AuditEntry.action == "dashboard.export"))
            is None
        )


@pytest.mark.parametrize("url", ["/dashboards/", "/dashboards/TR", *EXPORTS])
def test_anonymous_is_sent_to_sign_in(client, data, url):
    response = _get(client, url)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_romanian_coordinator_is_sent_to_romania(client, db_session, data):
    _signed_in(client, db_session, data, "coordinator_ro")
    response = _get(client, "/dashboards/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/dashboards/RO"
    assert _get(client, "/dashboards/RO").status_code == 200


def test_admin_sees_one_row_per_country(client, db_session, data):
    _signed_in(client, db_session, data, "admin")
    response = _get(client, "/dashboards/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(
        r'<th scope="row"><a href="/dashboards/([A-Z]{2})">.*?</a></th>(.*?)</tr>', body, re.S
    )
    countries = db_session.scalars(select(Country.code).order_by(Country.code)).all()
    assert [code for code, _cells in rows] == countries
    cells = {code: re.findall(r'<td class="text-end">(.*?)</td>', c) for code, c in rows}
    t = EXPECTED_TOTAL
    assert cells["TR"] == [
        str(v)
        for v in (
            t["schools"], t["ambassadors"], 5, t["participants"], t["open_requests"],
            t["active_matches"],
        )
    ]  # fmt: skip
    assert cells["RO"] == ["1", "1", "1", "99", "1", "1"]
    assert cells["NO"] == ["0"] * 6


# --------------------------------------------------------------------------- queries


def _build_count(data, region=None) -> int:
    db.session.expire_all()
    with StatementCounter() as counter:
        board = dashboard.build("TR", data.period, data.today, region)
    assert board.regions
    return counter.count


def _page_count(client, url: str) -> tuple[int, str]:
    with StatementCounter() as counter:
        response = _get(client, url)
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def _add_bulk(session, data, factor: int = 10) -> None:
    """Ten times more schools, activities, pillars, reaches, requests and matches."""
    regions = session.scalars(
        select(Region.code)
        .where(Region.country_code == "TR", Region.is_leaf.is_(True))
        .order_by(Region.code)
        .limit(12)
    ).all()
    timezone = session.get(Country, "TR").timezone
    now = datetime.now(UTC)
    session.execute(
        insert(School),
        [
            {
                "name": f"Bulk School {n}",
                "city": "",
                "search_key": search_key(f"Bulk School {n}", ""),
                "country_code": "TR",
                "region_code": regions[n % len(regions)],
                "timezone": timezone,
                "status": SchoolStatus.VERIFIED if n % 5 else SchoolStatus.PENDING,
                "label_year": data.year if n % 3 == 0 else None,
            }
            for n in range(6 * factor)
        ],
    )
    schools = session.execute(
        select(School.id, School.region_code).where(School.name.like("Bulk School %"))
    ).all()
    session.execute(
        insert(AmbassadorPeriod),
        [
            {
                "school_id": sid,
                "status": AmbassadorStatus.APPROVED,
                "starts_on": data.today - timedelta(days=5),
                "ends_on": data.today + timedelta(days=5),
            }
            for sid, _region in schools[::4]
        ],
    )
    kinds = list(ActivityType)
    session.execute(
        insert(Activity),
        [
            {
                "school_id": sid,
                "country_code": "TR",
                "region_code": region,
                "type": kinds[n % len(kinds)],
                "title": f"Bulk activity {n}",
                "starts_at": data.anchor + timedelta(minutes=n),
                "ends_at": data.anchor + timedelta(minutes=n + 60),
                "timezone": timezone,
                "mode": Mode.ONLINE,
                "status": ActivityStatus.HELD if n % 3 else ActivityStatus.PLANNED,
                "participants_students": n if n % 3 else None,
            }
            for n, (sid, region) in enumerate(schools * (5 * factor // len(schools) + 1))
        ][: 5 * factor],
    )
    activities = session.scalars(select(Activity.id).where(Activity.title.like("Bulk activity %")))
    activity_ids = list(activities)
    session.execute(
        insert(ActivityPillar),
        [
            {"activity_id": aid, "pillar_code": PILLAR_CODES[n % len(PILLAR_CODES)]}
            for n, aid in enumerate(activity_ids)
        ],
    )
    session.execute(
        insert(ActivityReach),
        [
            {"activity_id": aid, "school_id": schools[n % len(schools)][0]}
            if n % 2
            else {"activity_id": aid, "school_name": f"Unregistered {n}"}
            for n, aid in enumerate(activity_ids)
        ],
    )
    session.execute(
        insert(MentoringRequest),
        [
            {
                "school_id": sid,
                "country_code": "TR",
                "region_code": region,
                "status": RequestStatus.OPEN,
                "created_at": now - timedelta(days=n),
                "updated_at": now,
            }
            for n, (sid, region) in enumerate(schools[: 8 * factor])
        ],
    )
    # Bulk inserts in Core bypass the session, so they refresh the summaries as the demo
    # generator does.
    summary_rebuild.rebuild(session.connection())
    session.commit()


def test_build_query_count_does_not_grow_with_the_data(app_ctx, make, db_session):
    data = build_data(make, db_session)
    small = _build_count(data)
    small_region = _build_count(data, ISTANBUL)
    before = dashboard.build("TR", data.period, data.today).total
    _add_bulk(db_session, data)
    after = dashboard.build("TR", data.period, data.today).total
    assert after.schools > 10 * before.schools // 2  # the data really grew
    assert after.activities > 3 * before.activities
    assert after.open_requests > 10 * before.open_requests
    assert _build_count(data) == small
    assert _build_count(data, ISTANBUL) == small_region
    assert small <= 15


def test_page_query_count_does_not_grow_with_the_data(app, client, make, db_session):
    data = build_data(make, db_session)
    _signed_in(client, db_session, data)
    url = f"/dashboards/TR?year={data.year}"
    drill = f"{url}&region=TR-01"
    small, page = _page_count(client, url)
    small_drill, _ = _page_count(client, drill)
    assert _headline(page)["Schools"] == "6"
    with app.app_context():
        _add_bulk(db.session, data)
    big, page = _page_count(client, url)
    big_drill, drill_page = _page_count(client, drill)
    assert int(_headline(page)["Schools"]) > 50
    assert drill_page.count("Bulk School") > 1
    assert (big, big_drill) == (small, small_drill)
