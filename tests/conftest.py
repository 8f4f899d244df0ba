import os

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from workflows import calendar, rules

REQUIRE_POSTGRES = os.environ.get("JICENG_REQUIRE_POSTGRES") == "1"


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    if REQUIRE_POSTGRES and not on_postgres:
        raise pytest.UsageError(
            "JICENG_REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL"
        )
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
        group = _group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def _group(item) -> str:
    """`make test` shares the tests out among processes (pytest-xdist, `--dist loadgroup`);
    these run in one process, one after another: those on the one broker (their workers and
    queues), and the demo county's package (loaded once, for all its modules)."""
    if "broker" in item.keywords or "workers" in item.keywords:
        return "broker"
    if "fixtures_demo" in item.nodeid:
        return "demo"
    return ""


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The calendar and rule settings are cached per process, and so are the notice PDFs (keyed
    # by primary key and status, which tests reuse): a test's rolled-back rows must not leak
    # into the next test through a cache.
    calendar.clear_cache()
    rules.clear_cache()
    cache.clear()
    yield
    calendar.clear_cache()
    rules.clear_cache()


def demo_county_loaded(django_db_blocker):
    """The demo county loaded in a transaction rolled back when the fixture using this ends
    (tests/fixtures_demo: a load takes 20-30 s on PostgreSQL)."""
    from fixtures import demo_county

    with django_db_blocker.unblock(), transaction.atomic():
        demo_county.load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def sent(monkeypatch):
    """Deliveries handed to the workers are kept here instead (no broker in the tests)."""
    from notifications import services as notification_services

    queued = []
    monkeypatch.setattr(notification_services, "_enqueue", queued.extend)
    return queued


@pytest.fixture
def import_worker(monkeypatch, django_capture_on_commit_callbacks):
    """The import page's jobs run at once, in the test's process, when the request's
    transaction would commit: `with import_worker(execute=True): client.post(...)`."""
    from portal.staff import import_runs

    monkeypatch.setattr(import_runs, "_enqueue", import_runs.perform)
    return django_capture_on_commit_callbacks


FONT_SOURCES = ("debian", "setting", "fallback")


@pytest.fixture
def font_source(request, monkeypatch, settings):
    """PDFs drawn from one font source (the test's parameter): Debian's Noto CJK, the
    JICENG_PDF_FONT setting, the face shipped on PyPI, or "none" at all. Every source but
    Debian's is tried with the system's fonts hidden, as on a machine without them."""
    from portal.public import fontfiles, fonts

    source = request.param
    settings.JICENG_PDF_FONT = settings.JICENG_TITLE_FONT = settings.JICENG_BODY_FONT = ""
    if source == "debian":
        if fontfiles._system("opentype/noto/NotoSansCJK-Regular.ttc", 2) is None:
            if os.environ.get("JICENG_REQUIRE_BROWSER") == "1":
                pytest.fail("Debian's fonts-noto-cjk is missing: `make install` installs it")
            pytest.skip("Debian's fonts-noto-cjk is not installed (make install, as root)")
    else:
        monkeypatch.setattr(fontfiles, "SYSTEM_FONT_DIRS", ())
    if source == "setting":
        settings.JICENG_PDF_FONT = fontfiles._pypi_font().path
    if source == "none":
        monkeypatch.setattr(fontfiles, "_pypi_font", lambda: None)
    fonts.forget()
    yield source
    fonts.forget()
