"""Browser tests: Playwright driving Debian's Chromium, axe-core from the npm registry.

`make browser-deps` (run by .ci/run) installs them. Without them these tests are skipped,
unless JICENG_REQUIRE_BROWSER=1 (CI), where their absence fails the run.
"""

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JICENG_CHROMIUM", "/usr/bin/chromium")
AXE = Path(
    os.environ.get(
        "JICENG_AXE_JS",
        Path(__file__).resolve().parents[2] / "var/node/node_modules/axe-core/axe.min.js",
    )
)
REQUIRED = os.environ.get("JICENG_REQUIRE_BROWSER") == "1"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"no axe-core at {AXE} (make browser-deps)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite():
    """On SQLite the live server's request threads share the test's one connection: a page's
    check request still running when its form was sent made the send fail ("cannot start a
    transaction within a transaction"), the more often the busier the machine. There, the
    server's threads take the application one request at a time; on PostgreSQL every thread
    has a connection of its own and they run side by side."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return

    class OneAtATime(ThreadedWSGIServer):
        lock = threading.Lock()

        def set_app(self, application):
            def serialised(environ, start_response):
                with self.lock:
                    result = application(environ, start_response)
                    try:
                        return [b"".join(result)]
                    finally:
                        if hasattr(result, "close"):
                            result.close()

            super().set_app(serialised)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def browser():
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(f"browser tests required but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def axe_source():
    return AXE.read_text()
