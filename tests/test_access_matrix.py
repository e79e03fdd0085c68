"""Every route × every principal against an explicit expected status.

A route without an entry here fails the test: adding a page means deciding who
may open it. Statuses are for a plain request (GET, or POST with an empty form):
302 sends anonymous visitors to sign in, 403 refuses an object the user can see,
404 hides one they cannot.
"""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.enums import Visibility
from app.core.enums import Mode
from app.schools.models import School
from tests.principals import NAMES, OUTSIDERS, build_outsiders, build_world, sign_in


def every(status: int) -> tuple[int, ...]:
    return (status,) * len(NAMES)


def signed_in(status: int, anonymous: int = 302) -> tuple[int, ...]:
    return (anonymous,) + (status,) * (len(NAMES) - 1)


def token(status: int) -> tuple[int, ...]:
    """API routes that need a bearer token: 401 without one."""
    return (401,) + (status,) * (len(NAMES) - 1)


#            anon member_a member_b s.admin mentor coord_tr coord_ro admin
ADMIN_ONLY = (302, 403, 403, 403, 403, 403, 403, 200)
STAFF_ONLY = (302, 403, 403, 403, 403, 200, 200, 200)
ADMIN_POST = (302, 403, 403, 403, 403, 403, 403, 302)
#: Managing school A: its school admin, the coordinators of Türkiye, admins.
MANAGE_A = (302, 403, 403, 200, 403, 200, 403, 200)
MANAGE_A_POST = (302, 403, 403, 302, 403, 302, 403, 302)
#: Recording school A's activities: its members (the mentor teaches there too), TR, admins.
LOG_A = (302, 200, 403, 200, 200, 200, 403, 200)
LOG_A_POST = (302, 422, 403, 422, 422, 422, 403, 422)
LOG_A_REPORT = (302, 302, 403, 302, 302, 302, 403, 302)
DASHBOARD_TR = (302, 403, 403, 403, 403, 200, 403, 200)
#: Seeing school A's mentoring request and its match.
MATCH_VIEW = (302, 200, 404, 200, 200, 200, 404, 200)
COORDINATE_TR_POST = (302, 403, 403, 403, 403, 302, 403, 302)

MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "health.healthz"): every(200),
    ("GET", "health.readyz"): every(200),
    ("GET", "disclosure.security_txt"): every(200),
    ("GET", "main.home"): every(200),
    ("GET", "mission.pillars"): every(200),
    ("GET", "mission.pillar"): every(200),
    ("GET", "main.privacy"): every(200),
    ("GET", "main.design"): every(200),  # under test; 404 in production (test_design_page)
    ("GET", "main.my_home"): signed_in(200),
    ("GET", "main.notifications"): signed_in(200),
    ("POST", "main.read_notification"): signed_in(404),  # nobody's notification
    ("POST", "main.read_all_notifications"): signed_in(302),
    ("POST", "main.set_language"): every(400),  # empty form: no language named
    ("GET", "static"): every(200),
    ("GET", "bootstrap.static"): every(200),
    ("GET", "auth.login"): signed_in(302, anonymous=200),
    ("POST", "auth.login"): signed_in(302, anonymous=422),
    ("GET", "auth.register"): signed_in(302, anonymous=200),
    ("POST", "auth.register"): signed_in(302, anonymous=422),
    ("GET", "auth.confirm"): every(404),  # a made-up token
    ("GET", "auth.reset_request"): signed_in(302, anonymous=200),
    ("POST", "auth.reset_request"): signed_in(302, anonymous=422),
    ("GET", "auth.reset_password"): every(404),
    ("POST", "auth.reset_password"): every(404),
    ("GET", "auth.second_factor"): every(302),  # no sign-in waiting for a code
    ("POST", "auth.second_factor"): every(302),
    ("POST", "auth.logout"): every(302),
    ("GET", "account.profile"): signed_in(200),
    ("POST", "account.profile"): signed_in(422),
    ("GET", "account.password"): signed_in(200),
    ("POST", "account.password"): signed_in(422),
    ("GET", "account.two_factor"): signed_in(200),
    ("POST", "account.two_factor"): signed_in(422),
    ("POST", "account.two_factor_off"): signed_in(422),
    ("GET", "account.privacy_page"): signed_in(200),
    ("POST", "account.download_data"): signed_in(200),
    ("POST", "account.delete"): signed_in(422),
    ("GET", "notifications.preferences"): signed_in(200),
    ("POST", "notifications.preferences"): signed_in(302),  # an empty form keeps the choices
    ("GET", "notifications.unsubscribe"): every(404),  # a made-up token
    ("POST", "notifications.unsubscribe_now"): every(404),
    ("GET", "admin.users"): ADMIN_ONLY,
    ("GET", "admin.user"): ADMIN_ONLY,
    ("POST", "admin.user"): ADMIN_POST,  # an empty form keeps the stored values
    ("POST", "admin.add_membership"): ADMIN_POST,
    ("POST", "admin.remove_membership"): ADMIN_POST,
    ("GET", "admin.audit_log"): STAFF_ONLY,
    ("GET", "admin.outbox_page"): ADMIN_ONLY,
    ("POST", "admin.retry_mail"): (302, 403, 403, 403, 403, 403, 403, 404),  # no such message
    # A job's pages are found by its unguessable token (tests/schools/test_school_import_page).
    ("GET", "jobs.show"): every(404),
    ("GET", "jobs.state"): every(404),
    ("GET", "jobs.download"): every(404),
    ("GET", "jobs.admin_list"): ADMIN_ONLY,
    ("POST", "jobs.retry"): (302, 403, 403, 403, 403, 403, 403, 404),  # no such job
    ("GET", "schools.search"): every(200),
    ("GET", "schools.show"): every(200),
    ("GET", "schools.new"): signed_in(200),
    ("POST", "schools.new"): signed_in(422),
    ("GET", "schools.edit"): MANAGE_A,
    ("POST", "schools.edit"): MANAGE_A_POST,  # an empty form keeps the stored values
    ("POST", "schools.verify"): COORDINATE_TR_POST,
    ("POST", "schools.join"): signed_in(302),
    ("GET", "schools.members"): MANAGE_A,
    ("POST", "schools.approve_member"): MANAGE_A_POST,
    ("POST", "schools.remove_member"): MANAGE_A_POST,
    ("GET", "schools.apply"): (302, 403, 403, 302, 403, 403, 403, 403),  # one is pending
    ("POST", "schools.apply"): (302, 403, 403, 302, 403, 403, 403, 403),  # one is pending
    ("GET", "schools.queue"): STAFF_ONLY,
    ("GET", "schools.import_upload"): STAFF_ONLY,
    ("GET", "schools.import_template"): STAFF_ONLY,
    ("POST", "schools.import_upload"): (302, 403, 403, 403, 403, 422, 422, 422),
    ("POST", "schools.import_confirm"): (302, 403, 403, 403, 403, 404, 404, 404),  # no such check
    ("POST", "schools.decide"): COORDINATE_TR_POST,
    # School A's label request is waiting: its admin is sent back to the school's page.
    ("GET", "schools.request_label"): (302, 403, 403, 302, 403, 403, 403, 403),
    ("POST", "schools.request_label"): (302, 403, 403, 302, 403, 403, 403, 403),
    ("POST", "schools.decide_label"): COORDINATE_TR_POST,  # no reason: back to the queue
    ("GET", "schools.directory_index"): every(200),
    ("GET", "schools.directory_country"): every(200),
    ("GET", "schools.directory_region"): every(200),
    ("GET", "activities.calendar_index"): (200, 302, 302, 302, 302, 302, 302, 200),
    ("GET", "activities.country_calendar"): every(200),
    ("GET", "activities.month"): every(200),
    ("GET", "activities.export"): every(200),
    ("GET", "activities.country_feed"): every(200),
    ("GET", "activities.region_feed"): every(200),
    ("GET", "activities.school_feed"): every(200),
    ("GET", "activities.school_list"): every(200),
    ("GET", "activities.new"): LOG_A,
    ("POST", "activities.new"): LOG_A_POST,
    ("GET", "activities.show"): every(200),
    ("GET", "activities.edit"): LOG_A,
    ("POST", "activities.edit"): LOG_A_POST,
    ("GET", "activities.report"): LOG_A,
    ("POST", "activities.report"): LOG_A_REPORT,
    ("POST", "activities.cancel"): (302, 302, 403, 302, 302, 302, 403, 302),
    ("POST", "activities.retract"): LOG_A_POST,  # an empty form: no reason given
    ("GET", "mentoring.overview"): signed_in(200),
    ("GET", "mentoring.profile"): (302, 403, 403, 403, 200, 403, 403, 403),
    ("POST", "mentoring.profile"): (302, 403, 403, 403, 422, 403, 403, 403),
    ("GET", "mentoring.new_request"): signed_in(404),  # no ?school= given
    ("POST", "mentoring.new_request"): signed_in(404),
    ("GET", "mentoring.show_request"): MATCH_VIEW,
    ("POST", "mentoring.ask"): (302, 302, 404, 302, 302, 302, 404, 302),  # one is open already
    ("GET", "mentoring.run"): STAFF_ONLY,
    ("POST", "mentoring.run"): (302, 403, 403, 403, 403, 422, 422, 422),
    ("GET", "mentoring.show_run"): (302, 404, 404, 404, 404, 200, 404, 200),
    ("POST", "mentoring.confirm_run"): (302, 404, 404, 404, 404, 302, 404, 302),
    # The sweep confirmed the run just before: a confirmed run is not discarded.
    ("POST", "mentoring.discard_run"): (302, 404, 404, 404, 404, 409, 404, 409),
    ("POST", "mentoring.withdraw"): (302, 403, 404, 403, 403, 302, 404, 302),
    # The sweep runs these in order: the mentor (and an admin) accept; closing without
    # an outcome is refused, so feedback waits, and the API (completed by default) closes.
    ("GET", "mentoring.show_match"): MATCH_VIEW,
    ("POST", "mentoring.accept"): (302, 403, 404, 403, 302, 403, 404, 302),
    ("POST", "mentoring.decline"): (302, 403, 404, 403, 422, 403, 404, 422),
    ("POST", "mentoring.finish"): (302, 409, 404, 409, 422, 409, 404, 422),
    ("POST", "mentoring.feedback"): (302, 409, 404, 409, 409, 409, 404, 409),
    ("GET", "dashboards.index"): (302, 403, 403, 403, 403, 302, 302, 200),
    ("GET", "dashboards.country"): DASHBOARD_TR,
    ("GET", "dashboards.export"): DASHBOARD_TR,
    # An empty form names no host: 400 for those who may invite.
    ("GET", "open_data.page"): every(200),
    ("GET", "open_data.csv"): every(200),
    ("GET", "api.open_data"): every(200),
    ("GET", "dashboards.report_page"): DASHBOARD_TR,
    ("GET", "dashboards.report_pdf"): DASHBOARD_TR,
    ("POST", "dashboards.invite_host"): (302, 403, 403, 403, 403, 400, 403, 400),
    ("GET", "account.tokens"): signed_in(200),
    ("POST", "account.create_token"): signed_in(422),
    ("POST", "account.revoke_token"): signed_in(404),  # nobody's token
    # The API: bearer tokens only (cookies are ignored), an empty JSON object as body.
    ("GET", "api.openapi"): every(200),
    ("GET", "api.docs"): every(200),
    ("GET", "api.pillars"): every(200),
    ("GET", "api.countries"): every(200),
    ("GET", "api.regions"): every(200),
    ("GET", "api.list_schools"): every(200),
    ("GET", "api.get_school"): every(200),
    ("POST", "api.register_school"): token(422),
    ("PATCH", "api.edit_school"): (401, 403, 403, 200, 403, 200, 403, 200),
    ("POST", "api.request_label"): (401, 403, 403, 422, 403, 403, 403, 403),  # no year
    ("POST", "api.decide_label"): (401, 403, 403, 403, 403, 422, 403, 422),  # no outcome
    ("GET", "api.list_events"): every(200),
    ("GET", "api.get_event"): every(200),
    ("POST", "api.create_event"): token(422),  # no school named
    ("PATCH", "api.edit_event"): (401, 200, 403, 200, 200, 200, 403, 200),
    # After the pages' sweep: the activity is held (409 to cancel), the mentor and the
    # admin have accepted and closed the match, the TR coordinator withdrew the proposal.
    ("DELETE", "api.cancel_event"): (401, 409, 403, 409, 409, 409, 403, 409),
    ("POST", "api.retract_event"): (401, 422, 403, 422, 422, 422, 403, 422),  # no reason
    ("GET", "api.list_mentors"): every(200),
    ("POST", "api.create_mentor"): (401, 403, 403, 403, 409, 403, 403, 403),
    ("PATCH", "api.edit_mentor"): (401, 403, 403, 403, 422, 403, 403, 403),
    ("GET", "api.list_requests"): token(200),
    ("POST", "api.create_request"): token(422),
    ("GET", "api.get_request"): (401, *MATCH_VIEW[1:]),
    ("PATCH", "api.edit_request"): (401, 200, 404, 200, 409, 200, 404, 409),
    ("POST", "api.run"): (401, 403, 403, 403, 403, 422, 422, 422),
    ("GET", "api.get_run"): (401, 404, 404, 404, 404, 200, 404, 200),
    ("POST", "api.confirm_run"): (401, 404, 404, 404, 404, 200, 404, 200),
    ("POST", "api.discard_run"): (401, 404, 404, 404, 404, 409, 404, 409),
    ("GET", "api.list_matches"): token(200),
    ("POST", "api.propose"): token(422),
    ("GET", "api.get_match"): (401, 200, 404, 200, 200, 404, 404, 200),
    ("POST", "api.accept"): (401, 403, 404, 403, 409, 404, 404, 409),
    ("POST", "api.decline"): (401, 403, 404, 403, 422, 404, 404, 422),
    ("POST", "api.complete"): (401, 409, 404, 409, 200, 404, 404, 200),
    ("GET", "api.country_dashboard"): (401, *DASHBOARD_TR[1:]),
    # Registration: the world's activity takes none (409 says so); the organisers' pages
    # are LOG_A's people; a made-up registration token opens nothing.
    ("GET", "registrations.register"): every(409),
    ("POST", "registrations.register"): every(409),
    ("GET", "registrations.confirm"): every(404),
    ("POST", "registrations.confirm"): every(404),
    ("GET", "registrations.manage"): every(404),
    ("POST", "registrations.change"): every(404),
    ("POST", "registrations.cancel"): every(404),
    ("POST", "registrations.erase"): every(404),
    ("GET", "registrations.organiser_list"): LOG_A,
    ("GET", "registrations.export"): LOG_A,
    ("POST", "registrations.message"): (302, 422, 403, 422, 422, 422, 403, 422),
    ("GET", "registrations.sign_in_sheet"): LOG_A,
    ("GET", "registrations.feedback_form"): every(404),
    ("POST", "registrations.feedback_form"): every(404),
    ("GET", "registrations.country_feedback"): DASHBOARD_TR,
    ("GET", "registrations.check_in"): LOG_A,
    ("POST", "registrations.check_in"): LOG_A_REPORT,
    ("POST", "registrations.walk_in"): LOG_A_POST,
    ("POST", "api.register"): every(409),
    ("GET", "api.list_registrations"): (401, 200, 403, 200, 200, 200, 403, 200),
    ("PATCH", "api.change_registration"): every(404),
    ("POST", "api.cancel_registration"): every(404),
    ("POST", "api.record_attendance"): (401, 409, 403, 409, 409, 409, 403, 409),
    # Certificates: anyone checks a code ("collaboration" is none); the registrant's PDF
    # is opened by a made-up token; a match's names no school (?school=), so none is its.
    ("GET", "certificates.lookup"): every(200),
    ("GET", "certificates.verify"): every(404),
    ("GET", "certificates.attendance_pdf"): every(404),
    ("GET", "certificates.mentoring_pdf"): signed_in(404),
}


