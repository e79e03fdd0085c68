"""A Celery worker for the benchmarks, started as deployed (``celery -A wsgi:celery
worker``) with the settings given as ``FLASK_*`` variables."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start(settings: dict, queues: str, concurrency: int) -> subprocess.Popen:
    """The worker, once it answers a ping over the broker."""
    from app.core.jobs import celery

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.update({f"FLASK_{name}": str(value) for name, value in settings.items()})
    worker = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "celery", "-A", "wsgi:celery", "worker", "--queues", queues,
         "--concurrency", str(concurrency), "--loglevel", "WARNING", "--without-gossip",
         "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    while not celery.control.ping(timeout=1):
        time.sleep(0.5)
    return worker


def stop(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(60)


def until_finished(client, address: str) -> list[int]:
    """Follow a job's page as its progress bar does (every 100 ms) until it has finished;
    the percentages it showed."""
    shown: list[int] = []
    while True:
        state = client.get(f"{address}/state").get_json()
        if state["percent"] is not None and (not shown or shown[-1] != state["percent"]):
            shown.append(state["percent"])
        if state["finished"]:
            if state["status"] != "done":
                raise RuntimeError(f"the job failed: {state}")
            return shown
        time.sleep(0.1)
