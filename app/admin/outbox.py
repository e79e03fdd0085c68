"""The outbox as the admin sees it: what is waiting, what was sent, what failed and why."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core.extensions import db
from app.core.models import OutboxMessage

#: Each state of a message, as the page names it.
STATUS_LABELS = {
    "pending": _l("Waiting"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
}


def status_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in STATUS_LABELS}


def kinds() -> list[str]:
    return [
        kind
        for kind in db.session.scalars(
            select(OutboxMessage.kind).distinct().order_by(OutboxMessage.kind)
        )
        if kind
    ]


def filtered(status: str | None, kind: str | None, address: str | None):
    query = select(OutboxMessage)
    if status in STATUS_LABELS:
        query = query.where(OutboxMessage.status == status)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if address:
        query = query.where(OutboxMessage.to_address.contains(address.lower(), autoescape=True))
    return query
