"""The eTwinning School label is a verified fact: a school admin asks for it, a coordinator
of the school's country verifies or refuses it (with a reason), every request and decision
stays in the label history, an import never erases it, and only a valid, verified label
(or ambassador status) makes a school's teachers eligible as mentors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.accounts.enums import MembershipRole
from app.accounts.models import Membership, User
from app.accounts.operations import issue_token
from app.core.school_years import school_year_label, school_year_of
from app.mentoring import operations as mentoring
from app.mentoring import pool
from app.mentoring.operations import NotAllowedNow
from app.schools.enums import LabelSource, LabelStatus
from app.schools.models import LabelAward, School
from tests.api.helpers import body, call, error, invalid
from tests.schools.test_school_import import TODAY, csv_bytes, run
from tests.schools.test_schools import audit, login, page, post
from tests.support.mentoring import add_mentor, add_request

THIS_YEAR = school_year_of(datetime.now(UTC).date())


@pytest.fixture
def school(make, db_session):
    school = make.school("TR", name="Etiketli Lise")
    make.member(school, MembershipRole.ADMIN, email="admin@example.org")
    make.user("coord.tr@example.org", role="coordinator", countries=("TR",))
    make.user("coord.ro@example.org", role="coordinator", countries=("RO",))
    db_session.commit()
    return school


def awards(session, school_id: int) -> list[tuple]:
    session.expire_all()
    return [
        (a.award_year, a.status.value, a.source.value, a.decision_reason)
        for a in session.scalars(
            select(LabelAward).where(LabelAward.school_id == school_id).order_by(LabelAward.id)
        )
    ]


def test_a_school_admin_asks_and_a_coordinator_verifies(app, db_session, school, outbox):
    school_id = school.id
    admin = login(app, "admin@example.org")
    assert "Ask for label verification" in page(admin, f"/schools/{school_id}")

    status, location, _body = post(admin, f"/schools/{school_id}/label", {"year": THIS_YEAR})

    assert (status, location) == (302, f"/schools/{school_id}")
    assert awards(db_session, school_id) == [(THIS_YEAR, "requested", "request", "")]
    assert db_session.get(School, school_id).label_year is None  # not before it is verified
    waiting = page(admin, f"/schools/{school_id}")
    assert "is waiting for the coordinator's verification" in waiting
    queue = page(login(app, "coord.tr@example.org"), "/coordination")
    assert "Etiketli Lise" in queue
    assert school_year_label(THIS_YEAR) in queue
    assert "Etiketli Lise" not in page(login(app, "coord.ro@example.org"), "/coordination")
    award_id = db_session.scalar(select(LabelAward.id))

    status, _location, _body = post(
        login(app, "coord.tr@example.org"), f"/label-requests/{award_id}", {"approve": "1"}
    )

    assert status == 302
    assert awards(db_session, school_id) == [(THIS_YEAR, "verified", "request", "")]
    award = db_session.get(LabelAward, award_id)
    coordinator = db_session.scalar(select(User).filter_by(email="coord.tr@example.org"))
    assert award.decided_by_id == coordinator.id
    assert award.decided_at is not None
    assert db_session.get(School, school_id).label_year == THIS_YEAR
    assert [e.action for e in audit(db_session, "label.request")] == ["label.request"]
    assert [e.actor_id for e in audit(db_session, "label.verify")] == [coordinator.id]
    [mail] = outbox
    assert mail["To"] == "admin@example.org"
    assert "verified" in mail["Subject"]
    assert "eTwinning School label" in page(admin, f"/schools/{school_id}")


def test_a_refusal_needs_a_reason_and_is_kept_in_the_history(app, db_session, school):
    award = LabelAward(school_id=school.id, award_year=THIS_YEAR)
    db_session.add(award)
    db_session.commit()
    award_id, school_id = award.id, school.id
    coordinator = login(app, "coord.tr@example.org")

    post(coordinator, f"/label-requests/{award_id}", {"reject": "1", "reason": " "})
    assert awards(db_session, school_id)[0][1] == "requested"

    post(coordinator, f"/label-requests/{award_id}", {"reject": "1", "reason": "No award found."})
    assert awards(db_session, school_id) == [(THIS_YEAR, "refused", "request", "No award found.")]
    assert db_session.get(School, school_id).label_year is None
    history = page(login(app, "admin@example.org"), f"/schools/{school_id}")
    assert "No award found." in history
    assert post(login(app, "coord.ro@example.org"), f"/label-requests/{award_id}", {})[0] == 403


def test_the_school_form_no_longer_sets_the_label(app, db_session, school):
    school_id = school.id
    form = {"name": "Etiketli Lise", "region": school.region_code, "label_year": str(THIS_YEAR)}
    status, _location, _body = post(
        login(app, "admin@example.org"), f"/schools/{school_id}/edit", form
    )
    assert status == 302
    db_session.expire_all()
    assert db_session.get(School, school_id).label_year is None
    assert 'name="label_year"' not in page(
        login(app, "admin@example.org"), f"/schools/{school_id}/edit"
    )


def test_the_api_asks_and_decides_and_refuses_to_set_the_label_directly(
    app, client, db_session, school
):
    users = {u.email: u for u in db_session.scalars(select(User))}
    admin = issue_token(users["admin@example.org"])
    coordinator = issue_token(users["coord.tr@example.org"])
    db_session.commit()

    patched = call(
        client, "PATCH", f"schools/{school.id}", token=coordinator, json={"label_year": THIS_YEAR}
    )
    assert "label_year" in invalid(patched)
    asked = body(
        call(
            client,
            "POST",
            f"schools/{school.id}/label-requests",
            token=admin,
            json={"year": THIS_YEAR},
        ),
        201,
    )
    assert (asked["year"], asked["status"]) == (THIS_YEAR, "requested")
    again = call(
        client, "POST", f"schools/{school.id}/label-requests", token=admin,
        json={"year": THIS_YEAR - 1}, headers={"Accept-Language": "en"},
    )  # fmt: skip
    assert "already waiting" in error(again, 409)["message"]
    too_old = call(
        client, "POST", f"schools/{school.id}/label-requests", token=admin, json={"year": 2001}
    )
    assert "year" in invalid(too_old)
    url = f"label-requests/{asked['id']}/decision"
    assert "reason" in invalid(
        call(client, "POST", url, token=coordinator, json={"outcome": "refused"})
    )
    assert call(client, "POST", url, token=admin, json={"outcome": "verified"}).status_code == 403
    decided = body(call(client, "POST", url, token=coordinator, json={"outcome": "verified"}))
    assert decided["status"] == "verified"
    assert body(call(client, "GET", f"schools/{school.id}"))["label_year"] == THIS_YEAR
    twice = call(client, "POST", url, token=coordinator, json={"outcome": "verified"})
    assert error(twice, 409)


HEADER = "external_id;name;country;region;label_year"


def test_an_import_never_erases_a_label_and_a_value_is_a_verified_award(app_ctx, db_session, make):
    coordinator = make.user(role="coordinator", countries=("TR",))
    latest = school_year_of(TODAY)
    first = run(
        csv_bytes(f"TR-1;Okul;TR;TR-34;{latest - 1}", header=HEADER),
        allowed={"TR"},
        importer_id=coordinator.id,
    )
    assert first.created == 1
    school = db_session.scalar(select(School).filter_by(external_id="TR-1"))
    assert school.label_year == latest - 1
    assert awards(db_session, school.id) == [(latest - 1, "verified", "import", "")]

    empty = run(csv_bytes("TR-1;Okul;TR;TR-34;", header=HEADER), allowed={"TR"})
    assert (empty.updated, empty.unchanged) == (0, 1)
    assert db_session.get(School, school.id).label_year == latest - 1  # an empty cell: kept

    newer = run(
        csv_bytes(f"TR-1;Okul;TR;TR-34;{latest}", header=HEADER), importer_id=coordinator.id
    )
    older = run(csv_bytes("TR-1;Okul;TR;TR-34;2019", header=HEADER), importer_id=coordinator.id)
    again = run(csv_bytes("TR-1;Okul;TR;TR-34;2019", header=HEADER), importer_id=coordinator.id)

    assert (newer.updated, older.updated, again.unchanged) == (1, 1, 1)
    assert db_session.get(School, school.id).label_year == latest  # the latest award
    assert sorted(awards(db_session, school.id)) == [
        (2019, "verified", "import", ""),
        (latest - 1, "verified", "import", ""),
        (latest, "verified", "import", ""),
    ]
    award = db_session.scalar(select(LabelAward).filter_by(award_year=2019))
    assert (award.decided_by_id, award.source) == (coordinator.id, LabelSource.IMPORT)


# Who may mentor --------------------------------------------------------------------------


@pytest.fixture
def mentors(make, db_session):
    """Three mentors of labelled schools and one whose label has expired."""
    labelled = make.school("TR", label_year=THIS_YEAR)
    expired = make.school("TR", label_year=THIS_YEAR - 2)
    found = {
        "eligible": add_mentor(make, db_session, labelled),
        "expired": add_mentor(make, db_session, expired),
        "removed": add_mentor(make, db_session, labelled),
        "deactivated": add_mentor(make, db_session, labelled),
    }
    db_session.delete(db_session.get(Membership, (found["removed"].user_id, labelled.id)))
    db_session.get(User, found["deactivated"].user_id).active = False
    db_session.commit()
    return found


def test_only_eligible_mentors_are_matched_or_proposed(app_ctx, db_session, make, mentors):
    today = datetime.now(UTC).date()
    assert [m.id for m, _held in pool.free_mentors("TR", today)] == [mentors["eligible"].id]
    request = add_request(db_session, make.school("TR"))
    actor = make.user(role="admin")
    for name in ("expired", "removed", "deactivated"):
        with pytest.raises(NotAllowedNow):
            mentoring.propose(request, mentors[name], actor)
    assert (
        mentoring.propose(request, mentors["eligible"], actor).mentor_id == mentors["eligible"].id
    )


def test_a_deactivated_teacher_cannot_offer_mentoring(app_ctx, db_session, mentors):
    from app import policy

    user = db_session.get(User, mentors["deactivated"].user_id)
    school = db_session.get(School, mentors["deactivated"].school_id)
    assert not policy.can_offer_mentoring(user, school, datetime.now(UTC).date())
    user.active = True
    assert policy.can_offer_mentoring(user, school, datetime.now(UTC).date())
    assert LabelStatus.VERIFIED.label  # translated labels exist for the history
