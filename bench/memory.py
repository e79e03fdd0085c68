"""Memory of one worker: a fresh process serves every page group, then reports its peak RSS.

``run(url, database)`` starts ``python -m bench.memory URL`` (so nothing the other
benchmarks loaded counts), which builds the app as a gunicorn worker would, serves the
calendar pages, a feed, API reads and the largest country's dashboards several times,
and prints its peak resident set size. The budget of the design is 250 MB per worker.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bench.timing import Measure

BUDGET_MB = 250
ROUNDS = 3


def _serve_everything(url: str) -> None:
    from app.accounts.models import User
    from app.core.extensions import db
    from bench.pages import _app, _largest_country

    app = _app(url)
    client = app.test_client()
    with app.app_context():
        country = _largest_country()
        coordinator = db.session.scalar(
            select(User).where(User.email == f"coordinator.{country.lower()}@example.org")
        )
        session_id = coordinator.get_id()
    paths = [
        f"/calendar/{country}",
        f"/calendar/{country}?pillar=collaboration&type=open_day",
        f"/calendar/{country}/month",
        f"/calendar/{country}.ics",
        f"/directory/{country}",
        f"/schools?q=lise&country={country}",
        "/api/v1/pillars",
        f"/api/v1/events?country={country}&limit=100",
        f"/api/v1/schools?country={country}&limit=100",
    ]
    with client.session_transaction() as cookie:
        cookie["_user_id"] = session_id
        cookie["_fresh"] = True
    paths += [f"/dashboards/{country}", f"/dashboards/{country}/export/regions.xlsx"]
    for _ in range(ROUNDS):
        for path in paths:
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"{path}: {status}")


def run(url: str, database: str) -> list[Measure]:
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.memory", url], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return [Measure("memory per worker", database, float("nan"), 0, 0, BUDGET_MB, "failed")]
    peak = float(done.stdout.strip().splitlines()[-1])
    note = "peak RSS of a fresh process after serving every page group"
    return [Measure("memory per worker", database, peak, peak, peak, BUDGET_MB, note, "MB")]


def _peak_mb() -> float:
    """This address space's peak RSS (``VmHWM``): unlike ``ru_maxrss``, which Linux keeps
    across ``execve``, it does not include what the parent benchmark process had used."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    _serve_everything(sys.argv[1])
    print(f"{_peak_mb():.1f}")
