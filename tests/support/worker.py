"""A real Celery worker in a subprocess, against the machine's Redis, as deployed
(``celery -A wsgi:celery worker``), configured through ``FLASK_*`` variables."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from app.core.jobs import QUEUES, celery

ROOT = Path(__file__).resolve().parents[2]
#: A Redis database of its own, emptied before and after: nothing else uses it.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def require_redis(url: str = REDIS_URL) -> redis.Redis:
    """The Redis at ``url``; without one the test is skipped, except in CI, where it fails."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        message = f"Redis is required for the worker tests but not reachable at {url}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return client


class Worker:
    """``Worker(env).start()``; ``kill()`` sends SIGKILL to the worker and its children."""

    def __init__(self, env: dict[str, str], name: str, concurrency: int = 2) -> None:
        self.env = env
        self.name = name
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Worker:
        others = celery.control.ping(timeout=0.5)
        assert not others, f"another worker listens on the test broker: {others}"
        command = [
            sys.executable, "-m", "celery", "-A", "wsgi:celery", "worker",
            "--hostname", f"{self.name}@%h", "--concurrency", str(self.concurrency),
            "--queues", ",".join(QUEUES),
            "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited with {self.process.returncode}")
            # The health check of docs/jobs.md: the worker answers a ping over the broker.
            answers = celery.control.ping(timeout=0.5) or []
            if any(self.name in name for answer in answers for name in answer):
                return self
        self.kill()
        raise RuntimeError("the worker did not answer a ping in time")

    def _signal(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, number)

    def kill(self) -> None:
        if self.process:
            self._signal(signal.SIGKILL)  # the pool's children too, even if orphaned
            self.process.wait(10)

    def stop(self) -> None:
        if self.process:
            self._signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(20)
            self.kill()


def worker_env(database_url: str, **config: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_CELERY_BROKER_URL": REDIS_URL,
    }
    env.update({f"FLASK_{name}": value for name, value in config.items()})
    return env
