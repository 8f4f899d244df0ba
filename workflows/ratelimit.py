"""Rate limits that hold under concurrency and count failed attempts: each attempt is
counted and recorded in a transaction of its own, under a lock per key, before the action it
guards runs (so a refused action still counts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from . import locks
from .models import RateEvent


@dataclass(frozen=True)
class Limit:
    key: str
    most: int
    window: timedelta


def take(*limits: Limit, now: datetime | None = None) -> bool:
    """Count one attempt against every limit: True and recorded if each is under its most,
    False (and nothing recorded) if one is spent. An empty key is no limit."""
    now = now or timezone.now()
    limits = tuple(limit for limit in limits if limit.key)
    with transaction.atomic():
        locks.hold(*(limit.key for limit in limits))
        for limit in limits:
            recent = RateEvent.objects.filter(key=limit.key, at__gt=now - limit.window).count()
            if recent >= limit.most:
                return False
        RateEvent.objects.bulk_create([RateEvent(key=limit.key, at=now) for limit in limits])
    return True


def forget_before(moment: datetime) -> int:
    """Drop attempts older than every window (a nightly chore)."""
    deleted, _ = RateEvent.objects.filter(at__lt=moment).delete()
    return deleted
