"""Lighthouse's performance score of the home page, the calendar and the dashboard, mobile.

Run by `make lighthouse`. The pages come from a temporary SQLite database filled with the
same deterministic demo data as the screenshots, served by gunicorn (with
gunicorn.conf.py, as deployed) on a free local port. Lighthouse (npm, installed by the
Makefile into build/lighthouse/) loads each page in Debian's Chromium (CHROMIUM_PATH)
with its default mobile profile: a mid-range phone, simulated slow 4G and a 4x slower
processor. The dashboard is loaded signed in as the Turkish coordinator. The reports go
to build/lighthouse/reports/; the exit status is 1 when a page scores below the budget.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import build_app  # noqa: E402 - after the path is set

LIGHTHOUSE = ROOT / "build" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "build" / "lighthouse" / "reports"
#: The issue's budget: a performance score of at least 98 on every page.
BUDGET = 0.98
PAGES = {"home": "/", "calendar": "/calendar/TR", "dashboard": "/dashboards/TR"}
SIGNED_IN = {"dashboard"}
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "speed-index",
    "total-blocking-time",
    "cumulative-layout-shift",
)
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync "
    "--disable-background-networking --disable-component-update"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(database: Path, port: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2"]
    command += ["--threads", "4", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.DEVNULL)  # noqa: S603
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer")


def session_cookie(base: str, email: str, password: str) -> str:
    """The Cookie header of a signed-in session (the form's CSRF token included)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    opener.open(f"{base}/login", data=form.encode())
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def audit(url: str, name: str, cookie: str | None) -> dict:
    report = REPORTS / f"{name}.json"
    command = [str(LIGHTHOUSE), url, "--quiet", "--only-categories=performance"]
    command += ["--output=json", f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}"]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    environment = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
    }
    subprocess.run(command, env=environment, check=True, capture_output=True)  # noqa: S603
    return json.loads(report.read_text())


def main() -> int:
    from app.demo.world import PASSWORD

    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run make lighthouse")
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "lighthouse.sqlite"
        build_app(database)
        port = free_port()
        server = serve(database, port)
        base = f"http://127.0.0.1:{port}"
        try:
            cookie = session_cookie(base, "coordinator.tr@example.org", PASSWORD)
            results = {
                name: audit(base + path, name, cookie if name in SIGNED_IN else None)
                for name, path in PAGES.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{'page':<11}{'score':>6}  " + "  ".join(name.split("-")[0][:5] for name in METRICS))
    ok = True
    for name, result in results.items():
        score = result["categories"]["performance"]["score"]
        ok &= score >= BUDGET
        values = "  ".join(f"{result['audits'][metric]['displayValue']:>5}" for metric in METRICS)
        weight = result["audits"]["total-byte-weight"]["numericValue"] / 1024
        print(f"{name:<11}{score * 100:>6.0f}  {values}  ({weight:.0f} KiB transferred)")
    print(f"budget: {BUDGET * 100:.0f} on every page -> {'pass' if ok else 'MISS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
