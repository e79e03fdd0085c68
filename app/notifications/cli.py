"""``flask notifications send-due``: the reminders and digests due now (cron, daily)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.database import utcnow
from app.core.transaction import command_transaction
from app.notifications.reminders import send_due

notifications_cli = AppGroup("notifications", help="Reminders and digests.")


@notifications_cli.command("send-due")
@click.option("--now", "moment", type=click.DateTime(), help="Run as if it were this moment (UTC).")
@command_transaction
def send_due_command(moment: datetime | None) -> None:
    """Send every reminder and digest due, once each; safe to run again."""
    if not (current_app.config.get("PUBLIC_URL") or current_app.config.get("SERVER_NAME")):
        raise click.UsageError("Set FLASK_PUBLIC_URL: mails link to the site's public address.")
    now = moment.replace(tzinfo=UTC) if moment else utcnow()
    counts = send_due(now)
    for kind, count in counts.items():
        click.echo(f"{kind}: {count}")
