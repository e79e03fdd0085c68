"""Importing 100,000 schools through the page, as jobs on a Celery worker: the upload
request must answer within 1 s, the check and the import must reach 100 %, and the
result must be the command line's (a dry run of the same file afterwards finds every
school unchanged). Both databases; the machine's Redis (database 15, emptied) as broker
and as the cache that carries the progress.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import worker as bench_worker
from bench.importing import ROWS, _database, _flask, write_csv
from bench.timing import Measure

REDIS_URL = os.environ.get("BENCH_IMPORT_REDIS_URL", "redis://127.0.0.1:6379/15")
EMAIL, PASSWORD = "bench.admin@example.org", "bench-admin-password-1"


def _settings(url: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "CELERY_BROKER_URL": REDIS_URL,
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": REDIS_URL,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    }


def _one(kind: str, scratch: Path, source: Path) -> list[Measure]:
    from app import create_app
    from app.core.config import Config
    from app.core.extensions import db
    from app.core.jobs import celery

    url = _database(kind, scratch)
    _flask(url, "db", "upgrade")
    _flask(url, "regions", "load", "TR", "RO", "NL")
    settings = _settings(url)
    app = create_app(type("BenchImport", (Config,), settings))
    celery.conf.broker_url = REDIS_URL
    with app.app_context():
        from app.accounts.operations import create_user

        create_user(EMAIL, "Bench", PASSWORD, role="admin", verified=True)
        db.session.commit()
    worker = bench_worker.start(settings, "exports", concurrency=1)
    try:
        client = app.test_client()
        client.post("/login", data={"email": EMAIL, "password": PASSWORD}).close()
        raw = source.read_bytes()
        start = time.perf_counter()
        with client.post(
            "/schools/import", data={"file": (source.open("rb"), "schools.csv")}
        ) as response:
            request_ms = (time.perf_counter() - start) * 1000
            check = response.headers["Location"]
        checked = bench_worker.until_finished(client, check)
        check_s = time.perf_counter() - start
        page = client.get(check).get_data(as_text=True)
        confirm = re.search(r'action="(/schools/import/[\w-]+/confirm)"', page).group(1)
        start = time.perf_counter()
        with client.post(confirm) as response:
            confirm_ms = (time.perf_counter() - start) * 1000
            imported = response.headers["Location"]
        written = bench_worker.until_finished(client, imported)
        import_s = time.perf_counter() - start
    finally:
        bench_worker.stop(worker)
    dry_run = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "wsgi", "import", "schools", "--dry-run",
         str(source)],
        env={**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url},
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    same = f"{ROWS:,} rows: 0 schools would be created, 0 updated, {ROWS:,} unchanged" in dry_run
    note = (
        f"{len(raw) / 1e6:.1f} MB upload answered in {request_ms:.0f} ms, confirmation in "
        f"{confirm_ms:.0f} ms; check {check_s:.1f} s ({len(checked)} steps to "
        f"{checked[-1]} %), import {import_s:.1f} s ({len(written)} steps to {written[-1]} %);"
        f" the command line then finds every school {'unchanged' if same else 'CHANGED'}"
    )
    return [
        Measure("import page: upload request", kind, request_ms, request_ms, request_ms, 1000,
                note),
        Measure("import page: check + import on the worker", kind, (check_s + import_s) * 1000,
                check_s * 1000, import_s * 1000, 120_000, "check and import: the p10, p90 cells"),
    ]  # fmt: skip


def run() -> list[Measure]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        print(f"no Redis at {REDIS_URL}: import page benchmark skipped", file=sys.stderr)
        return []
    measures: list[Measure] = []
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        source = scratch / "schools.csv"
        write_csv(source)
        for kind in ("SQLite", "PostgreSQL"):
            client.flushdb()
            measures += _one(kind, scratch, source)
    client.flushdb()
    return measures


if __name__ == "__main__":
    from bench.timing import table

    print(table(run()))