FILENAMES = {"static": "css/app.css", "bootstrap.static": "css/bootstrap.min.css"}


def _url_values(world, endpoint: str) -> dict[str, object]:
    # School member pages act on the mentor, so that the admin pages' removal of
    # member A earlier in the same sweep does not change their answer.
    member = "mentor" if endpoint.startswith("schools.") else "member_a"
    return {
        "code": "collaboration",
        "filename": FILENAMES.get(endpoint),
        "token": "not-a-real-token",
        "user_id": world.user_ids[member],
        "school_id": world.school_a,
        "period_id": world.period,
        "award_id": world.label_request,
        "activity_id": world.other_activity if endpoint == "activities.cancel" else world.activity,
        "fmt": "csv",
        "request_id": world.request,
        "match_id": world.match,
        "run_id": world.run,
        "mentor_id": world.mentor_profile,
        "table": "regions",
        "cc": "TR",
        "region_code": "TR-34",
        "token_id": 999999,
        "notification_id": 999999,
        "message_id": 999999,
        "job_id": 999999,
    }


def _routes(app) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, rule.endpoint, rule.rule))
    return routes


def test_every_route_has_an_entry(app):
    routes = {(method, endpoint) for method, endpoint, _ in _routes(app)}
    assert routes - MATRIX.keys() == set(), "routes without an expected status"
    assert MATRIX.keys() - routes == set(), "entries for routes that do not exist"


