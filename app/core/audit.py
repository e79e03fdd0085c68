"""Recording the audit trail. Entries are added to the current transaction, so a change
and its audit entry are written together or not at all. A failure (a wrong password, a
wrong code) is itself what must be kept: its entry is committed even though the request
answers with an error (:func:`app.core.transaction.keep_on_error`)."""

from __future__ import annotations

from flask import has_request_context, request

from app.core.extensions import db
from app.core.models import AuditEntry
from app.core.transaction import keep_on_error

_SECRET_WORDS = ("password", "token", "secret", "code")


def record(
    action: str,
    *,
    actor=None,
    outcome: str = "success",
    object_type: str | None = None,
    object_id: object = None,
    country_code: str | None = None,
    with_ip: bool = True,
    **details,
) -> AuditEntry:
    """Add an audit entry; details whose names suggest a secret are refused outright.

    ``with_ip=False`` leaves out the client's address: for entries about someone who has
    just erased their data (the record that they did must not keep where from)."""
    for key in details:
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise ValueError(f"audit details must not hold secrets ({key})")
    entry = AuditEntry(
        actor_id=actor.id if actor is not None and getattr(actor, "id", None) else None,
        ip=request.remote_addr if with_ip and has_request_context() else None,
        action=action,
        outcome=outcome,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        country_code=country_code,
        details=details,
    )
    db.session.add(entry)
    if outcome != "success":
        keep_on_error()
    return entry
