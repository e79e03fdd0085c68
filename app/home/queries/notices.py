"""A user's notifications: the unread count for the bell, and the list, newest first."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.extensions import db
from app.core.models import Notification
from app.core.pagination import Page, paginate
from app.mentoring.models import Match, MentoringRequest
from app.schools.models import AmbassadorPeriod, LabelAward, School


def unread_count(user_id: int) -> int:
    """One count over the (user_id, read_at) index."""
    query = select(func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return db.session.scalar(query) or 0


def page(user_id: int, cursor: str | None, per_page: int) -> Page:
    """Newest first, by id over the (user_id, id) index."""
    query = select(Notification).where(Notification.user_id == user_id)
    return paginate(query, [Notification.id], cursor, per_page, descending=True)


def own(user_id: int, notification_id: int) -> Notification | None:
    """The user's notification of that id; None for someone else's, as for none at all."""
    found = db.session.get(Notification, notification_id)
    return found if found is not None and found.user_id == user_id else None


def _named(key: str, ids: set[int]) -> list[tuple[int, int | None, str]]:
    """For each id of objects of ``key``: its school's id and name (a user: their name)."""
    queries = {
        "school": select(School.id, School.id, School.name),
        "user": select(User.id, None, User.name),
        "match": select(Match.id, School.id, School.name)
        .join(MentoringRequest, Match.request_id == MentoringRequest.id)
        .join(School, MentoringRequest.school_id == School.id),
        "period": select(AmbassadorPeriod.id, School.id, School.name).join(School),
        "award": select(LabelAward.id, School.id, School.name).join(School),
    }
    query = queries[key]
    column = query.selected_columns[0]
    return [tuple(row) for row in db.session.execute(query.where(column.in_(ids)))]


SUBJECTS = ("school", "user", "match", "period", "award")


def subjects(notifications: list[Notification]) -> dict[tuple[str, int], tuple[int | None, str]]:
    """What the texts of these notifications mention, by (payload key, id): the school's id
    and name (a user's name). One query
    per kind of object on the page, never one per notification."""
    wanted: dict[str, set[int]] = {key: set() for key in SUBJECTS}
    for notification in notifications:
        payload = notification.payload if isinstance(notification.payload, dict) else {}
        for key in SUBJECTS:
            value = payload.get(key)
            if type(value) is int:
                wanted[key].add(value)
    names = {}
    for key, ids in wanted.items():
        if ids:
            names.update({(key, ident): (school, name) for ident, school, name in _named(key, ids)})
    return names
