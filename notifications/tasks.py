"""Celery adapters: idempotent, acks_late (set globally), retried with backoff."""

from celery import shared_task
from django.utils import timezone

from . import digest, services, stagnation

MAX_RETRIES = 5


@shared_task(name="notifications.sweep_deadlines")
def sweep_deadlines() -> int:
    return services.sweep()


@shared_task(
    bind=True,
    name="notifications.deliver",
    max_retries=MAX_RETRIES,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
)
def deliver(self, delivery_id: int) -> str:
    return services.deliver(delivery_id, final=self.request.retries >= MAX_RETRIES)


@shared_task(name="notifications.redispatch_stale")
def redispatch_stale() -> int:
    return services.redispatch_stale()


@shared_task(name="notifications.stagnation_sweep")
def stagnation_sweep() -> dict:
    return stagnation.sweep(today=timezone.localdate())


@shared_task(name="notifications.daily_digest")
def daily_digest() -> int:
    return digest.send()
