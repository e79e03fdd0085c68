"""A job someone started: what it does, for whom, how far it is and what came of it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import personal, utcnow
from app.core.extensions import db


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """One run of a kind of long work (:data:`app.jobs.kinds.KINDS`).

    The page that started it shows it at ``/jobs/<token>``: the token is the only way in
    for a job started without an account (a public export), and a job started by a user
    is shown to that user only. ``input`` is the uploaded file, ``output`` the file to
    download; both are kept in the database, so any worker on any machine can run the job
    and any web server can hand out the result, until ``expires_at``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    #: The language the job writes its result and its file in.
    locale: Mapped[str] = mapped_column(String(8))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    input: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, info=personal())
    result: Mapped[dict | None] = mapped_column(JSON)
    #: Why the last attempt failed, for the admin (the page says it in the user's words).
    error: Mapped[str | None] = mapped_column(Text)
    output: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    output_name: Mapped[str | None] = mapped_column(String(200))
    output_type: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
