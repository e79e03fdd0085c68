"""``make security``: wapiti against the application as production runs it, signed in as a
national coordinator. The report goes to ``build/security/``.

A fresh SQLite database gets the demo data. gunicorn serves it over TLS (a certificate
made for the run) with the production settings: ``ENV=production``, a random secret, the
public address, trusted hosts, secure cookies, HSTS and the second factor required of
staff. The coordinator of Türkiye is enrolled in two-step sign-in and signs in as a
person would (password, then the code); wapiti gets that session cookie. Rate limits are
off for the run, so that the scanner reaches every page instead of its 429 answers (their
tests are in tests/core/test_rate_limits.py).

Wapiti runs from its own virtual environment (``.venv-security``, made by the make
target), so its dependencies never touch the project's locked ones. The run is bounded:
a chosen set of modules, a limited crawl and at most ``SCAN_SECONDS`` of scanning.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyotp
import requests

ROOT = Path(__file__).resolve().parents[1]
REPORT_DIR = ROOT / "build" / "security"
WAPITI = ROOT / ".venv-security" / "bin" / "wapiti"
COORDINATOR = "coordinator.tr@example.org"
PASSWORD = "demo-password"  # noqa: S105 - the demo accounts' documented password
SCAN_SECONDS = int(os.environ.get("SECURITY_SCAN_SECONDS", "300"))
ATTACK_SECONDS = int(os.environ.get("SECURITY_ATTACK_SECONDS", "25"))
#: wapiti's default modules without ``ssrf`` (it needs wapiti's public endpoint) and ``ssl``
#: (the certificate is the run's own; TLS is the reverse proxy's in a deployment), plus
#: CSRF, CRLF, HTTP methods and XXE.
MODULES = (
    "cookieflags,csp,http_headers,csrf,crlf,methods,exec,file,sql,xss,permanentxss,"
    "redirect,upload,xxe"
)
#: Pages that would end the scanner's session or the account it scans with.
EXCLUDED = ("/logout", "/account/delete", "/account/password", "/account/two-factor*")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(env: dict, *command: str) -> str:
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout


def _flask(env: dict, *args: str) -> str:
    return _run(env, sys.executable, "-m", "flask", "--app", "wsgi", *args)


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    _run(
        dict(os.environ),
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", str(key), "-out", str(cert),
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    )  # fmt: skip
    return cert, key


def _enrol(env: dict) -> str:
    """Give the coordinator a second factor (production requires one of staff); its secret."""
    secret = pyotp.random_base32()
    script = (
        "from app import create_app\n"
        "from app.accounts.operations import find_user\n"
        "from app.core.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    find_user({COORDINATOR!r}).totp_secret = {secret!r}\n"
        "    db.session.commit()\n"
    )
    _run(env, sys.executable, "-c", script)
    return secret


def _wait(url: str, cert: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2, verify=str(cert))
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    if not found:
        raise SystemExit(f"no CSRF token on {page.url} ({page.status_code}): {page.text[:300]}")
    return found.group(1)


def _sign_in(base: str, secret: str, cert: Path) -> str:
    """Sign in as the coordinator through the pages; the session cookie."""
    browser, trust = requests.Session(), {"verify": str(cert), "timeout": 30}
    browser.headers["Referer"] = f"{base}/login"  # Flask-WTF checks it over HTTPS
    login = browser.get(f"{base}/login", **trust)
    form = {"csrf_token": _csrf(login), "email": COORDINATOR, "password": PASSWORD}
    step = browser.post(f"{base}/login", data=form, **trust)
    code = {"csrf_token": _csrf(step), "code": pyotp.TOTP(secret).now()}
    done = browser.post(f"{base}/login/code", data=code, **trust)
    dashboard = browser.get(f"{base}/dashboards/TR", allow_redirects=False, **trust)
    if done.status_code != 200 or dashboard.status_code != 200:
        raise SystemExit(f"signing in as {COORDINATOR} failed ({done.status_code})")
    return browser.cookies.get("session")


def _summary(report: Path) -> str:
    """Findings by kind: vulnerabilities, anomalies (server errors, timeouts) and notes."""
    data = json.loads(report.read_text())
    lines = [f"wapiti: {data['infos'].get('crawled_pages_nbr', '?')} pages crawled"]
    for kind in ("vulnerabilities", "anomalies", "additionals"):
        found = {name: len(items) for name, items in data.get(kind, {}).items() if items}
        lines.append(f"{kind}: {sum(found.values())}")
        lines += [f"  {count:4}  {name}" for name, count in sorted(found.items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    if not WAPITI.exists():
        raise SystemExit(f"wapiti is missing at {WAPITI}: run `make security`")
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="security-scan-"))
    port = _free_port()
    base = f"https://127.0.0.1:{port}"
    env = {
        **os.environ,
        "FLASK_ENV": "production",
        "FLASK_SECRET_KEY": secrets.token_urlsafe(48),
        "FLASK_PUBLIC_URL": base,
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'scan.sqlite'}",
        "FLASK_RATELIMIT_ENABLED": "false",
        "FLASK_MAIL_BACKEND": "file",
        "FLASK_MAIL_FILE_DIR": str(workdir / "mail"),
        "FLASK_SECURITY_CONTACT": "mailto:security@etwinning-network.example",
    }
    _flask(env, "db", "upgrade")
    _flask(env, "pillars", "load")
    _flask(env, "regions", "load", "TR", "RO", "NO", "NL", "BE")
    _flask(env, "demo", "--schools", "40", "--events", "200")
    secret = _enrol(env)
    cert, key = _certificate(workdir)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn), "--workers", "1", "--threads", "4", "--bind", f"127.0.0.1:{port}",
            "--certfile", str(cert), "--keyfile", str(key), "wsgi:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(REPORT_DIR / "server.log").open("w"),
    )  # fmt: skip
    report = REPORT_DIR / "wapiti.json"
    try:
        _wait(f"{base}/healthz", cert)
        cookie = _sign_in(base, secret, cert)
        command = [
            str(WAPITI), "-u", f"{base}/", "--scope", "folder",
            "-m", MODULES, "-C", f"session={cookie}",
            "--max-scan-time", str(SCAN_SECONDS), "--max-attack-time", str(ATTACK_SECONDS),
            "-d", "3", "--max-links-per-page", "40", "--max-files-per-dir", "25",
            "--max-parameters", "20", "--tasks", "4", "-t", "20",
            "--flush-session", "--store-session", str(workdir / "wapiti"),
            "-f", "json", "-o", str(report), "-v", "1", "--no-bugreport",
            "--log", str(REPORT_DIR / "wapiti.log"),
        ]  # fmt: skip
        for path in EXCLUDED:
            command += ["-x", f"{base}{path}"]
        started = time.monotonic()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        print(f"wapiti ran {time.monotonic() - started:.0f} s against {base} as {COORDINATOR}")
        # The scan was signed in from start to end: the cookie still opens a coordinator page.
        after = requests.get(
            f"{base}/dashboards/TR", cookies={"session": cookie}, allow_redirects=False,
            verify=str(cert), timeout=30,
        )  # fmt: skip
        print(f"still signed in as {COORDINATOR} after the scan: {after.status_code == 200}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary = _summary(report)
    (REPORT_DIR / "summary.txt").write_text(summary)
    print(summary, end="")
    print(f"report: {report} (server log: {REPORT_DIR / 'server.log'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
