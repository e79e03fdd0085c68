"""The signed-in home: each role finds what waits for it, bounded, with empty states."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app.accounts.enums import MembershipRole, MembershipStatus
from app.accounts.models import Membership
from app.activities.enums import ActivityStatus
from app.mentoring.enums import MatchStatus
from app.mentoring.models import Match, MatchRun, MentoringRequest
from app.schools.enums import SchoolStatus
from app.schools.models import AmbassadorPeriod, School
from tests.principals import sign_in
from tests.support.mentoring import add_mentor
from tests.support.statements import StatementCounter


def _page(app, session, user_id: int) -> str:
    client = app.test_client()
    sign_in(client, session, user_id)
    response = client.get("/home")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _request(session, school, days_ago: int = 0) -> MentoringRequest:
    request = MentoringRequest(
        school_id=school.id,
        country_code=school.country_code,
        region_code=school.region_code,
        languages=["tr"],
        created_at=datetime.now(UTC) - timedelta(days=days_ago),
    )
    session.add(request)
    session.commit()
    return request


def test_signing_in_lands_on_the_signed_in_home(client, make, auth):
    make.user("lands@example.org")

    response = auth.login("lands@example.org")

    assert response.headers["Location"] == "/home"
    assert client.get("/login").headers["Location"] == "/home"


def test_a_member_sees_activities_to_report_and_upcoming_ones_of_their_school(
    app, make, db_session
):
    school = make.school("TR", name="Kadıköy Lisesi")
    other = make.school("TR", name="Başka Okul")
    member = make.member(school)
    now = datetime.now(UTC)
    make.activity(school, starts_at=now - timedelta(days=3), title="Ended open day")
    make.activity(school, starts_at=now - timedelta(days=5), title="Held one",
                  status=ActivityStatus.HELD)  # fmt: skip
    make.activity(school, starts_at=now + timedelta(days=4), title="Coming info session")
    make.activity(other, starts_at=now - timedelta(days=3), title="Not ours")

    page = _page(app, db_session, member.id)

    assert "Kadıköy Lisesi" in page
    assert "Ended open day" in page
    assert "/report" in page
    assert "Coming info session" in page
    assert "Held one" not in page
    assert "Not ours" not in page
    assert "Requests to join" not in page  # only school admins decide them
    assert "Coordination" not in page.split("<main")[1]


def test_each_block_shows_its_empty_state(app, make, db_session):
    member = make.member(make.school("TR"))

    page = _page(app, db_session, member.id)

    assert "Nothing to report: every activity that has ended has its report." in page
    assert "Nothing needs your attention right now." in page
    assert "No activity is planned yet." in page


def test_someone_without_a_school_is_shown_how_to_find_or_register_one(app, make, db_session):
    page = _page(app, db_session, make.user().id)

    assert "You do not belong to a school yet." in page
    assert 'href="/schools/new"' in page


def test_a_school_admin_sees_join_requests_and_a_waiting_member_sees_why(app, make, db_session):
    school = make.school("TR", name="Üsküdar Ortaokulu")
    admin = make.member(school, role=MembershipRole.ADMIN)
    applicant = make.user(name="Zeynep Kaya")
    db_session.add(Membership(user_id=applicant.id, school_id=school.id))
    db_session.commit()

    ids = admin.id, applicant.id, school.id  # read before a request detaches them
    page = _page(app, db_session, ids[0])
    waiting = _page(app, db_session, ids[1])

    assert "Requests to join" in page
    assert 'href="#joins-title">1 request to join</a>' in page
    assert "Zeynep Kaya" in page
    assert f'href="/schools/{ids[2]}/members"' in page
    assert "Your request to join Üsküdar Ortaokulu is waiting" in waiting


def test_a_mentor_sees_published_proposals_and_mentorships_not_drafts(app, make, db_session):
    school = make.school("TR")
    profile = add_mentor(make, db_session, school, email="home.mentor@example.org")
    asking = make.school("TR", name="Proposed School")
    drafted = make.school("TR", name="Draft School")
    mentored = make.school("TR", name="Mentored School")
    draft_run = MatchRun(country_code="TR")
    db_session.add(draft_run)
    db_session.flush()
    for target, status, run in (
        (asking, MatchStatus.PROPOSED, None),
        (drafted, MatchStatus.PROPOSED, draft_run.id),
        (mentored, MatchStatus.ACTIVE, None),
    ):
        request = _request(db_session, target)
        db_session.add(Match(request_id=request.id, mentor_id=profile.id, status=status,
                             run_id=run))  # fmt: skip
    db_session.commit()

    page = _page(app, db_session, profile.user_id)

    assert "Proposals waiting for your answer" in page
    assert "Proposed School" in page
    assert "Mentored School" in page
    assert "Draft School" not in page


def test_a_coordinator_sees_the_queues_of_their_country_only(app, make, db_session):
    coordinator = make.user(role="coordinator", countries=("TR",))
    make.school("TR", name="Yeni Okul", status=SchoolStatus.PENDING)
    make.school("RO", name="Școala Nouă", status=SchoolStatus.PENDING)
    applicant = make.school("TR", name="Aday Okul")
    db_session.add(AmbassadorPeriod(school_id=applicant.id, starts_on=datetime(2030, 9, 1).date(),
                                    ends_on=datetime(2031, 8, 31).date()))  # fmt: skip
    db_session.commit()
    _request(db_session, make.school("TR", name="Bekleyen Okul"), days_ago=40)
    _request(db_session, make.school("RO", name="Școala care așteaptă"), days_ago=40)

    page = _page(app, db_session, coordinator.id)

    assert '<a class="todo-pill" href="#verify-title">1 school to verify</a>' in page
    assert '<a class="todo-pill" href="#applications-title">1 ambassador application</a>' in page
    assert "Yeni Okul" in page
    assert "Aday Okul" in page
    assert "Bekleyen Okul" in page
    assert "Școala" not in page
    assert 'href="/dashboards/TR"' in page
    assert re.search(r"\d+ of \d+ regions?</span>", page)
    assert 'href="/dashboards/RO"' not in page
    admin = _page(app, db_session, make.user(role="admin").id)
    assert "Școala Nouă" in admin
    assert 'href="/dashboards/RO"' in admin


def test_the_home_shows_a_few_rows_and_counts_the_rest(app, make, db_session):
    coordinator = make.user(role="coordinator", countries=("TR",))
    for number in range(8):
        make.school("TR", name=f"Waiting {number}", status=SchoolStatus.PENDING)

    page = _page(app, db_session, coordinator.id)

    assert page.count("Waiting ") == 5
    assert "3 more" in page


def _statements(app, session, user_id: int) -> int:
    session.expire_all()
    with StatementCounter() as counter:
        _page(app, session, user_id)
    return counter.count


def test_the_number_of_queries_does_not_grow_with_the_rows(app, make, db_session):
    """No query per row: ten rows of every block cost what one row costs."""
    school_id = make.school("TR").id
    admin = make.member(db_session.get(School, school_id), role=MembershipRole.ADMIN).id
    now = datetime.now(UTC)

    def add_rows(count: int) -> None:
        school = db_session.get(School, school_id)
        for _ in range(count):
            make.activity(school, starts_at=now - timedelta(days=2))
            make.activity(school, starts_at=now + timedelta(days=2))
            db_session.add(Membership(user_id=make.user().id, school_id=school.id,
                                      status=MembershipStatus.PENDING))  # fmt: skip
        db_session.commit()

    add_rows(1)
    few = _statements(app, db_session, admin)
    add_rows(9)
    many = _statements(app, db_session, admin)

    assert many == few


def test_no_home_query_joins_the_schools_to_their_regions_before_its_own_rows(
    app, make, db_session
):
    """An outer join to a school that itself joins its region is run by SQLite as school ×
    region for the whole table first (3.5 s for a coordinator at full scale): each block
    joins its rows' schools as inner joins."""
    coordinator = make.user(role="coordinator", countries=("TR",)).id
    school = make.school("TR")
    admin = make.member(school, role=MembershipRole.ADMIN).id
    for user_id in (coordinator, admin):
        db_session.expire_all()
        with StatementCounter() as counter:
            _page(app, db_session, user_id)
        nested = [s for s in counter.statements if re.search(r"OUTER JOIN \(school", s)]
        assert not nested, nested


def test_white_spots_change_on_the_next_visit_after_a_report(caching_app, make, db_session):
    """The count is kept under the country's data version: a region whose ambassador
    reports an activity a moment ago is no longer a white spot on the next visit."""
    coordinator_id = make.user(role="coordinator", countries=("TR",)).id
    school = make.school("TR")
    make.ambassador(school)
    client = caching_app.test_client()
    sign_in(client, db_session, coordinator_id)
    assert "81 of 81 regions" in client.get("/home").get_data(as_text=True)

    school = db_session.merge(school)
    make.activity(
        school, starts_at=datetime.now(UTC) - timedelta(days=2), status=ActivityStatus.HELD
    )

    assert "80 of 81 regions" in client.get("/home").get_data(as_text=True)
