"""``make load`` / ``python -m bench.load``: gunicorn under locust, against the design's budgets.

Starts gunicorn (several workers) on the database of ``--url`` (default
``LOAD_DATABASE_URL``, else ``BENCH_SQLITE_URL``), waits until it answers, runs
``bench/locustfile.py`` headless, samples the resident memory of every gunicorn
worker from ``/proc`` meanwhile, stops gunicorn and prints one table.

Sign-ins, anonymous API reads and the public page families (calendars, directory,
search, feeds, downloads) are rate limited per address (``AUTH_RATE_LIMIT``,
``API_RATE_LIMIT``, ``CALENDAR_RATE_LIMIT``, …); every locust user comes from 127.0.0.1,
so the run raises those limits through their documented settings
(``--auth-rate-limit``, ``--api-rate-limit``, ``--page-rate-limit``). Nothing else is
switched off.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

import app.geography.models  # noqa: F401 - the school's relationships name its region
from app.accounts.enums import MembershipStatus
from app.accounts.models import Membership, User
from app.schools.enums import SchoolStatus
from app.schools.models import School
from bench import cluster

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_URL = f"sqlite:///{ROOT / 'instance' / 'bench.sqlite'}"
BUDGETS = {"errors": 0, "p95_ms": 500, "rss_mb": 250}
#: The rate limits raised for a run whose users all come from 127.0.0.1 (options' names).
RAISED_LIMITS = {
    "auth_rate_limit": "10000 per minute",
    "api_rate_limit": "100000 per minute",
    "page_rate_limit": "100000 per minute",
}
DEFAULT_REDIS = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379")


def default_url() -> str:
    return os.environ.get("LOAD_DATABASE_URL") or os.environ.get("BENCH_SQLITE_URL") or DEFAULT_URL


def members(url: str, limit: int = 50) -> list[tuple[str, int]]:
    """Demo school members (``member.*@example.org``) of verified schools, with their school."""
    query = (
        sa.select(User.email, Membership.school_id)
        .join(Membership, Membership.user_id == User.id)
        .join(School, School.id == Membership.school_id)
        .where(
            User.email.like("member.%@example.org"),
            Membership.status == MembershipStatus.APPROVED,
            School.status == SchoolStatus.VERIFIED,
        )
        .order_by(User.id)
        .limit(limit)
    )
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [(email, school_id) for email, school_id in connection.execute(query)]
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(base: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/pillars", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s")


WARM_UP_PAGES = (
    "/",
    "/pillars",
    "/calendar/TR",
    "/calendar/TR/month",
    "/calendar/TR.ics",
    "/schools?q=okul",
    "/directory/TR",
    "/login",
)


def warm_up(base: str, options) -> int:
    """Every page of the mix a few times on every worker, as a server that has been running
    would be: the first requests of a worker load templates, catalogs and caches."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path: str) -> None:
        with urllib.request.urlopen(f"{base}{path}", timeout=60) as answer:  # noqa: S310
            answer.read()

    paths = list(WARM_UP_PAGES) * options.workers * 2
    with ThreadPoolExecutor(max_workers=options.workers * options.threads) as pool:
        list(pool.map(fetch, paths))
    return len(paths)


class MemorySampler(threading.Thread):
    """The largest resident set of each gunicorn worker (children of the masters), from /proc."""

    def __init__(self, *masters: int) -> None:
        super().__init__(daemon=True)
        self.masters = masters
        self.peak_kb: dict[int, int] = {}
        self.stopped = threading.Event()

    def workers(self) -> list[int]:
        found = []
        for master in self.masters:
            with contextlib.suppress(OSError):
                found += Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in found]

    @staticmethod
    def rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            for pid in self.workers():
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), self.rss_kb(pid))


def server_environment(options, folder: Path) -> dict[str, str]:
    """What gunicorn, the worker and beat share: the database, the raised limits, and as
    in production (docs/deploy.md) one cache, one limiter store and one broker in Redis."""
    environment = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": options.url,
        "FLASK_AUTH_RATE_LIMIT": options.auth_rate_limit,
        "FLASK_API_RATE_LIMIT": options.api_rate_limit,
        **{
            f"FLASK_{family.upper()}_RATE_LIMIT": options.page_rate_limit
            for family in ("calendar", "directory", "search", "feed", "export")
        },
        "FLASK_MAIL_BACKEND": "file",
        "FLASK_MAIL_FILE_DIR": str(folder / "mail"),
    }
    if options.redis:
        environment["FLASK_CACHE_TYPE"] = "RedisCache"
        environment["FLASK_CACHE_REDIS_URL"] = f"{options.redis}/1"
        environment["FLASK_RATELIMIT_STORAGE_URI"] = f"{options.redis}/0"
        environment["FLASK_CELERY_BROKER_URL"] = f"{options.redis}/2"
    return environment


