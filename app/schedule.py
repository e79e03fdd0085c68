"""What runs periodically: one line per job, read by ``celery beat`` (run it once).

Each entry names a function ``module:name`` that takes ``now`` (UTC) and works from the
database; it runs in a transaction of its own on the queue given (housekeeping unless
said otherwise). Reminders and digests are computed this way, never as delayed tasks.
"""

from datetime import timedelta

from app.core.jobs import Periodic

SCHEDULE = [
    Periodic("app.core.outbox:sweep", timedelta(minutes=1)),
    # Jobs whose task was lost run again; expired jobs are forgotten with their files.
    Periodic("app.jobs.operations:sweep", timedelta(minutes=5)),
    # Reminders and digests: each is sent once per subject and period, so running often
    # only makes them timely.
    Periodic("app.notifications.reminders:send_due", timedelta(minutes=15)),
    # Attendees are asked for their feedback once the activity is reported as held.
    Periodic("app.registrations.feedback:ask_due", timedelta(minutes=15)),
    # Registrants' names and addresses, a retention period after their activity.
    Periodic("app.registrations.privacy:anonymise_past", timedelta(hours=6)),
]
