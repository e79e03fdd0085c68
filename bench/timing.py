"""Small helpers: repeat a call, report median and spread, count SQL statements."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event


@dataclass
class Measure:
    name: str
    database: str
    median_ms: float
    p10_ms: float
    p90_ms: float
    budget_ms: float | None
    note: str = ""
    #: What median, p10, p90 and budget are counted in: "ms", or "MB" for memory.
    unit: str = "ms"

    @property
    def verdict(self) -> str:
        if self.budget_ms is None:
            return "info"
        return "pass" if self.median_ms <= self.budget_ms else "MISS"


def repeat(call: Callable[[], object], runs: int, warmup: int = 2) -> list[float]:
    """Durations in milliseconds of ``runs`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        call()
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def summarise(name, database, durations, budget_ms, note="") -> Measure:
    ordered = sorted(durations)
    cut = max(len(ordered) // 10, 0)
    return Measure(
        name=name,
        database=database,
        median_ms=statistics.median(ordered),
        p10_ms=ordered[cut],
        p90_ms=ordered[-1 - cut],
        budget_ms=budget_ms,
        note=note,
    )


@contextmanager
def recorded_sql(engine):
    """Collect (statement, parameters) of everything executed inside the block."""
    statements: list[tuple[str, object]] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def table(measures: list[Measure]) -> str:
    header = (
        f"{'benchmark':44} {'db':10} {'median':>10} {'p10':>9} {'p90':>9} {'budget':>9}"
        "  result  note"
    )
    lines = [header, "-" * len(header)]
    for m in measures:
        budget = f"{m.budget_ms:.0f} {m.unit}" if m.budget_ms is not None else "—"
        lines.append(
            f"{m.name:44} {m.database:10} {m.median_ms:8.1f}{m.unit} {m.p10_ms:7.1f}{m.unit} "
            f"{m.p90_ms:7.1f}{m.unit} {budget:>9}  {m.verdict:6}  {m.note}"
        )
    return "\n".join(lines)
