"""The user's rights over their data: a complete export, and erasure.

Both walk the schema instead of a hand-kept list, so a table added later is
covered without anyone remembering to: every row that points at the user through
a foreign key is exported; on erasure the database's own ON DELETE rules remove
what belongs to the user alone (memberships, tokens, notifications, mentor profile)
and detach what must stay (activities keep "former member", matches keep "former
mentor", the audit trail keeps the action without the actor).
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, select, update

from app.accounts.models import User
from app.core.database import checkpoint_after_commit
from app.core.extensions import db
from app.core.models import AuditEntry, OutboxMessage
from app.jobs.models import Job
from app.mentoring.operations import mentor_leaves
from app.registrations.models import Registration
from app.registrations.privacy import erase as erase_registration
from app.registrations.privacy import registrations_of
from app.schools.models import School

#: Columns never exported, even to their owner.
SECRET_COLUMNS = {"password_hash", "totp_secret", "totp_pending_secret", "token_hash"}


def _user_references() -> list[tuple[Table, Any]]:
    """Every (table, column) with a foreign key to ``user.id``."""
    references = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "user" for fk in column.foreign_keys):
                references.append((table, column))
    return references


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):  # a file the user uploaded or downloaded (a job's)
        return base64.b64encode(value).decode("ascii")
    return value


def _row(table: Table, row) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row._mapping.items() if key not in SECRET_COLUMNS}


def export_user_data(user: User) -> dict[str, Any]:
    """Everything stored about ``user``, grouped by table, as JSON-ready data."""
    user_table = User.__table__
    data: dict[str, Any] = {
        "user": _row(user_table, db.session.execute(select(user_table).filter_by(id=user.id)).one())
    }
    for table, column in _user_references():
        rows = db.session.execute(select(table).where(column == user.id)).all()
        if rows:
            key = table.name if column.name == "user_id" else f"{table.name}.{column.name}"
            data[key] = [_row(table, row) for row in rows]
    contacts = db.session.execute(
        select(School.id, School.name, School.contact_name, School.contact_email).where(
            School.contact_email == user.email
        )
    ).all()
    if contacts:
        data["school_contact"] = [dict(row._mapping) for row in contacts]
    registered = registrations_of(user.email)
    if registered:
        table = Registration.__table__
        data["registration"] = [
            _row(table, row)
            for row in db.session.execute(
                select(table).where(table.c.id.in_([r.id for r in registered]))
            )
        ]
    return data


def erase_user(user: User) -> None:
    """Delete the account; shared records stay, without the person. Flushes.

    A mentor's matches are not theirs alone: they stay with the schools, as the work of
    a former mentor, and the requests a running mentoring served go back to matching.
    """
    mentor_leaves(user.id)
    # Registrations made with the address (with or without signing in): the places go to
    # the waiting lists, the counts stay.
    for registration in registrations_of(user.email):
        erase_registration(registration)
    db.session.execute(
        update(School)
        .where(School.contact_email == user.email)
        .values(contact_name=None, contact_email=None)
    )
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id).values(ip=None))
    # Their jobs go with them, with the files they uploaded and the ones made for them.
    db.session.execute(delete(Job).where(Job.user_id == user.id))
    # Mail to the address that is not on its way any more (sent or failed) goes with it.
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.to_address == user.email, OutboxMessage.status.in_(("sent", "failed"))
        )
    )
    db.session.delete(user)
    db.session.flush()
    checkpoint_after_commit(db.session)
