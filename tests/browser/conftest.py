"""A live server on a temporary SQLite database with demo data, and Debian's Chromium.

Run with ``make test-browser``: these tests are marked ``browser`` and driven by
pytest-playwright.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


class LiveConfig(TestConfig):
    WTF_CSRF_ENABLED = True
    SERVER_NAME = None


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    database = Path(tmp_path_factory.mktemp("live")) / "live.sqlite"
    app = create_app(
        type("Live", (LiveConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    )
    runner = app.test_cli_runner()
    for args in (
        ["db", "upgrade"],
        ["pillars", "load"],
        ["regions", "load", "TR", "RO", "NO", "NL", "BE"],
        ["demo", "--schools", "60", "--events", "300", "--seed", "11"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, f"{args}: {result.output}"
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test-browser` as root to install it"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.1 A and AA) on a page and fail with its report."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check
