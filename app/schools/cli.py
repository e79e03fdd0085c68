"""``flask import schools FILE.csv [--dry-run]``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from app.core.transaction import command_transaction
from app.schools.importing import import_schools

import_cli = AppGroup("import", help="Import data from files.")


class _Progress:
    """A progress bar that learns its length from the first report."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Writing schools")
            self.bar.__enter__()
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@import_cli.command("schools")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@command_transaction
def schools(path: Path, dry_run: bool) -> None:
    """Create or update schools from a CSV file (idempotent by external_id)."""
    raw = path.read_bytes()
    click.echo(f"Checking {path.name} ({len(raw):,} bytes)…", err=True)
    progress = _Progress()
    report = import_schools(
        raw,
        importer_id=None,
        allowed_countries=None,
        today=datetime.now(UTC).date(),
        dry_run=dry_run,
        progress=progress,
    )
    progress.close()
    if report.encoding:
        click.echo(f"read as {report.encoding}", err=True)
    for error in report.errors[:200]:
        column = f" [{error.column}]" if error.column else ""
        click.echo(f"line {error.line}{column}: {error.message}", err=True)
    if len(report.errors) > 200:
        click.echo(f"… and {len(report.errors) - 200} more", err=True)
    if not report.ok:
        raise click.ClickException(f"{len(report.errors)} problem(s); nothing was imported")
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{report.rows:,} rows: {report.created:,} schools {verb} created, "
        f"{report.updated:,} updated, {report.unchanged:,} unchanged"
    )
