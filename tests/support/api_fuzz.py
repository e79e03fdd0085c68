"""``python -m tests.support.api_fuzz``: schemathesis against a live server, three principals.

A fresh SQLite database gets the demo data; a real server (``flask run``, threaded)
serves it; schemathesis reads ``/api/v1/openapi.json`` and fuzzes every operation
as an anonymous client, a school member and a national coordinator, with data the
document allows and data it refuses (``--mode all``), running every check: no answer is
a server error, every answer conforms to the document (status, content type, headers,
body schema), and every request the document refuses is refused (negative data).

One check is left out: ``positive_data_acceptance`` expects every request the document
allows to succeed, but part of what the server checks depends on stored data and cannot
be written in JSON Schema — that an id names an existing object, a region belongs to the
chosen country, a page cursor is one the server issued, the end comes after the start, a
label year is not in the future. Those answers are 400, 404, 409 or 422 naming the field,
as the document lists them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHECKS = "all"
EXCLUDED_CHECKS = "positive_data_acceptance"
PRINCIPALS = {
    "anonymous": None,
    "member": "member.tr1@example.org",
    "coordinator": "coordinator.tr@example.org",
}
MAX_EXAMPLES = os.environ.get("API_FUZZ_EXAMPLES", "25")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="api-fuzz-"))
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'fuzz.sqlite'}",
        "FLASK_API_RATE_LIMIT": "100000 per minute",
    }
    _flask(env, "db", "upgrade")
    _flask(env, "pillars", "load")
    _flask(env, "regions", "load", "TR", "RO", "NO", "NL", "BE")
    _flask(env, "demo", "--schools", "60", "--events", "300")
    tokens = {
        name: _flask(env, "users", "token", email, "--name", "fuzz").strip() if email else None
        for name, email in PRINCIPALS.items()
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "server.log").open("w"),
    )
    failed = []
    try:
        _wait(f"{base}/api/v1/openapi.json")
        for name, token in tokens.items():
            print(f"== schemathesis as {name}", flush=True)
            command = [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{base}/api/v1/openapi.json",
                "--checks",
                CHECKS,
                "--exclude-checks",
                EXCLUDED_CHECKS,
                "--mode",
                "all",  # valid and invalid data
                "--max-examples",
                MAX_EXAMPLES,
                "--phases",
                "examples,coverage,fuzzing",
                "--seed",
                "2026",
                "--workers",
                "1",  # CPython 3.11 can fail compiling in several threads at once
                "--request-timeout",
                "30",
                "--suppress-health-check",
                "all",
            ]
            if token:
                command += ["--header", f"Authorization: Bearer {token}"]
            if subprocess.run(command, check=False).returncode != 0:  # noqa: S603
                failed.append(name)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failed:
        print(f"schemathesis failed for: {', '.join(failed)} (server log: {workdir}/server.log)")
        return 1
    print(
        "schemathesis: no server errors, every answer conforms to the document, "
        "every invalid request is refused"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
