"""The kinds of long work, each a function ``module:name(job, progress) -> Outcome``.

The function runs on a worker inside the job's transaction, in the job's language; what
it writes is committed together with the job's result, or not at all. ``progress(done,
total)`` tells the page how far it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    function: str
    #: What the job page calls it.
    title: object
    #: The part of the job page that shows the result.
    template: str
    #: How long the job, its file and its result are kept after it was started.
    keep: timedelta


KINDS = {
    "schools.check": Kind(
        "app.schools.import_jobs:check",
        _l("Checking a file of schools"),
        "schools/_import_job.html",
        timedelta(hours=1),
    ),
    "schools.import": Kind(
        "app.schools.import_jobs:write",
        _l("Importing schools"),
        "schools/_import_job.html",
        timedelta(days=7),
    ),
    "activities.export": Kind(
        "app.activities.exporting:run_job",
        _l("Exporting activities"),
        "activities/_export_job.html",
        timedelta(hours=24),
    ),
}
