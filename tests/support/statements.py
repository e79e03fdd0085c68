"""Counting the SQL statements a piece of code runs (set-based code runs as many
whatever the number of rows)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


class StatementCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(Engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        event.remove(Engine, "before_cursor_execute", self)

    @property
    def count(self) -> int:
        return len(self.statements)