@pytest.mark.parametrize("principal", NAMES)
def test_each_principal_gets_the_expected_status_everywhere(app, make, db_session, principal):
    world = build_world(make, db_session)
    user_id = world.user_ids[principal]
    tokens = {principal: issue_token(db_session.get(User, user_id))} if user_id else {}
    db_session.commit()  # the token outlives the request contexts below
    column = NAMES.index(principal)
    failures = []
    for method, endpoint, _rule in _routes(app):
        with app.test_request_context():
            from flask import url_for

            arguments = {
                name: value
                for name, value in _url_values(world, endpoint).items()
                if name in app.url_map._rules_by_endpoint[endpoint][0].arguments
            }
            url = url_for(endpoint, **arguments)
        client = app.test_client()
        if endpoint.startswith("api."):
            # The API ignores cookies: the principal's own token, and an empty JSON object.
            headers = {"Authorization": f"Bearer {tokens[principal]}"} if user_id else {}
            body = {} if method in ("POST", "PATCH") else None
            with client.open(url, method=method, json=body, headers=headers) as response:
                status = response.status_code
        else:
            sign_in(client, db_session, user_id)
            with client.open(url, method=method, data={}) as response:
                status = response.status_code
        expected = MATRIX[method, endpoint][column]
        if status != expected:
            failures.append(f"{method} {url}: {status}, expected {expected}")
    assert failures == [], f"{principal}:\n" + "\n".join(failures)


