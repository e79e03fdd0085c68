"""A calendar export of 50,000 rows (the most an export holds) through the page, as a job
on a Celery worker, at full scale: the request must answer within 1 s, the progress must
reach 100 %, and the file must hold the 50,000 rows. CSV and XLSX, on the database given
(``BENCH_SQLITE_URL``, ``BENCH_POSTGRES_URL``); the machine's Redis (database 15,
emptied) as broker and as the cache that carries the progress.
"""

from __future__ import annotations

import csv
import io
import os
import time

from bench import worker as bench_worker
from bench.timing import Measure

REDIS_URL = os.environ.get("BENCH_IMPORT_REDIS_URL", "redis://127.0.0.1:6379/15")


def _rows(body: bytes, fmt: str) -> int:
    """Data rows in the file, read as a spreadsheet would."""
    if fmt == "csv":
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=",")) - 1
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return sum(1 for _ in sheet.iter_rows(values_only=True)) - 1


def run(url: str, database: str) -> list[Measure]:
    import redis

    from app import create_app
    from app.activities.exporting import LIMIT
    from app.core.config import Config
    from app.core.jobs import celery

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    client.flushdb()
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "CELERY_BROKER_URL": REDIS_URL,
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": REDIS_URL,
        "RATELIMIT_ENABLED": False,
    }
    app = create_app(type("BenchExport", (Config,), settings))
    celery.conf.broker_url = REDIS_URL
    worker = bench_worker.start(settings, "exports", concurrency=1)
    measures = []
    try:
        web = app.test_client()
        for fmt in ("csv", "xlsx"):
            address = f"/calendar/TR/export.{fmt}?lang=en&sep=comma"
            start = time.perf_counter()
            with web.get(address) as response:
                request_ms = (time.perf_counter() - start) * 1000
                assert response.status_code == 303, response.status_code
                job = response.headers["Location"]
            shown = bench_worker.until_finished(web, job)
            total_s = time.perf_counter() - start
            with web.get(f"{job}/download") as download:
                body = download.get_data()
            rows = _rows(body, fmt)
            note = (
                f"request {request_ms:.0f} ms; the job {total_s:.1f} s ({len(shown)} steps to "
                f"{shown[-1] if shown else '?'} %); {rows:,} rows of {LIMIT:,} in "
                f"{len(body) / 1e6:.1f} MB"
            )
            measures.append(
                Measure(f"export {LIMIT:,} rows as a job ({fmt})", database, request_ms,
                        request_ms, total_s * 1000, 1000, note)
            )  # fmt: skip
    finally:
        bench_worker.stop(worker)
        client.flushdb()
    return measures


if __name__ == "__main__":
    import sys

    from bench.timing import table

    print(table(run(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")))
