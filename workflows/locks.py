"""Serialising a check and its write per key, inside the caller's transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import KeyLock


def hold(*keys: str) -> None:
    """Lock each named key (created on first use) until the caller's transaction ends. Keys
    are taken in sorted order, so two callers holding the same keys never deadlock."""
    for key in sorted({key for key in keys if key}):
        if not KeyLock.objects.filter(key=key).exists():
            try:
                with transaction.atomic():
                    KeyLock.objects.create(key=key)
            except IntegrityError:
                pass  # created meanwhile by another request: lock it below
        KeyLock.objects.select_for_update().get(key=key)
