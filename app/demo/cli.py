"""``flask demo``: replace the database's data with deterministic demo data."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.core.extensions import db
from app.demo.generator import DemoRefused, Summary, check_replaceable, generate
from app.demo.people import Account
from app.demo.world import PASSWORD, DemoOptions
from app.demo.writer import Bar
from app.schools.models import School

#: Accounts of each kind listed per country; the rest are counted.
LISTED = 4


@contextmanager
def progress_bar(label: str, length: int) -> Iterator[Bar]:
    with click.progressbar(length=length, label=f"{label:<20}", file=sys.stderr) as bar:
        yield bar


@click.command("demo")
@click.option("--schools", default=400, show_default=True, type=click.IntRange(min=5))
@click.option("--events", default=3000, show_default=True, type=click.IntRange(min=0))
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option(
    "--users", type=click.IntRange(min=1), help="Users in all (more school members if needed)."
)
@click.option(
    "--matches", type=click.IntRange(min=0), help="Mentoring matches to reach (new schools ask)."
)
@click.option("--force", is_flag=True, help="Also replace data that is not demo data.")
@click.option("--if-empty", is_flag=True, help="Do nothing when any school exists.")
@with_appcontext
def demo_command(
    schools: int,
    events: int,
    seed: int,
    users: int | None,
    matches: int | None,
    force: bool,
    if_empty: bool,
) -> None:
    """Replace all data (not the reference tables) with deterministic demo data."""
    session = db.session
    if if_empty and session.scalar(select(School.id).limit(1)) is not None:
        click.echo("The database holds schools already; no demo data generated.")
        return
    if not force:
        try:
            check_replaceable(session)
        except DemoRefused as error:
            raise click.ClickException(str(error)) from None
    options = DemoOptions(schools, events, seed, users=users, matches=matches)
    summary = generate(session, options, progress=progress_bar)
    session.commit()
    report(summary)


def report(summary: Summary) -> None:
    click.echo("\nRows per table:")
    for table, count in summary.counts.items():
        if count:
            click.echo(f"  {table:<22}{count:>10,}")
    click.echo(f"\nDemo accounts (password: {PASSWORD}):")
    for account in summary.accounts:
        if account.country is None or account.role == "coordinator":
            click.echo(f"  {account.email:<36}{account.role}")
    by_country: dict[str, list[Account]] = {}
    for account in summary.accounts:
        if account.school is not None and account.country is not None:
            by_country.setdefault(account.country, []).append(account)
    for country, accounts in by_country.items():
        for role in ("school admin", "school member", "mentor"):
            listed = [a for a in accounts if a.role == role]
            for account in listed[:LISTED]:
                click.echo(f"  {account.email:<36}{role}, {account.school}")
            if (more := len(listed) - LISTED) > 0:
                noun = "account" if more == 1 else "accounts"
                click.echo(f"  … and {more} more {role} {noun} in {country}")
