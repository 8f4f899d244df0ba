"""Browser tests: Playwright driving Debian's Chromium, axe-core from the npm registry.

`make browser-deps` (run by .ci/run) installs them. Without them these tests are skipped,
unless JICENG_REQUIRE_BROWSER=1 (CI), where their absence fails the run.
"""

import os
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
