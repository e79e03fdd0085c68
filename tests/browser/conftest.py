"""A live server on a temporary SQLite database with demo data, and Debian's Chromium.

Run with ``make test-browser``: these tests are marked ``browser`` and driven by
pytest-playwright. Every browser context the tests open is watched: a test fails when a
page logs a Content-Security-Policy violation to the console.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.core.config import TestConfig
from tests.browser.helpers import sign_in

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Console errors of every watched context since the current test started.
CONSOLE_ERRORS: list[str] = []


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


def closing_before_sending(app):
    """Read each response to the end and close it before the server sends a byte.

    Werkzeug's development server skips closing a response whose client hung up (a font
    the browser stopped loading when the page moved on), leaving the static file open; the
    ResourceWarning then fails whichever test the garbage collector happens to run in.
    """

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, closing_before_sending(live_app), threaded=True)
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


# Content-Security-Policy violations ----------------------------------------------------------


def _record_console(message) -> None:
    if message.type == "error":
        CONSOLE_ERRORS.append(f"{message.location.get('url', '')}: {message.text}")


def watch(context):
    """Collect the console errors of every page of ``context``."""
    context.on("console", _record_console)
    return context


@pytest.fixture(autouse=True)
def no_csp_violations():
    """No page a test opened may log a Content-Security-Policy violation."""
    CONSOLE_ERRORS.clear()
    yield CONSOLE_ERRORS
    violations = [text for text in CONSOLE_ERRORS if "Content Security Policy" in text]
    CONSOLE_ERRORS.clear()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def context(new_context):
    """pytest-playwright's fresh context per test, watched for CSP violations."""
    return watch(new_context())


@pytest.fixture
def open_context(new_context):
    """More fresh, watched contexts in one test: a second user, another language."""

    def open_one(**kwargs):
        return watch(new_context(**kwargs))

    return open_one


# Contexts reused across tests ------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


@pytest.fixture(scope="session")
def shared_page(browser, browser_context_args, axe_source, live_server):
    """One watched page per role for the read-only page tests (``None``: not signed in).

    A role signs in through the form once; its context is made from that saved sign-in
    (``storage_state``). Opening a page costs more than a navigation on this machine, so
    the tests of a role navigate one page, which carries axe-core from the start."""
    pages = {}

    def get(email: str | None = None):
        if email not in pages:
            state = None
            if email is not None:
                login = watch(browser.new_context(**browser_context_args))
                sign_in(login.new_page(), live_server, email)
                state = login.storage_state()
                login.close()
            context = watch(browser.new_context(**browser_context_args, storage_state=state))
            context.add_init_script(script=axe_source)
            pages[email] = context.new_page()
        return pages[email]

    yield get
    for page in pages.values():
        page.context.close()


# Accessibility ---------------------------------------------------------------------------------


@pytest.fixture
def axe_check(axe_source):
    """Run axe-core (WCAG 2.1 A and AA) on a page and fail with its report."""
    from axe_playwright_python.base import AxeResults

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

    def check(page) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        results = AxeResults(page.evaluate("options => axe.run(document, options)", options))
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


#: The elements that stick out of the viewport, when the page scrolls sideways.
_SIDEWAYS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 0.5 && e.offsetParent !== null)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 8)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`
      + ` (${Math.round(e.getBoundingClientRect().right)} px)`);
}"""


@pytest.fixture
def fits_phone():
    """Check that a page fits a phone 320 px wide: nothing makes it scroll sideways."""

    def check(page) -> None:
        size = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 640})
        try:
            sideways = page.evaluate(_SIDEWAYS)
        finally:
            page.set_viewport_size(size)
        assert sideways == [], f"{page.url} scrolls sideways at 320 px: {sideways}"

    return check
