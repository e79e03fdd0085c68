"""``make load INSTANCES=2``: the load run against two app instances behind HAProxy.

Each instance is a gunicorn of its own (its own port, workers and memory), as two
machines would run it (docs/deploy.md); they share only the database and Redis. Nothing
else may live in one instance: sessions are signed cookies, CSRF tokens live in them,
rate limits, caches and job progress are in Redis, uploads and files of jobs in the
database. HAProxy (Debian's, installed by ``make load`` when missing and root) balances
round-robin and checks each instance's ``/healthz`` every half second.

With ``--kill-after S`` one instance is killed (SIGKILL to its master and workers) S
seconds into the run. Requests it was serving then fail; HAProxy sends new ones to the
other instance (a refused connection is tried again on the other server, never a request
that reached a server). ``in_flight`` tells the failures of the requests the killed
instance held apart from any other: locust records each failure's start and duration.

Rate limits must be counted once across instances: ``probe_shared_limit`` sends a
burst of downloads, a family the mix does not use, with a small limit, through the
proxy; the first refusal must come right after the limit, not after twice the limit.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

#: The download family's limit during a two-instance run (the mix never downloads).
PROBE_LIMIT = 20
HAPROXY = "/usr/sbin/haproxy"

_CONFIG = """\
global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch
    retry-on conn-failure

frontend web
    bind 127.0.0.1:{front}
    default_backend app

backend app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
{servers}
"""


@dataclass
class Cluster:
    front: int
    instances: list[subprocess.Popen]
    #: HAProxy (None for a single instance, answering on ``front`` itself).
    proxy: subprocess.Popen | None
    killed_at: float | None = None
    killed: list[int] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.front}"

    def kill_one(self) -> None:
        """SIGKILL the first instance's master and workers at once, as a machine that dies."""
        victim = self.instances[0]
        children = Path(f"/proc/{victim.pid}/task/{victim.pid}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        self.killed_at = time.time()
        for pid in [victim.pid, *workers]:
            try:
                os.kill(pid, signal.SIGKILL)
                self.killed.append(pid)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        processes = [*self.instances, *([self.proxy] if self.proxy else [])]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def require_haproxy() -> None:
    if not Path(HAPROXY).exists() and shutil.which("haproxy") is None:
        raise SystemExit("HAProxy is missing: make load installs Debian's haproxy (as root)")


def start(environment: dict[str, str], options, ports: list[int], front: int, folder: Path,
          log, start_gunicorn) -> Cluster:  # fmt: skip
    """The instances on ``ports`` (``start_gunicorn`` of bench.load) and HAProxy on ``front``."""
    require_haproxy()
    instances = [start_gunicorn(environment, options, port, log) for port in ports]
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{port} check" for n, port in enumerate(ports, start=1)
    )
    config = folder / "haproxy.cfg"
    config.write_text(_CONFIG.format(front=front, servers=servers))
    binary = HAPROXY if Path(HAPROXY).exists() else shutil.which("haproxy")
    proxy = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=log, stderr=log)  # noqa: S603
    return Cluster(front, instances, proxy)


def probe_shared_limit(base: str, path: str = "/calendar/NO/export.csv") -> int | None:
    """How many downloads pass through the proxy before the first 429 (None: none refused
    within three times the limit)."""
    for attempt in range(1, 3 * PROBE_LIMIT + 1):
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=30) as answer:  # noqa: S310
                answer.read()
        except urllib.error.HTTPError as error:
            if error.code == 429:
                return attempt - 1
            raise
    return None


def in_flight(failures_file: Path, killed_at: float | None) -> tuple[int, int]:
    """(failures of requests in flight when the instance was killed, any other failures)."""
    held = other = 0
    if not failures_file.exists():
        return held, other
    for line in failures_file.read_text().splitlines():
        failure = json.loads(line)
        started, ended = failure["start"], failure["start"] + failure["seconds"]
        if killed_at is not None and started <= killed_at <= ended:
            held += 1
        else:
            other += 1
    return held, other
