"""``flask regions load CC …``: load countries and their regions from pycountry."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.transaction import command_transaction

regions_cli = AppGroup("regions", help="ISO 3166-2 regions from pycountry.")


@regions_cli.command("load")
@click.argument("countries", nargs=-1, required=True)
@command_transaction
def regions_load(countries: tuple[str, ...]) -> None:
    """Load the subdivisions of COUNTRIES (ISO 3166-1 alpha-2 codes)."""
    from app.geography.regions import UnknownCountry, load_regions

    def report(code: str, count: int) -> None:
        click.echo(f"{code}: {count} regions")

    try:
        load_regions(list(countries), progress=report)
    except UnknownCountry as error:
        raise click.BadParameter(f"unknown country code {error}", param_hint="COUNTRIES") from None
