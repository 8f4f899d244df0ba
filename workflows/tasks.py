"""Celery adapters for the engine: thin, idempotent, acks_late (set globally)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .audit import verify_chain
from .publication import publish
from .ratelimit import forget_before

logger = logging.getLogger(__name__)


@shared_task(name="workflows.tasks.fire_due_flow_timers")
def fire_due_flow_timers() -> int:
    """Fire the viewflow timers that are due. Safe to run from several workers at once."""
    from viewflow.workflow.timers import fire_due_timers

    fired = fire_due_timers()
    if fired:
        logger.info("fired %d due flow timers", fired)
    return fired


@shared_task(name="workflows.tasks.verify_audit_chain")
def verify_audit_chain() -> int:
    """Nightly check of the audit chain; a broken link is logged as an error."""

    breaks = verify_chain()
    for found in breaks:
        logger.error("audit chain broken at %s", found)
    return len(breaks)


@shared_task(name="workflows.tasks.forget_old_rate_events")
def forget_old_rate_events() -> int:
    """Drop rate-limit attempts older than a day: every window is shorter."""

    return forget_before(timezone.now() - timedelta(days=1))


@shared_task(name="workflows.tasks.publish_audit_heads")
def publish_audit_heads() -> str:
    """Nightly: the day's signed file of the audit chain's heads (idempotent per day)."""

    path = publish()
    logger.info("audit heads published: %s", path.name)
    return path.name
