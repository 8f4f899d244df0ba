"""Beat's daily pass over the branches: a new month, quarter or year opens its rows with no
act to open them. Idempotent (a second run writes nothing), acks_late."""

from celery import shared_task
from django.db import transaction

from .deadlines import sync_all


@shared_task(acks_late=True)
def sync_branch_life_deadlines() -> int:

    with transaction.atomic():
        return sync_all()
