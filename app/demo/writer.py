"""Bulk writing: clear the data tables, insert rows in chunks, reset id sequences."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.extensions import db
from app.demo.world import EMAIL_DOMAIN, EXTERNAL_ID_PREFIX
from app.schools.models import School

#: Tables ``flask demo`` never touches: loaded by ``flask pillars load`` / ``regions load``.
REFERENCE_TABLES = frozenset({"country", "region", "pillar", "pillar_text"})
CHUNK_SIZE = 5000

Row = dict[str, Any]


class Bar(Protocol):
    def update(self, n_steps: int) -> None: ...


#: Makes a progress bar for a step: (label, number of units) → context manager.
ProgressFactory = Callable[[str, int], AbstractContextManager[Bar]]


class _NoBar:
    def update(self, n_steps: int) -> None:
        pass


@contextmanager
def quiet(label: str, length: int) -> Iterator[Bar]:
    """A progress factory that shows nothing."""
    yield _NoBar()


@dataclass
class Chunk:
    """Rows of several tables, parents first, standing for ``units`` of progress."""

    units: int = 0
    tables: dict[type, list[Row]] = field(default_factory=dict)

    def add(self, model: type, row: Row) -> None:
        self.tables.setdefault(model, []).append(row)


def data_tables() -> list[Table]:
    """Every table but the reference ones, parents before children."""
    return [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]


class Writer:
    def __init__(self, session: Session, progress: ProgressFactory = quiet) -> None:
        self.session = session
        self.progress = progress
        self.counts: dict[str, int] = {}

    def insert(self, model: type, rows: list[Row]) -> None:
        table: Table = model.__table__  # type: ignore[attr-defined]
        for start in range(0, len(rows), CHUNK_SIZE):
            self.session.execute(insert(table), rows[start : start + CHUNK_SIZE])
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def write(self, label: str, length: int, chunks: Iterable[Chunk]) -> None:
        """Insert streamed chunks, table by table within each chunk, with a progress bar."""
        with self.progress(label, length) as bar:
            for chunk in chunks:
                for model, rows in chunk.tables.items():
                    self.insert(model, rows)
                bar.update(chunk.units)

    def clear(self) -> None:
        """Delete every data row, keeping the reference tables."""
        tables = data_tables()
        if self.session.get_bind().dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            self.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
            return
        for table in reversed(tables):
            self.session.execute(table.delete())

    def reset_sequences(self) -> None:
        """After explicit ids, make PostgreSQL hand out the next free ones."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for table in data_tables():
            if "id" in table.c and table.c.id.primary_key:
                sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
                next_id = func.coalesce(func.max(table.c.id), 0) + 1
                self.session.execute(select(func.setval(sequence, next_id, False)))

    def analyze(self) -> None:
        """Planner statistics for the tables just filled (SQLite keeps none by itself)."""
        self.session.execute(text("ANALYZE"))

    def row_counts(self) -> dict[str, int]:
        return {
            table.name: self.session.scalar(select(func.count()).select_from(table)) or 0
            for table in data_tables()
        }


def foreign_data(session: Session) -> tuple[int, int]:
    """Numbers of schools and users that ``flask demo`` did not create."""
    schools = session.scalar(
        select(func.count())
        .select_from(School)
        .where(School.external_id.is_(None) | ~School.external_id.startswith(EXTERNAL_ID_PREFIX))
    )
    users = session.scalar(
        select(func.count()).select_from(User).where(~User.email.endswith(EMAIL_DOMAIN))
    )
    return schools or 0, users or 0