def start_jobs(environment: dict[str, str], folder: Path, log) -> list[subprocess.Popen]:
    """One Celery worker (every queue) and one beat, as docs/deploy.md runs them."""
    celery = [str(BIN / "celery"), "-A", "wsgi:celery"]
    worker = [*celery, "worker", "--concurrency", "2", "--queues", "mail,exports,housekeeping"]
    beat = [*celery, "beat", "--schedule", str(folder / "beat-schedule")]
    return [
        subprocess.Popen([*command, "--loglevel", "WARNING"], cwd=ROOT, env=environment,  # noqa: S603
                         stdout=log, stderr=log, start_new_session=True)
        for command in (worker, beat)
    ]  # fmt: skip


def start_gunicorn(environment: dict[str, str], options, port: int, log) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "--workers", str(options.workers)]
    command += ["--threads", str(options.threads), "--bind", f"127.0.0.1:{port}"]
    # Longer than any user's pause: gunicorn's 2 s default closes connections the
    # client is about to reuse, which shows as "connection reset" failures.
    command += ["--keep-alive", "30", "wsgi:app"]
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)  # noqa: S603


def stop(sampler: MemorySampler, group: cluster.Cluster, jobs: list[subprocess.Popen]) -> None:
    """The end of a run: no more samples, the app instances stopped, then the worker and
    beat (which finish the task in hand)."""
    sampler.stopped.set()
    group.stop()
    for process in jobs:
        process.send_signal(signal.SIGTERM)
    for process in jobs:
        process.wait(timeout=60)


def mails_written(folder: Path) -> int:
    return len(list((folder / "mail").glob("*.eml")))


def run_locust(options, base: str, folder: Path, members_file: Path, log) -> Path:
    prefix = folder / "load"
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += ["--users", str(options.users), "--spawn-rate", str(options.spawn_rate)]
    command += ["--run-time", f"{options.seconds}s", "--host", base, "--csv", str(prefix)]
    command += ["--only-summary", "--stop-timeout", "10"]
    environment = {**os.environ, "LOAD_MEMBERS": str(members_file)}
    environment["LOAD_FAILURES"] = str(folder / "failures.jsonl")
    subprocess.run(command, env=environment, stdout=log, stderr=log, check=False)  # noqa: S603
    return prefix


def read_stats(prefix: Path) -> tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return total, [row for row in rows if row["Name"] != "Aggregated"], failures


def describe(options) -> str:
    if options.instances == 1:
        return f"gunicorn {options.workers} workers x {options.threads} threads"
    return (
        f"{options.instances} instances of gunicorn {per_instance(options)} workers x "
        f"{options.threads} threads behind HAProxy"
    )


