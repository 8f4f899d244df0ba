"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from .base import *  # noqa: F403

DEBUG = False
# The example procedure (docs/procedures.md): its own package, and this line.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example_procedure"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
# Tests roll back their transactions (no on_commit, so no invalidation) and reuse primary
# keys: cached public pages would leak from one test to the next. The cache's own test turns
# it on.
JICENG_PUBLIC_CACHE_SECONDS = 0
# Every test starts with an empty cache (tests/conftest.py), so never a shared one.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}
# Published audit heads go to a folder of the test run's own (tests point it at tmp_path).
JICENG_AUDIT_PUBLICATION_DIR = str(VAR_DIR / "test-audit-heads")  # noqa: F405
# The API's throttle counts per process: the suite's thousands of requests are not an attack.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
