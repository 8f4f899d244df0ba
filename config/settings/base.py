"""Settings shared by every environment. Values that differ come from environment variables."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",  # before viewflow: our 404 and templates win over its same-named ones
    "viewflow",
    "viewflow.workflow",
    "workflows",
    "procedures.people",
    "procedures.publicity",
    "procedures.membership",
    "procedures.village",
    "procedures.branchlife",
    "procedures.transfers",
    "notifications",
    "fixtures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.errors.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.errors.ProcedureErrorMiddleware",
    # Last: it answers a locked-out login itself.
    "axes.middleware.AxesMiddleware",
]

# Logins: django-axes counts failures per account and locks it for a while after a few
# (guessing a password takes thousands of tries); the lockout page is ours, in Chinese.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("JICENG_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("JICENG_LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.headers.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.headers.client_address"
AXES_VERBOSE = False
# axes warns that a lock on the username alone leaves out the address. On purpose: village
# offices share one address, so a lock on it would shut out a whole township for one
# villager's typos, while a lock on the account cannot be dodged by changing browsers.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions on shared village-office computers: gone when the browser closes, and after a
# working day at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("JICENG_SESSION_HOURS", default=8) * 3600

# Content-Security-Policy: scripts, styles and images from this site only; no inline code
# (the pages' styles and scripts are static files), no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context.site",
            ],
        },
    },
]


def database(url: str) -> dict:
    config = env.db_url_config(url)
    config["ATOMIC_REQUESTS"] = False
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several processes (web, worker, beat) share the file: wait for the lock instead of
        # failing, and take it when a transaction begins (no deadlock upgrading a read lock).
        config.setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    return config


DATABASES = {
    "default": database(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per process by default; production shares one (CACHE_URL=redis://...), so a changed notice
# leaves every web worker's cached public pages at once.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    # A long job's progress (an Excel import run by a worker, read by the page): shared by the
    # web and the workers, so files on this machine by default; production points it at the
    # shared cache (JICENG_PROGRESS_CACHE_URL=redis://...).
    "progress": env.cache(
        "JICENG_PROGRESS_CACHE_URL", default=f"filecache://{VAR_DIR / 'cache' / 'progress'}"
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Users read Chinese only: no per-browser language switching (an English browser must not
# turn refusals into English).
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The pages' session, or a token for machines (`manage.py drf_create_token USER`); no
    # HTTP Basic, which would send a password with every request and invite guessing.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("JICENG_API_ANON_RATE", default="60/minute"),
        "user": env("JICENG_API_USER_RATE", default="600/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "portal.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "基层流程引擎 API",
    "DESCRIPTION": "发展党员、三议一会一公开一知晓、公示的工作接口。"
    " Refusals answer {code, message, citation}.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Procedures' "kind" fields: each choice set named for what it is.
    "ENUM_NAME_OVERRIDES": {
        "BranchLifeKindEnum": "procedures.branchlife.steps.Kind",
        "ObservationKindEnum": "procedures.membership.models.Observation.Kind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One path per step, each with its own body (portal/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.expand_steps",
    ],
}

# Celery: deadlines are database rows swept by beat, never long ETAs.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep LOGGING (and its redaction) in workers
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # How soon an idle worker looks for new messages (kombu's default is 1 s): a worker
        # holding its prefetch limit looks again only after this, so it bounds throughput.
        "polling_interval": 0.1,
    }
else:
    # A message taken by a worker that died unacknowledged returns to the queue after this.
    # How soon it is looked for, and how long a dead worker's restore lock may block others.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("JICENG_BROKER_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_interval": env.int("JICENG_BROKER_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("JICENG_BROKER_RESTORE_THROTTLE", default=10),
        "unacked_mutex_expire": env.int("JICENG_BROKER_RESTORE_LOCK_SECONDS", default=300),
    }
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    "fire-due-flow-timers": {
        "task": "workflows.tasks.fire_due_flow_timers",
        "schedule": 60.0,
    },
    "close-due-notices": {
        "task": "publicity.close_due_notices",
        "schedule": crontab(minute=5),  # hourly: a period ends at midnight, closes by 00:05
    },
    "sweep-deadlines": {
        "task": "notifications.sweep_deadlines",
        "schedule": 60.0,
    },
    "redispatch-stale-deliveries": {
        "task": "notifications.redispatch_stale",
        "schedule": env.float("JICENG_REDISPATCH_EVERY_SECONDS", default=60.0),
    },
    "forget-old-rate-events": {
        "task": "workflows.tasks.forget_old_rate_events",
        "schedule": crontab(hour=3, minute=40),
    },
    "publish-audit-heads": {
        "task": "workflows.tasks.publish_audit_heads",
        "schedule": crontab(hour=23, minute=50),
    },
    "daily-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    "stagnation-warnings-daily": {
        "task": "notifications.stagnation_sweep",
        "schedule": crontab(hour=2, minute=7),
    },
    "branch-life-periods-daily": {
        "task": "procedures.branchlife.tasks.sync_branch_life_deadlines",
        "schedule": crontab(hour=0, minute=20),  # a new month, quarter or year opens its rows
    },
    "verify-audit-chain-nightly": {
        "task": "workflows.tasks.verify_audit_chain",
        "schedule": crontab(hour=3, minute=17),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_data": {"()": "workflows.logging.RedactPersonalData"}},
    "formatters": {
        "plain": {
            "()": "workflows.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django gives these handlers of its own, which would print a request line (a search
        # for a phone number in its URL) unmasked: they write through the redacting one.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # The PDF font subsetter logs every glyph list at INFO: some thirty lines a PDF.
        "fontTools": {"level": "WARNING"},
    },
}

# Jiceng's own settings.
JICENG_CALENDAR_CACHE_SECONDS = env.int("JICENG_CALENDAR_CACHE_SECONDS", default=60)
# Behind a reverse proxy, the request header that carries the client's address
# (e.g. "HTTP_X_REAL_IP"); empty: REMOTE_ADDR. Used only, hashed, to rate-limit objections.
JICENG_CLIENT_IP_HEADER = env("JICENG_CLIENT_IP_HEADER", default="")
# How many proxies of ours append to that header: the client's address is the one the
# outermost of them added (counted from the right), never what the client wrote itself.
JICENG_TRUSTED_PROXIES = env.int("JICENG_TRUSTED_PROXIES", default=1)
# A CJK font for PDFs; empty: the first found of Debian's Noto CJK, then a PyPI Noto CJK.
JICENG_PDF_FONT = env("JICENG_PDF_FONT", default="")
# GB/T 9704's fonts for 公文 (a notice): 方正小标宋 for titles, 仿宋 for the text, as
# "path" or "path#index"; empty: found under /usr/share/fonts, else the serif CJK stand in.
JICENG_TITLE_FONT = env("JICENG_TITLE_FONT", default="")
JICENG_BODY_FONT = env("JICENG_BODY_FONT", default="")
# Files made once and kept (the PDFs' common CJK font): var/cache, else the temporary directory.
JICENG_CACHE_DIR = env("JICENG_CACHE_DIR", default=str(BASE_DIR / "var" / "cache"))
# A county's Word template renders in a child process with these bounds (portal.documents.word).
JICENG_TEMPLATE_SECONDS = env.int("JICENG_TEMPLATE_SECONDS", default=10)
JICENG_TEMPLATE_MEMORY_MIB = env.int("JICENG_TEMPLATE_MEMORY_MIB", default=256)
JICENG_TEMPLATE_OUTPUT_MIB = env.int("JICENG_TEMPLATE_OUTPUT_MIB", default=20)
# What an uploaded workbook may unpack to before openpyxl opens it (workflows.sheets), and
# hold once read: far above a county's real file (the 10,000-case workbook: about 166,000
# rows in 办理记录, some 5 cells filled a row, about 140 MB of XML as Jiceng exports it) and
# low enough that the worst file these admit costs a worker under 200 MiB (make bench).
JICENG_UPLOAD_UNPACKED_MIB = env.int("JICENG_UPLOAD_UNPACKED_MIB", default=300)
JICENG_UPLOAD_STRINGS_MIB = env.int("JICENG_UPLOAD_STRINGS_MIB", default=30)  # read whole
JICENG_UPLOAD_CELLS = env.int("JICENG_UPLOAD_CELLS", default=1_200_000)  # filled, a sheet
JICENG_UPLOAD_ENTRIES = env.int("JICENG_UPLOAD_ENTRIES", default=500)
JICENG_UPLOAD_RATIO = env.int("JICENG_UPLOAD_RATIO", default=100)
JICENG_UPLOAD_ROWS = env.int("JICENG_UPLOAD_ROWS", default=200_000)
JICENG_UPLOAD_COLUMNS = env.int("JICENG_UPLOAD_COLUMNS", default=200)
JICENG_SITE_NAME = "基层公示栏"
# The audit chain's heads, published nightly as signed files (workflows.publication): where
# they are kept (outside the database; back them up, they are the trust anchor), and the
# Ed25519 seed that signs them (base64 of 32 bytes; development makes one in var/).
JICENG_AUDIT_PUBLICATION_DIR = env(
    "JICENG_AUDIT_PUBLICATION_DIR", default=str(VAR_DIR / "audit-heads")
)
JICENG_AUDIT_SIGNING_KEY = env("JICENG_AUDIT_SIGNING_KEY", default="")
# Public pages are served from the cache this long (0: not cached). See portal.public.cache.
JICENG_PUBLIC_CACHE_SECONDS = env.int("JICENG_PUBLIC_CACHE_SECONDS", default=60)
# Reminders: how long before a deadline, and after how many overdue days the county hears.
JICENG_REMIND_BEFORE_DAYS = env.int("JICENG_REMIND_BEFORE_DAYS", default=3)
JICENG_ESCALATE_COUNTY_AFTER_DAYS = env.int("JICENG_ESCALATE_COUNTY_AFTER_DAYS", default=10)
# A pending delivery untouched this long lost its message (a broker that dropped it, a worker
# killed between taking it and recording it): the beat hands it to a worker again. Longer
# than the task's longest retry backoff (600 s), so a delivery waiting to retry is left alone.
JICENG_DELIVERY_STALE_SECONDS = env.int("JICENG_DELIVERY_STALE_SECONDS", default=900)
JICENG_SMS_BACKEND = env("JICENG_SMS_BACKEND", default="notifications.sms.FileBackend")
JICENG_SMS_FILE_PATH = env("JICENG_SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
JICENG_SMS_WEBHOOK_URL = env("JICENG_SMS_WEBHOOK_URL", default="")
JICENG_SMS_WEBHOOK_TOKEN = env("JICENG_SMS_WEBHOOK_TOKEN", default="")
JICENG_SITE_URL = env("JICENG_SITE_URL", default="http://127.0.0.1:8000")
# Group robots (企业微信, 钉钉), configured per county in the admin: posted over HTTP, or, in
# development, written to var/robots/ (notifications/robots.py).
JICENG_ROBOT_TRANSPORT = env("JICENG_ROBOT_TRANSPORT", default="notifications.robots.FileTransport")
JICENG_ROBOT_FILE_PATH = env("JICENG_ROBOT_FILE_PATH", default=str(VAR_DIR / "robots"))
