"""Trends: the same period a year earlier, the monthly lines, "today" figures of a period."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from app.activities.enums import ActivityStatus
from app.core.school_years import school_year_bounds, school_year_of
from app.dashboards import figures as dashboard
from app.dashboards import trends
from app.dashboards.declaration import FIGURES, KEY_FIGURES, MOMENT, OVERVIEW
from app.mentoring.enums import MatchStatus, RequestStatus
from app.mentoring.models import Match, MentoringRequest
from tests.principals import sign_in

ZONE = "Europe/Istanbul"


def _moment(day) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _held(make, school, day, count=1):
    for _ in range(count):
        make.activity(school, starts_at=_moment(day), status=ActivityStatus.HELD)


def _years():
    today = datetime.now(UTC).date()
    current = school_year_of(today)
    return today, current, school_year_bounds(current), school_year_bounds(current - 1)


def test_the_page_compares_each_figure_with_the_same_period_a_year_earlier(
    client, db_session, make
):
    _today, current, (start, _end), (last_start, _last_end) = _years()
    school = make.school("TR")
    _held(make, school, start, 3)  # this school year
    _held(make, school, last_start, 5)  # the same days a year earlier
    _held(make, school, last_start - timedelta(days=1), 1)  # the year before: not counted
    coordinator = make.user(role="coordinator", countries=["TR"])
    sign_in(client, db_session, coordinator.id)
    page = client.get(f"/dashboards/TR?year={current}").get_data(as_text=True)
    card = page[page.index("<dt>Activities held</dt>") :]
    card = card[: card.index("</div>")]
    assert "<dd>3</dd>" in card
    assert re.search(r"▼</span>\s*-2\s", card), card
    assert f"same period {current - 1}–{str(current)[-2:]}: 5" in card


def test_today_figures_follow_the_period(db_session, make, app_ctx):
    today, current, _this, (last_start, last_end) = _years()
    school = make.school("TR")
    closed_later = MentoringRequest(
        school_id=school.id,
        country_code="TR",
        region_code=school.region_code,
        status=RequestStatus.CLOSED,
        created_at=_moment(last_start),
    )
    db_session.add(closed_later)
    db_session.commit()  # closed now: open all through last school year
    last_year = dashboard.build("TR", dashboard.Period(last_start, last_end, ZONE), today)
    this_year = dashboard.build("TR", dashboard.Period(*school_year_bounds(current), ZONE), today)
    assert last_year.total.open_requests == 1
    assert this_year.total.open_requests == 0
    assert dashboard.as_of(last_year.period, today) == last_end
    assert dashboard.as_of(this_year.period, today) == today
    # The period compared with (and each country of the overview) is built without the
    # regions' last activity and the funnel, with the same counts.
    _held(make, school, last_start + timedelta(days=3), 2)
    period = dashboard.Period(last_start, last_end, ZONE)
    whole, totals = (
        dashboard.build("TR", period, today, totals_only=only).total for only in (False, True)
    )
    counted = [f.name for f in FIGURES if f.kind != MOMENT]
    assert [getattr(totals, name) for name in counted] == [getattr(whole, n) for n in counted]
    assert whole.activities == 2
    # Neither the comparison nor the countries' overview shows what it leaves out.
    assert not [f for f in KEY_FIGURES if f.compared and f.kind == MOMENT]
    assert not [f for f in OVERVIEW if f.kind == MOMENT]


def test_monthly_lines_cover_three_school_years_month_by_month(db_session, make, app_ctx):
    today, current, (start, _end), (last_start, _last_end) = _years()
    school = make.school("TR")
    _held(make, school, start, 2)
    _held(make, school, last_start + timedelta(days=40), 4)
    lines = trends.monthly_lines("TR", (9, 1), current, today)
    assert [line.year for line in lines] == [current - 2, current - 1, current]
    assert lines[-1].values[0] == 2
    october = (last_start + timedelta(days=40)).month - 9
    assert lines[1].values[october] == 4
    assert lines[1].total == 4
    assert lines[0].total == 0
    assert all(v == 0 for v in lines[0].values)
    future = [
        v
        for month, v in zip(trends.month_starts(current, (9, 1)), lines[-1].values, strict=True)
        if month > today
    ]
    assert future == [None] * len(future)


def test_a_period_a_year_earlier_keeps_its_days():
    period = dashboard.Period(datetime(2028, 2, 29).date(), datetime(2028, 3, 10).date(), ZONE)
    earlier = trends.previous(period)
    assert (earlier.start.isoformat(), earlier.end.isoformat()) == ("2027-02-28", "2027-03-10")


def test_the_period_compared_is_counted_in_the_same_statements_with_the_same_figures(
    db_session, make, app_ctx
):
    """Schools, labels, ambassadors, requests and mentorships that stood differently at the
    end of last school year and now: the earlier totals of one build equal those of a
    build of the earlier period alone."""
    today, current, (start, _end), (last_start, last_end) = _years()
    old, new = make.school("TR", label_year=current - 1), make.school("TR")
    new.verified_at = _moment(start)  # verified this school year: not counted a year earlier
    make.ambassador(old, last_end)  # ambassador then (and still, its period runs on)
    make.ambassador(new, today)
    then, now = _moment(last_start), _moment(start)

    def request(status, created, school=old):
        found = MentoringRequest(
            school_id=school.id,
            country_code="TR",
            region_code=school.region_code,
            status=status,
            created_at=created,
        )
        db_session.add(found)
        db_session.flush()
        return found

    request(RequestStatus.OPEN, then - timedelta(days=40))  # open then and now, waiting long
    request(RequestStatus.OPEN, now, new)  # open now only
    request(RequestStatus.CLOSED, then)  # open then (closed this year: updated now)
    matched = request(RequestStatus.MATCHED, then)
    db_session.add_all(
        [
            Match(request_id=matched.id, status=MatchStatus.ACTIVE, created_at=then),
            Match(
                request_id=matched.id,
                status=MatchStatus.COMPLETED,
                created_at=then,
                finished_at=now,
            ),
        ]
    )
    db_session.commit()
    period = dashboard.Period(*school_year_bounds(current), ZONE)
    earlier = trends.previous(period)

    both = dashboard.build("TR", period, today, compare=earlier)
    alone = dashboard.build("TR", earlier, today, totals_only=True).total
    current_alone = dashboard.build("TR", period, today).total

    compared = [f.name for f in KEY_FIGURES if f.compared]
    assert {n: getattr(both.earlier, n) for n in compared} == {
        n: getattr(alone, n) for n in compared
    }
    assert {n: getattr(both.total, n) for n in compared} == {
        n: getattr(current_alone, n) for n in compared
    }
    # Each family differs between the two moments: the test tells them apart.
    for name in ("schools", "ambassadors", "open_requests", "active_matches"):
        assert getattr(both.total, name) != getattr(both.earlier, name), name
    assert (both.earlier.schools, both.total.schools) == (1, 2)
    assert (both.earlier.labelled, both.earlier.waiting_long) == (1, 3)
