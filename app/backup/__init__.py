"""Backups and restores that prove themselves: ``flask backup PATH`` and ``flask restore PATH``.

SQLite is copied with the online backup API while writes go on; PostgreSQL with
``pg_dump`` / ``pg_restore``. Either way the row count and a SHA-256 of every
table are written to a manifest beside the backup and checked again after a
restore (``checksums.py``, ``manifest.py``).
"""


class BackupError(Exception):
    """A backup or a restore that cannot go ahead, or whose checks failed."""

    def __init__(self, message: str, checks: list | None = None) -> None:
        super().__init__(message)
        #: The per-table comparison that failed, when there is one to show.
        self.checks = checks or []
