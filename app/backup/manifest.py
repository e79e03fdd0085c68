"""The manifest written beside every backup: tables, row counts, checksums, Alembic revision."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.backup import BackupError
from app.backup.checksums import TableSum

FORMAT = 1


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


@dataclass
class Manifest:
    dialect: str
    revision: str | None
    tables: dict[str, TableSum]
    #: PostgreSQL: the schema that was dumped (a restore recreates the same one).
    schema: str | None = None
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def write(self, backup: Path) -> Path:
        path = manifest_path(backup)
        document = {
            "format": FORMAT,
            "dialect": self.dialect,
            "schema": self.schema,
            "created_at": self.created_at,
            "alembic_revision": self.revision,
            "tables": {
                name: {"rows": value.rows, "sha256": value.sha256}
                for name, value in sorted(self.tables.items())
            },
        }
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, backup: Path) -> Manifest:
        path = manifest_path(backup)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BackupError(f"No manifest beside the backup: {path} is missing.") from None
        except ValueError as error:
            raise BackupError(f"{path} is not a readable manifest: {error}") from None
        if document.get("format") != FORMAT:
            raise BackupError(f"{path}: unknown manifest format {document.get('format')!r}.")
        return cls(
            dialect=document["dialect"],
            revision=document.get("alembic_revision"),
            tables={
                name: TableSum(value["rows"], value["sha256"])
                for name, value in document["tables"].items()
            },
            schema=document.get("schema"),
            created_at=document.get("created_at", ""),
        )


@dataclass(frozen=True)
class Check:
    table: str
    expected: TableSum | None
    actual: TableSum | None

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def compare(expected: dict[str, TableSum], actual: dict[str, TableSum]) -> list[Check]:
    names = sorted(set(expected) | set(actual))
    return [Check(name, expected.get(name), actual.get(name)) for name in names]


def render(checks: list[Check]) -> str:
    """One line per table: name, rows, the start of the checksum, and OK or what differs."""
    width = max([len(check.table) for check in checks] + [5])
    lines = [f"{'table':<{width}}  {'rows':>12}  {'sha256':<12}  check"]
    for check in checks:
        shown = check.actual or check.expected
        rows = f"{shown.rows:>12,}" if shown else f"{'-':>12}"
        digest = shown.sha256[:12] if shown else "-"
        if check.ok:
            verdict = "OK"
        elif check.actual is None:
            verdict = "MISSING"
        elif check.expected is None:
            verdict = "UNEXPECTED"
        elif check.expected.rows != check.actual.rows:
            verdict = f"MISMATCH (expected {check.expected.rows:,} rows)"
        else:
            verdict = "MISMATCH (checksum)"
        lines.append(f"{check.table:<{width}}  {rows}  {digest:<12}  {verdict}")
    total = sum((check.actual or check.expected).rows for check in checks)
    bad = sum(not check.ok for check in checks)
    lines.append(f"{len(checks)} tables, {total:,} rows, {bad} mismatches")
    return "\n".join(lines)
