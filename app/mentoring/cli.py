"""``flask mentoring expire``: proposals nobody answered in time expire (no job engine
needed: a run does the same for its country before it matches, and cron can call this)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.database import utcnow
from app.core.transaction import command_transaction
from app.mentoring import runs

mentoring_cli = AppGroup("mentoring", help="Mentoring proposals and matching runs.")


@mentoring_cli.command("expire")
@command_transaction
def expire() -> None:
    """Let proposals unanswered for MATCHING_PROPOSAL_DAYS expire, and discard drafts
    nobody confirmed in that time; their requests go back to matching."""
    expired, drafts = runs.expire_proposals(utcnow())
    click.echo(f"{expired} proposals expired, {drafts} draft runs discarded")
