"""``make saturation`` / ``python -m bench.saturation``: the highest throughput of ``make
load``'s mix at which its p95 stays within budget.

A closed loop: locust users of ``bench/locustfile.py``, each pausing between requests as
the mix says, in steps of more users against one deployment started as ``make load``
starts it (gunicorn, a Celery worker and beat, Redis). Each step runs ``--seconds`` after
its users have arrived (they arrive over ``--ramp`` seconds, signing in as they come;
those sign-ins are counted). The saturation throughput is the requests per second of
the busiest step whose p95 is within the budget with no error; the steps stop at the
first one past it. Locust runs on the same machine and takes its share of the cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench import load

STEPS = (100, 200, 300, 400, 600, 800)
SIGN_IN = "POST /login [POST]"


def step(options, users: int, base: str, folder: Path, members_file: Path) -> dict:
    """One step of ``users``: its totals, and the p95 of its sign-ins."""
    ramp = options.ramp
    run = argparse.Namespace(users=users, spawn_rate=users / ramp, seconds=options.seconds + ramp)
    with open(folder / f"locust-{users}.log", "w") as log:
        prefix = load.run_locust(run, base, folder, members_file, log)
    total, endpoints, _failures = load.read_stats(prefix)
    sign_in = next((row for row in endpoints if f"{row['Type']} {row['Name']}" == SIGN_IN), None)
    return {
        "users": users,
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "errors": int(total["Failure Count"]),
        "sign_in_p95": float(sign_in["95%"]) if sign_in else None,
    }


def within(result: dict) -> bool:
    return result["errors"] == 0 and result["p95"] <= load.BUDGETS["p95_ms"]


def report(options, results: list[dict], peak_kb: dict[int, int]) -> None:
    print(f"\nSaturation: {load.describe(options)}, database {options.url.split('@')[-1]}")
    print(f"each step {options.seconds} s after a {options.ramp} s arrival\n")
    print(f"{'users':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'errors':>8}{'sign-in p95':>13}  verdict")
    for result in results:
        sign_in = f"{result['sign_in_p95']:.0f}" if result["sign_in_p95"] is not None else "-"
        print(
            f"{result['users']:>6}{result['rps']:>8.1f}{result['p50']:>7.0f}{result['p95']:>7.0f}"
            f"{result['errors']:>8}{sign_in:>13}  {'within' if within(result) else 'past'}"
        )
    best = max(
        (result for result in results if within(result)), key=lambda r: r["rps"], default=None
    )
    rss_mb = max(peak_kb.values(), default=0) / 1024
    if best is None:
        print("\nsaturation throughput: no step within the budget")
    else:
        print(f"\nsaturation throughput: {best['rps']:.1f} req/s at {best['users']} users "
              f"(p95 {best['p95']:.0f} ms <= {load.BUDGETS['p95_ms']} ms, 0 errors)")  # fmt: skip
    print(f"max RSS per worker: {rss_mb:.0f} MB (budget {load.BUDGETS['rss_mb']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.saturation", description=__doc__)
    parser.add_argument("--url", default=load.default_url())
    parser.add_argument("--steps", default=",".join(map(str, STEPS)), help="users per step")
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--ramp", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", help="copy the run's files (locust's CSVs, the logs) here")
    options = parser.parse_args(argv)
    for name, value in load.RAISED_LIMITS.items():
        setattr(options, name, value)
    options.redis, options.instances = load.DEFAULT_REDIS, 1

    accounts = load.members(options.url)
    if not accounts:
        print(f"No demo school members in {options.url}: run flask demo on it first.")
        return 2
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="saturation-") as name:
        folder = Path(name)
        members_file = folder / "members.json"
        members_file.write_text(json.dumps(accounts))
        environment = load.server_environment(options, folder)
        with open(folder / "gunicorn.log", "w") as server_log:
            jobs = load.start_jobs(environment, folder, server_log)
            group = load.serve(options, environment, folder, server_log)
            sampler = load.MemorySampler(*(server.pid for server in group.instances))
            try:
                load.wait_until_ready(group.base, group.instances[0])
                sampler.start()
                load.warm_up(group.base, options)
                for users in map(int, options.steps.split(",")):
                    print(f"{users} users…", flush=True)
                    results.append(step(options, users, group.base, folder, members_file))
                    if not within(results[-1]):
                        break
            finally:
                load.stop(sampler, group, jobs)
        if options.keep:
            shutil.copytree(folder, options.keep, dirs_exist_ok=True)
    report(options, results, sampler.peak_kb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
