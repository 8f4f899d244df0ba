"""The Celery application: configured from Django settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A worker does not run Django's system checks at its start (Celery's Django fixup would):
# they import every URL, admin and template module and probe the PDF fonts, which a worker
# never uses, and they run where the code is deployed (`manage.py migrate`, `check --deploy`,
# the web server's start). Set CELERY_SKIP_CHECKS= (empty) to run them in a worker as well.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

app = Celery("jiceng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
