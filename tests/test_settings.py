"""Production settings refuse to start without their secrets and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Kq9" * 10,
    "ALLOWED_HOSTS": "jiceng.example.cn",
    "DATABASE_URL": "sqlite:////tmp/jiceng-prod-check.sqlite3",
    "JICENG_AUDIT_SIGNING_KEY": "cHJvZHVjdGlvbi1jaGVjay1zaWduaW5nLXNlZWQtMzI=",
}


def _manage(*args, env):
    # Nothing of the test run leaks in (the browser tests allow async-unsafe ORM calls).
    leaks = {*PROD_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in leaks}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "JICENG_AUDIT_SIGNING_KEY"]
)
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_collects_static_files_with_hashed_names(tmp_path):
    """A deploy runs `collectstatic`: it must not fail on a third-party stylesheet that names
    files it does not ship, and our own files get content-hashed names."""
    result = _manage("collectstatic", "--noinput", env={**PROD_ENV, "STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert '"portal/staff.css": "portal/staff.' in manifest


def test_the_benchmark_starts_under_production_settings():
    """`make bench` runs under production settings with its own environment: a setting
    production comes to require must be given there too (the signing key once was not)."""
    from config.bench.db import environment

    env = environment("sqlite:////tmp/jiceng-bench-check.sqlite3")
    result = _manage("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
