"""10,000 reminder mails through a Celery worker to a local SMTP server in at most 60 s,
and the peak memory of each worker process (budget 250 MB).

A scratch SQLite database, the machine's Redis (database 14, emptied) and an aiosmtpd
server that counts what it receives; the worker runs as deployed (``celery -A
wsgi:celery worker --queues mail``, two processes). The clock runs from the commit that
queues the mails until the server has received all of them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench import worker as bench_worker
from bench.timing import Measure

MAILS = 10_000
BUDGET_S = 60
BUDGET_MB = 250
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


class _Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received += 1
        return "250 OK"


def _peak_rss_mb(group: int) -> float:
    """The largest peak resident set (VmHWM) among the processes of the worker's group."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
            if os.getpgid(int(status.parent.name)) == group and "VmHWM" in fields:
                peak = max(peak, int(fields["VmHWM"].split()[0]))
        except (OSError, ValueError):
            continue
    return peak / 1024


def run() -> list[Measure]:
    import redis
    from aiosmtpd.controller import Controller

    from app import create_app
    from app.core.config import Config
    from app.core.extensions import db
    from app.core.jobs import celery
    from app.core.mail import queue_mail
    from tests.support.smtp import free_port

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        print(f"no Redis at {REDIS_URL}: mail benchmark skipped", file=sys.stderr)
        return []
    client.flushdb()
    scratch = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    url = f"sqlite:///{scratch / 'mail.sqlite'}"
    counter = _Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "CELERY_BROKER_URL": REDIS_URL,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
    }
    app = create_app(type("BenchMail", (Config,), settings))
    celery.conf.broker_url = REDIS_URL
    with app.app_context():
        db.create_all()
    worker = bench_worker.start(settings, "mail", concurrency=2)
    try:
        with app.app_context():
            start = time.perf_counter()
            for number in range(MAILS):
                queue_mail(
                    f"school{number}@example.org",
                    ("en", "nl", "tr", "nb", "ro")[number % 5],
                    "reset_password",
                    kind="reminder",
                    key=f"bench:reminder:{number}",
                    user={"name": f"School {number}"},
                    link=f"https://network.example.org/activities/{number}",
                    minutes=60,
                )
            queued = time.perf_counter() - start
            committed = time.perf_counter()
            db.session.commit()
        deadline = committed + 10 * BUDGET_S
        while counter.received < MAILS and time.perf_counter() < deadline:
            time.sleep(0.2)
        elapsed = time.perf_counter() - committed
        memory = _peak_rss_mb(worker.pid)
    finally:
        bench_worker.stop(worker)
        controller.stop()
        client.flushdb()
    note = f"{counter.received:,} of {MAILS:,} received; queueing took {queued:.1f} s"
    return [
        Measure("10,000 reminder mails via the worker", "SQLite", elapsed * 1000,
                elapsed * 1000, elapsed * 1000, BUDGET_S * 1000, note),
        Measure("worker memory (peak per process)", "SQLite", memory, memory, memory,
                BUDGET_MB, "", unit="MB"),
    ]  # fmt: skip


if __name__ == "__main__":
    from bench.timing import table

    print(table(run()))
