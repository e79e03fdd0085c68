"""Importing 100,000 schools from CSV through ``flask import schools`` in at most 60 s,
into an empty database (then once more: the second run must change nothing)."""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import sqlalchemy as sa

from bench.timing import Measure, summarise

ROWS = 100_000


def write_csv(path: Path, rows: int = ROWS, seed: int = 7) -> None:
    import pycountry

    rng = random.Random(seed)
    regions = {
        code: sorted(
            s.code
            for s in pycountry.subdivisions.get(country_code=code)
            if s.parent_code is None or code != "BE"
        )
        for code in ("TR", "RO", "NL")
    }
    levels = ["pre_primary", "primary", "lower_secondary", "upper_secondary", "vocational"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            [
                "external_id",
                "name",
                "country",
                "region",
                "city",
                "levels",
                "languages",
                "pupil_count",
            ]
        )
        for number in range(rows):
            country = rng.choice(["TR", "TR", "RO", "NL"])
            languages = "tr|en" if country == "TR" else "en"
            writer.writerow(
                [
                    f"REG-{number:06d}",
                    f"Okul {number} Anadolu Lisesi",
                    country,
                    rng.choice(regions[country]),
                    f"Şehir {number % 500}",
                    "|".join(rng.sample(levels, 2)),
                    languages,
                    rng.randint(50, 2000),
                ]
            )


def _database(kind: str, scratch: Path) -> str:
    if kind == "SQLite":
        return f"sqlite:///{scratch / 'import.sqlite'}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS bench_import")
        c.execute("CREATE DATABASE bench_import")
    return "postgresql+psycopg://postgres@127.0.0.1:5432/bench_import"


def _flask(url: str, *args: str) -> float:
    env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url}
    start = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return (time.perf_counter() - start) * 1000


def run() -> list[Measure]:
    measures = []
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        source = scratch / "schools.csv"
        write_csv(source)
        for kind in ("SQLite", "PostgreSQL"):
            url = _database(kind, scratch)
            _flask(url, "db", "upgrade")
            _flask(url, "regions", "load", "TR", "RO", "NL")
            first = _flask(url, "import", "schools", str(source))
            again = _flask(url, "import", "schools", str(source))
            engine = sa.create_engine(url)
            with engine.connect() as connection:
                count = connection.execute(sa.text("SELECT count(*) FROM school")).scalar_one()
            engine.dispose()
            note = (
                f"{count:,} schools; second import of the same file {again / 1000:.1f} s, unchanged"
            )
            measures.append(summarise("import 100,000 schools (CLI)", kind, [first], 60_000, note))
    return measures