def per_instance(options) -> int:
    """Workers per instance: the same machine's workers shared between the instances."""
    return max(1, options.workers // options.instances)


def serve(options, environment: dict[str, str], folder: Path, log) -> cluster.Cluster:
    """One gunicorn, or ``--instances`` of them behind HAProxy."""
    if options.instances == 1:
        port = free_port()
        server = start_gunicorn(environment, options, port, log)
        server.port = port
        return cluster.Cluster(port, [server], None)
    single = argparse.Namespace(**{**vars(options), "workers": per_instance(options)})
    ports = [free_port() for _ in range(options.instances)]

    def started(environment, options, port, log):
        server = start_gunicorn(environment, options, port, log)
        server.port = port
        return server

    return cluster.start(environment, single, ports, free_port(), folder, log, started)


def report_cluster(group: cluster.Cluster, held: int, other: int, shared: int | None) -> bool:
    print(f"\ninstances killed: {1 if group.killed_at else 0}; failures of requests the killed "
          f"instance held: {held}; any other failure: {other}")  # fmt: skip
    counted_once = shared == cluster.PROBE_LIMIT
    print(f"downloads through the proxy before the first 429 (limit {cluster.PROBE_LIMIT} per "
          f"minute, shared by the instances): {shared} -> "
          f"{'counted once' if counted_once else 'MISS'}")  # fmt: skip
    return counted_once and other == 0


def report(options, total, endpoints, failures, peak_kb: dict[int, int], held: int = 0) -> bool:
    """The table of endpoints and the budgets; ``held`` failures (requests an instance that
    was killed held) are not counted as errors."""
    errors = int(total["Failure Count"]) - held
    p95 = float(total["95%"])
    rss_mb = max(peak_kb.values(), default=0) / 1024
    print(f"\nLoad: {options.users} users for {options.seconds} s, {describe(options)},")
    print(f"database {options.url.split('@')[-1]}\n")
    print(f"{'endpoint':<42}{'requests':>9}{'fails':>7}{'p50':>7}{'p95':>7}")
    for row in endpoints:
        print(
            f"{row['Type'] + ' ' + row['Name']:<42.42}{row['Request Count']:>9}"
            f"{row['Failure Count']:>7}{row['50%']:>7}{row['95%']:>7}"
        )
    for row in failures[:10]:
        print(f"  failure x{row['Occurrences']}: {row['Method']} {row['Name']}: {row['Error']}")
    checks = [
        ("requests", f"{int(total['Request Count']):,}", "", None),
        ("requests/s", f"{float(total['Requests/s']):.1f}", "", None),
        ("p50 (ms)", total["50%"], "", None),
        ("p95 (ms)", total["95%"], f"<= {BUDGETS['p95_ms']}", p95 <= BUDGETS["p95_ms"]),
        ("p99 (ms)", total["99%"], "", None),
        ("errors", f"{errors:,}", f"= {BUDGETS['errors']}", errors == BUDGETS["errors"]),
        (
            "max RSS per worker (MB)",
            f"{rss_mb:.0f}",
            f"<= {BUDGETS['rss_mb']}",
            bool(peak_kb) and rss_mb <= BUDGETS["rss_mb"],
        ),
    ]
    print(f"\n{'measure':<26}{'value':>10}  {'budget':<8}  verdict")
    for name, value, budget, ok in checks:
        verdict = "info" if ok is None else ("pass" if ok else "MISS")
        print(f"{name:<26}{value:>10}  {budget:<8}  {verdict}")
    per_worker = ", ".join(f"{kb / 1024:.0f}" for kb in sorted(peak_kb.values()))
    print(f"RSS per worker (MB): {per_worker or 'not measured'}")
    return all(ok for *_, ok in checks if ok is not None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--url", default=default_url())
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    for name, value in RAISED_LIMITS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", default=value)
    parser.add_argument(
        "--redis",
        default=DEFAULT_REDIS,
        help="Redis for the cache and the rate limits shared by the workers ('' for none)",
    )
    parser.add_argument("--keep", help="copy the run's files (locust's CSVs, the logs) here")
    parser.add_argument(
        "--instances", type=int, default=1, help="app instances behind HAProxy (bench/cluster.py)"
    )
    parser.add_argument(
        "--kill-after", type=float, help="kill one instance this many seconds into the run"
    )
    options = parser.parse_args(argv)
    if options.kill_after is not None and options.instances < 2:
        parser.error("--kill-after needs --instances 2 or more")

    accounts = members(options.url)
    if not accounts:
        print(f"No demo school members in {options.url}: run flask demo on it first.")
        return 2
    with tempfile.TemporaryDirectory(prefix="load-") as name:
        folder = Path(name)
        members_file = folder / "members.json"
        members_file.write_text(json.dumps(accounts))
        environment = server_environment(options, folder)
        if options.instances > 1:  # downloads, which the mix never asks for, probe the limit
            environment["FLASK_EXPORT_RATE_LIMIT"] = f"{cluster.PROBE_LIMIT} per minute"
        with open(folder / "gunicorn.log", "w") as gunicorn_log:
            jobs = start_jobs(environment, folder, gunicorn_log) if options.redis else []
            group = serve(options, environment, folder, gunicorn_log)
            sampler = MemorySampler(*(server.pid for server in group.instances))
            try:
                for server in group.instances:
                    wait_until_ready(f"http://127.0.0.1:{server.port}", server)
                wait_until_ready(group.base, group.proxy or group.instances[0])
                sampler.start()
                print(f"{describe(options)} ready on {group.base}; "
                      f"{warm_up(group.base, options)} warm-up requests")  # fmt: skip
                print(f"locust runs for {options.seconds} s…")
                if options.kill_after is not None:
                    threading.Timer(options.kill_after, group.kill_one).start()
                with open(folder / "locust.log", "w") as locust_log:
                    prefix = run_locust(options, group.base, folder, members_file, locust_log)
                shared = cluster.probe_shared_limit(group.base) if options.instances > 1 else None
                time.sleep(5)  # the last resets' mail, delivered by the worker
            finally:
                stop(sampler, group, jobs)
        total, endpoints, failures = read_stats(prefix)
        held, other = cluster.in_flight(folder / "failures.jsonl", group.killed_at)
        ok = report(options, total, endpoints, failures, sampler.peak_kb, held)
        if options.instances > 1:
            ok = report_cluster(group, held, other, shared) and ok
        resets = next((int(row["Request Count"]) for row in endpoints
                       if row["Name"] == "/reset [POST]"), 0)  # fmt: skip
        jobs_line = "a Celery worker and beat" if jobs else "no worker (mail sent in-process)"
        print(f"{jobs_line}: {mails_written(folder):,} mails written for {resets:,} resets")
        for line in (folder / "locust.log").read_text().splitlines():
            if line.startswith("note:"):
                print(line)
        if options.keep:
            shutil.copytree(folder, options.keep, dirs_exist_ok=True)
        if not ok:
            tail = (folder / "gunicorn.log").read_text().splitlines()[-15:]
            print("\nlast lines of the gunicorn log:\n" + "\n".join(tail))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
