"""Updates mailed as they happen (``app.core.notify``): with their unsubscribe link, and
not mailed to who wants none; the in-app notification stays."""

from __future__ import annotations

from app.core.extensions import db
from app.core.models import Notification
from app.core.notify import notify
from app.notifications.enums import Frequency, Kind
from app.notifications.operations import preferences, set_preferences


def _approve(school, user) -> None:
    notify([user], "school.join_approved", {"school": school.id}, "join_approved", school=school)
    db.session.commit()


def test_an_update_carries_its_unsubscribe_link_and_respects_it(app_ctx, make, client, outbox):
    school = make.school("NO", name="Bodø skole")
    user = make.user("laerer@bodo.example", locale="nb")
    _approve(school, user)
    [update] = outbox
    link = update["List-Unsubscribe"].strip("<>")
    assert update["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    outbox.clear()

    assert client.post(link.removeprefix("http://localhost")).status_code == 200
    assert preferences(user.id)[Kind.UPDATES] == Frequency.NEVER
    _approve(school, user)
    assert outbox == []
    assert db.session.query(Notification).filter_by(user_id=user.id).count() == 2

    set_preferences(user.id, {Kind.UPDATES: Frequency.IMMEDIATELY})
    _approve(school, user)
    assert [m["To"] for m in outbox] == ["laerer@bodo.example"]
