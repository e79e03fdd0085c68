"""Two simultaneous edits of the same version that change only pillars: one is saved, the
other is a conflict (409 on the page and in the API), and the links never merge.

An edit that changes only links writes no column of the activity's own row; its version
is bumped all the same (app.activities.versioning), and the row is locked before the
links are replaced (app.activities.operations.lock). Real threads on a database of their
own (see tests/mentoring/test_mentoring_concurrency.py), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.operations import issue_token
from app.activities.enums import ActivityStatus
from app.activities.models import Activity, ActivityLanguage
from app.activities.operations import ActivityConflict, ActivityData, update_activity
from app.core.database import begin_write
from app.core.extensions import db
from tests.activities.test_activities import form_values
from tests.dashboards.test_activity_facts import expected, stored
from tests.factories import Factories
from tests.mentoring.test_mentoring_concurrency import isolated_app  # noqa: F401 - the fixture
from tests.principals import sign_in
from tests.support.threads import at_once

START = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=20)
EDITS = (["collaboration"], ["shared_leadership"])  # each replaces models_for_other_schools


def _world(app, status=ActivityStatus.PLANNED) -> tuple[int, int]:
    """A member of a school and one of its activities (pillar: models_for_other_schools)."""
    with app.app_context():
        make = Factories(db.session)
        school = make.school("TR")
        user = make.member(school)
        held = status is ActivityStatus.HELD
        starts = START - timedelta(days=40) if held else START
        activity = make.activity(
            school,
            starts_at=starts,
            location="Main hall",
            status=status,
            participants_teachers=5 if held else None,
            languages=[ActivityLanguage(language="tr")],
            created_by_id=user.id,
            updated_by_id=user.id,  # the same editor again: no column of the row changes
        )
        ids = user.id, activity.id
        db.session.remove()
        return ids


def _at_once(calls: list[Callable[[], int]]) -> list[int]:
    return sorted(at_once(calls))


def _pillars_and_version(app, activity_id: int) -> tuple[list[str], int]:
    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        found = (activity.pillar_codes, activity.version)
        db.session.remove()
        return found


def test_two_pillar_only_edits_on_the_page_one_saved_one_conflict(isolated_app):  # noqa: F811
    user_id, activity_id = _world(isolated_app)
    url = f"/activities/{activity_id}/edit"
    clients, forms = [], []
    with isolated_app.app_context():
        for pillars in EDITS:
            client = isolated_app.test_client()
            sign_in(client, db.session, user_id)
            form = form_values(client.get(url).get_data(as_text=True))
            assert form["version"] == "1"
            clients.append(client)
            forms.append({**form, "pillars": pillars})
        db.session.remove()

    def post(client, form) -> Callable[[], int]:
        return lambda: client.post(url, data=form).status_code

    answers = _at_once([post(c, f) for c, f in zip(clients, forms, strict=True)])

    assert answers == [302, 409]
    pillars, version = _pillars_and_version(isolated_app, activity_id)
    assert pillars in EDITS  # one edit's pillars, never both
    assert version == 2


def test_two_pillar_only_edits_in_the_api_one_saved_one_conflict(isolated_app):  # noqa: F811
    user_id, activity_id = _world(isolated_app)
    with isolated_app.app_context():
        token = issue_token(db.session.get(User, user_id), "editing")
        db.session.commit()
        db.session.remove()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def patch(pillars) -> Callable[[], int]:
        client = isolated_app.test_client()
        body = {"pillars": pillars, "version": 1}
        return lambda: (
            client.patch(f"/api/v1/events/{activity_id}", json=body, headers=headers).status_code
        )

    answers = _at_once([patch(pillars) for pillars in EDITS])

    assert answers == [200, 409]
    pillars, version = _pillars_and_version(isolated_app, activity_id)
    assert pillars in EDITS
    assert version == 2


def test_two_pillar_only_edits_of_a_held_activity_keep_the_summaries_true(
    isolated_app,  # noqa: F811
):
    user_id, activity_id = _world(isolated_app, ActivityStatus.HELD)

    def edit(pillars) -> Callable[[], int]:
        def call() -> int:
            with isolated_app.app_context():
                begin_write(db.session)  # SQLite: writers queue; PostgreSQL: nothing
                actor = db.session.get(User, user_id)
                activity = db.session.get(Activity, activity_id)
                data = ActivityData(
                    type=activity.type,
                    title=activity.title,
                    starts_at=activity.starts_at,
                    ends_at=activity.ends_at,
                    mode=activity.mode,
                    location=activity.location,
                    languages=["tr"],
                    pillars=pillars,
                )
                try:
                    update_activity(activity, data, actor, expected_version=1)
                except ActivityConflict:
                    return 409
                finally:
                    if db.session.is_active:
                        db.session.commit()
                    db.session.remove()
                return 200

        return call

    assert _at_once([edit(pillars) for pillars in EDITS]) == [200, 409]
    with isolated_app.app_context():
        assert stored(db.session) == expected(db.session)
        pillar_rows = db.session.execute(
            sa.text("SELECT pillar_code, activities FROM pillar_summary")
        ).all()
        assert sorted({count for _code, count in pillar_rows}) == [1]  # never 2, never below 1
        assert len(pillar_rows) == 2  # the winner's pillar, a day row and a month row
        db.session.remove()
