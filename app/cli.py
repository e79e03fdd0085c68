"""Command-line interface: ``flask --app wsgi <group> <command>``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.core.extensions import db

regions_cli = AppGroup("regions", help="ISO 3166-2 regions from pycountry.")
pillars_cli = AppGroup("pillars", help="The five pillars of the eTwinning School mission.")


@regions_cli.command("load")
@click.argument("countries", nargs=-1, required=True)
def regions_load(countries: tuple[str, ...]) -> None:
    """Load the subdivisions of COUNTRIES (ISO 3166-1 alpha-2 codes)."""
    from app.geography.regions import UnknownCountry, load_regions

    def report(code: str, count: int) -> None:
        click.echo(f"{code}: {count} regions")

    try:
        load_regions(list(countries), progress=report)
    except UnknownCountry as error:
        db.session.rollback()
        raise click.BadParameter(f"unknown country code {error}", param_hint="COUNTRIES") from None
    db.session.commit()


@pillars_cli.command("load")
def pillars_load() -> None:
    """Store the pillars' titles, paragraphs and short labels in every language."""
    from app.mission.loading import load_pillars

    count = load_pillars()
    db.session.commit()
    click.echo(f"{count} pillars loaded in every language")


def register(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.backup.cli import backup_command, restore_command
    from app.core.translations import translations_cli
    from app.dashboards.rebuild import summaries_cli
    from app.demo.cli import demo_command
    from app.schools.cli import import_cli

    for command in (
        regions_cli,
        pillars_cli,
        translations_cli,
        users_cli,
        demo_command,
        import_cli,
        backup_command,
        restore_command,
        summaries_cli,
    ):
        app.cli.add_command(command)
