"""``flask pillars load``: store the five pillars from the mission texts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.transaction import command_transaction

pillars_cli = AppGroup("pillars", help="The five pillars of the eTwinning School mission.")


@pillars_cli.command("load")
@command_transaction
def pillars_load() -> None:
    """Store the pillars' titles, paragraphs and short labels in every language."""
    from app.mission.loading import load_pillars

    count = load_pillars()
    click.echo(f"{count} pillars loaded in every language")