#: A network-only activity of school A, with its online link: the network of the design's
#: roles (the staff of verified schools, coordinators, admins) sees it, nobody else does.
#            anon member_a member_b s.admin mentor coord_tr coord_ro admin outsider pending
NETWORK = (404, 200, 200, 200, 200, 200, 200, 200, 404, 404)
NETWORK_ONLY: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "activities.show"): NETWORK,
    ("GET", "api.get_event"): NETWORK,
    ("GET", "activities.edit"): (302, 200, 403, 200, 200, 200, 403, 200, 404, 404),
}
NETWORK_LISTS = ("/calendar/TR", "/schools/{school}", "/schools/{school}/activities",
                 "/api/v1/events?country=TR")  # fmt: skip
MEETING = "https://meet.example.org/network-only-room"


@pytest.mark.parametrize("principal", NAMES + OUTSIDERS)
def test_network_only_activities_are_for_the_network(app, make, db_session, principal):
    world = build_world(make, db_session)
    user_ids = {**world.user_ids, **build_outsiders(make)}
    school = db_session.get(School, world.school_a)
    activity = make.activity(school, title="Network-only planning day",
                             visibility=Visibility.NETWORK, mode=Mode.HYBRID,
                             location="Library", online_url=MEETING)  # fmt: skip
    user_id = user_ids[principal]
    token = issue_token(db_session.get(User, user_id)) if user_id else None
    db_session.commit()
    column = (NAMES + OUTSIDERS).index(principal)
    failures = []

    def get(url: str):
        client = app.test_client()
        if url.startswith("/api/"):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return client.get(url, headers=headers)
        sign_in(client, db_session, user_id)
        return client.get(url)

    for (_method, endpoint), statuses in NETWORK_ONLY.items():
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint, activity_id=activity.id)
        with get(url) as response:
            if response.status_code != statuses[column]:
                failures.append(f"{url}: {response.status_code}, expected {statuses[column]}")
            if response.status_code == 404 and MEETING in response.get_data(as_text=True):
                failures.append(f"{url}: the online link shows")
    for url in (pattern.format(school=school.id) for pattern in NETWORK_LISTS):
        with get(url) as response:
            listed = "Network-only planning day" in response.get_data(as_text=True)
        if listed != (NETWORK[column] == 200):
            failures.append(f"{url}: {'lists' if listed else 'does not list'} it")
    assert failures == [], f"{principal}:\n" + "\n".join(failures)
