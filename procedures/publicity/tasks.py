"""Celery adapters: thin and idempotent."""

from celery import shared_task

from . import services


@shared_task(name="publicity.close_due_notices")
def close_due_notices() -> int:
    return services.notices_close_due()
