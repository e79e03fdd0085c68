"""``flask jobs …``: the outbox from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.core import outbox
from app.core.database import utcnow
from app.core.extensions import db
from app.core.models import OutboxMessage
from app.core.transaction import command_transaction

jobs_cli = AppGroup("jobs", help="Background jobs and the outbox.")


@jobs_cli.command("sweep")
@command_transaction
def sweep() -> None:
    """Send the outbox messages that are due (to the workers, or here without a broker)."""
    count = outbox.sweep(utcnow())
    click.echo(f"{count:,} message(s) due")


@jobs_cli.command("status")
def status() -> None:
    """How many outbox messages are pending, being sent, sent and failed."""
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    for name in outbox.STATUSES:
        click.echo(f"{name:8} {counts.get(name, 0):,}")
