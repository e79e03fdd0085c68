"""``flask translations``: extract, update, compile and check the message catalogs."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask import current_app
from flask.cli import AppGroup

from app.core.i18n import LOCALES

translations_cli = AppGroup("translations", help="Message catalogs of the five languages.")

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")
_TAG = re.compile(r"</?([a-zA-Z][\w-]*)[^>]*>")


def _root() -> Path:
    return Path(current_app.root_path).parent


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def _extract(target: Path) -> None:
    _pybabel(
        "extract",
        "-F",
        str(_root() / "babel.cfg"),
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--project",
        "eTwinning School Network",
        "-o",
        str(target),
        str(_root() / "app"),
    )


def _catalog_dir() -> Path:
    return _root() / "translations"


@translations_cli.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the code and templates."""
    _extract(_catalog_dir() / "messages.pot")


@translations_cli.command("update")
def update() -> None:
    """Extract, then merge new messages into every catalog (creating missing ones)."""
    pot = _catalog_dir() / "messages.pot"
    _extract(pot)
    for locale in LOCALES[1:]:
        po = _catalog_dir() / locale / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        _pybabel(command, "-i", str(pot), "-d", str(_catalog_dir()), "-l", locale)


@translations_cli.command("compile")
def compile_catalogs() -> None:
    """Compile every catalog to .mo (build output, not committed)."""
    _pybabel("compile", "-d", str(_catalog_dir()), "--statistics")


def catalog_problems(pot_path: Path, catalog_dir: Path) -> list[str]:
    """Everything that makes the catalogs incomplete or inconsistent, one line each."""
    with pot_path.open("rb") as handle:
        template = read_po(handle)
    expected = {message.id for message in template if message.id}
    problems: list[str] = []
    for locale in LOCALES[1:]:
        po_path = catalog_dir / locale / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            problems.append(f"{locale}: no catalog at {po_path}")
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        present = {message.id for message in catalog if message.id}
        for missing in sorted(expected - present, key=str):
            problems.append(f"{locale}: not in the catalog (run update): {_show(missing)}")
        for message in catalog:
            if not message.id or message.id not in expected:
                continue
            problems.extend(f"{locale}: {issue}" for issue in _message_problems(message))
    return problems


def _message_problems(message) -> list[str]:
    label = _show(message.id)
    if message.fuzzy:
        return [f"fuzzy: {label}"]
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if not all(strings):
        return [f"untranslated: {label}"]
    problems = []
    source_placeholders = _names(_PLACEHOLDER, ids[-1])
    source_tags = sorted(_TAG.findall(ids[-1]))
    for string in strings:
        if _names(_PLACEHOLDER, string) != source_placeholders:
            problems.append(f"placeholders differ: {label} → {string!r}")
        if sorted(_TAG.findall(string)) != source_tags:
            problems.append(f"markup differs: {label} → {string!r}")
    return problems


def _names(pattern: re.Pattern, text: str) -> set[str]:
    return {"".join(group for group in found if group) or "%" for found in pattern.findall(text)}


def _show(message_id) -> str:
    text = message_id[0] if isinstance(message_id, tuple) else message_id
    return repr(text if len(text) < 70 else text[:67] + "...")


@translations_cli.command("check")
def check() -> None:
    """Fail on a message missing, untranslated or fuzzy in any catalog, or whose
    placeholders or markup differ from the source."""
    with tempfile.TemporaryDirectory() as scratch:
        pot = Path(scratch) / "messages.pot"
        _extract(pot)
        problems = catalog_problems(pot, _catalog_dir())
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} translation problem(s)")
    click.echo(f"catalogs complete: {', '.join(LOCALES[1:])}")
