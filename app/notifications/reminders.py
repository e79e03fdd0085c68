"""The periodic run: every reminder due, the digests, and proposals that expire.

``send_due`` is meant to run once a day (``flask notifications send-due`` from cron, or
a periodic task); running it more often, or twice at once, sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from app.core.extensions import db
from app.mentoring import runs
from app.notifications import digests, queries
from app.notifications.enums import DAILY_DIGEST, WEEKLY_DIGEST, Frequency, Kind
from app.notifications.operations import deliver

#: The day of the week (Monday) of the weekly digests.
WEEKLY_ON = 0


def send_due(now: datetime) -> dict[str, int]:
    """Decide and queue every reminder due at ``now``; the count per kind. The caller
    commits: the log rows and their mail go together, or not at all."""
    today = now.date()
    counts = {kind.value: 0 for kind in Kind}
    for due in queries.candidates(today):
        rows = db.session.execute(queries.due(due.kind, due.query)).all()
        counts[due.kind.value] += deliver(due.kind, rows, now)
    # Proposals unanswered for MATCHING_PROPOSAL_DAYS go back to matching.
    counts["proposal_expired"] = runs.expire_proposals(now)[0]
    counts[DAILY_DIGEST] = digests.send_digests(Frequency.DAILY, now)
    counts[WEEKLY_DIGEST] = 0
    if today.weekday() == WEEKLY_ON:
        counts[WEEKLY_DIGEST] = digests.send_digests(Frequency.WEEKLY, now)
        counts[Kind.COORDINATOR_DIGEST.value] = digests.coordinator_digest(now)
    return counts
