"""``flask backup PATH`` and ``flask restore PATH [--force]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.backup import BackupError, postgres, sqlite
from app.backup.manifest import Manifest, compare, manifest_path, render
from app.core.extensions import db

_BACKENDS = {"sqlite": sqlite, "postgresql": postgres}


def _say(message: str) -> None:
    click.echo(message, err=True)


def _backend(engine):
    try:
        return _BACKENDS[engine.dialect.name]
    except KeyError:
        raise click.ClickException(f"No backup support for {engine.dialect.name}.") from None


def _fail(error: BackupError):
    if error.checks:
        click.echo(render(error.checks))
    raise click.ClickException(str(error))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a backup that exists at PATH.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Back up the database to PATH, with a manifest of row counts and checksums beside it."""
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to replace it.")
    engine = db.engine
    backend = _backend(engine)
    db.session.remove()
    try:
        manifest = backend.backup(engine, path, _say)
    except BackupError as error:
        _fail(error)
    written = manifest.write(path)
    click.echo(render(compare(manifest.tables, manifest.tables)))
    if manifest.dialect == "postgresql":
        click.echo(
            "The archive lists the data of every table; `flask restore` checks the rows "
            "against these checksums."
        )
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes)")
    click.echo(f"Manifest: {written} (Alembic revision {manifest.revision or 'none'})")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that holds data.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Replace the database with the backup at PATH, then check it against its manifest."""
    engine = db.engine
    backend = _backend(engine)
    try:
        manifest = Manifest.read(path)
    except BackupError as error:
        _fail(error)
    if manifest.dialect != engine.dialect.name:
        raise click.ClickException(
            f"{path} is a {manifest.dialect} backup; this database is {engine.dialect.name}."
        )
    db.session.remove()
    if backend.target_holds_data(engine) and not force:
        raise click.ClickException(
            "The database holds data; pass --force to replace it with the backup."
        )
    try:
        restored = backend.restore(path, manifest, engine, _say)
    except BackupError as error:
        _fail(error)
    checks = compare(manifest.tables, restored)
    click.echo(render(checks))
    if not all(check.ok for check in checks):
        raise click.ClickException(
            f"The restored database does not match {manifest_path(path).name}."
        )
    click.echo(f"Restored {path} (Alembic revision {manifest.revision or 'none'}).")
