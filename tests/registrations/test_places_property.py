"""Random sequences of register / confirm / cancel / change / raise the capacity: the
operations always arrive where the plain model of the design does, and after every step
the confirmed people fit the capacity, the waiting list is in order and no one is lost."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.activities import operations as activities
from app.activities.enums import ActivityType, RegistrationMode
from app.activities.models import Activity
from app.activities.operations import ActivityData
from app.core.enums import Mode
from app.core.errors import Refused
from app.core.extensions import db
from app.registrations import operations as registrations
from app.registrations.enums import RegistrationStatus
from app.registrations.models import Registration
from app.registrations.operations import RegistrationData
from app.registrations.places import places, position, waiting_list
from tests.support.registrations import Model, soon

PEOPLE = st.integers(min_value=1, max_value=4)
STEP = st.one_of(
    st.tuples(st.just("register"), PEOPLE),
    st.tuples(st.just("confirm"), st.integers(0, 30)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("change"), st.integers(0, 30), PEOPLE),
    st.tuples(st.just("raise"), st.integers(1, 3)),
)


def _check(activity_id: int, model: Model) -> None:
    db.session.expire_all()
    rows = db.session.scalars(
        select(Registration).where(Registration.activity_id == activity_id)
    ).all()
    assert {row.id: row.status.value for row in rows} == model.statuses()  # no one lost
    activity = db.session.get(Activity, activity_id)
    now = places(activity_id, activity.capacity)
    assert now.taken <= activity.capacity
    waiting = waiting_list(activity_id)
    assert [row.id for row in waiting] == model.waiting()  # in the order they confirmed
    assert [position(row) for row in waiting] == list(range(1, len(waiting) + 1))
    if waiting:  # the head waits only because it does not fit
        assert waiting[0].people > activity.capacity - now.taken


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=25), capacity=st.integers(1, 6))
def test_the_places_follow_the_model(app, make, steps, capacity):
    school = make.school("TR")
    staff = make.member(school)
    activity = make.activity(
        school, starts_at=soon(24 * 7), registration=RegistrationMode.OPEN, capacity=capacity
    )
    data = ActivityData(
        type=ActivityType.OPEN_DAY, title=activity.title, starts_at=activity.starts_at,
        ends_at=activity.ends_at, mode=Mode.IN_PERSON, location="Kadıköy",
        pillars=["models_for_other_schools"], registration=RegistrationMode.OPEN,
    )  # fmt: skip
    activity_id, model, ids = activity.id, Model(capacity), []
    with app.test_request_context():
        for number, step in enumerate(steps):
            activity = db.session.get(Activity, activity_id)
            kind = step[0]
            if kind == "register":
                person = RegistrationData(
                    name=f"Teacher {number}", email=f"t{number}@example.org", people=step[1],
                    school_name="Yeni Okul", country_code="TR", region_code="TR-34",
                )  # fmt: skip
                registration = registrations.register(activity, person, "tr")
                ids.append(registration.id)
                model.register(registration.id, step[1])
            elif ids and kind in ("confirm", "cancel", "change"):
                registration_id = ids[step[1] % len(ids)]
                registration = db.session.get(Registration, registration_id)
                if kind == "confirm":
                    try:
                        registrations.confirm(registration)
                    except Refused:
                        assert registration.status is RegistrationStatus.CANCELLED
                    model.confirm(registration_id)
                elif kind == "cancel":
                    registrations.cancel(registration)
                    model.cancel(registration_id)
                else:
                    try:
                        registrations.change_people(registration, step[2])
                        changed = True
                    except Refused:
                        changed = False
                    assert changed == model.change(registration_id, step[2])
            elif kind == "raise":
                wanted = replace(data, capacity=model.capacity + step[1])
                activities.update_activity(activity, wanted, staff, activity.version)
                model.raise_capacity(step[1])
            db.session.commit()
            _check(activity_id, model)
