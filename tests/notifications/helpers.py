"""What the reminder run sends, for the tests of its kinds."""

from __future__ import annotations

from datetime import datetime

from app.core.extensions import db
from app.notifications.reminders import send_due


def run_due(now: datetime, outbox) -> list:
    """Run the reminders at ``now`` and commit; the messages sent (the outbox emptied)."""
    send_due(now)
    db.session.commit()
    sent = list(outbox)
    outbox.clear()
    return sent
