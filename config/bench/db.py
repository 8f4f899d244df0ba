"""The benchmark's own database: a fresh PostgreSQL database beside the configured one (or,
with --quick, an SQLite file), migrated, under production settings."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = "jiceng_bench"


def database_url(quick: bool, name: str = BENCH_DB) -> str:
    if quick:
        return f"sqlite:///{ROOT / 'var' / f'{name}.sqlite3'}"
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jiceng")
    parsed = urlparse(base)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("make bench needs DATABASE_URL to be PostgreSQL (or use --quick)")
    return urlunparse(parsed._replace(path=f"/{name}"))


def environment(url: str) -> dict[str, str]:
    """Production settings on the bench database, without TLS redirects (plain loopback)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        # The bench signs nothing it keeps: a fixed seed, production's setting satisfied.
        "JICENG_AUDIT_SIGNING_KEY": base64.b64encode(
            b"bench-only-audit-seed".ljust(32, b"x")
        ).decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "False",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "filesystem://"),
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "600",
    }


def recreate(url: str) -> None:  # the database named in `url`
    """An empty database: the PostgreSQL one dropped and created, the SQLite file removed."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        name = parsed.path.lstrip("/")
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(quick: bool, *, name: str = BENCH_DB, setup: bool = True) -> str:
    """Recreate, migrate and collect static files; set this process up for Django (unless
    it is, `setup=False`: its connections closed before)."""
    url = database_url(quick, name)
    recreate(url)
    os.environ.update(environment(url))
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True)  # noqa: S603
    if setup:
        import django

        django.setup()
    return url


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
