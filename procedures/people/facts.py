"""The shared fact "a branch meeting held" (`MeetingHeld`), written by every procedure that
holds a party meeting, through its pipeline's `shared_facts` step, and read by the branch
ledger and the statistics: what a procedure says its meeting was to the branch.

`meetings_held_sync` keeps the facts of one record in step with it (idempotent: the same
record synchronised twice writes the same rows), and announces after commit which branches'
meetings changed, for what follows them (the ledger's frequency rows) to subscribe."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal

from .models import MeetingHeld, Organisation

# Sent after commit (sender: the record's model) with the ids of the branches whose
# meetings held changed.
meetings_held_changed = Signal()


@dataclass(frozen=True)
class Held:
    """One fact of a record: the kind it counts as, its day and what the ledger shows."""

    branch: Organisation
    kind: str
    held_on: date
    topic: str
    should_attend: int
    attended: int
    source: str
    page: models.Model  # the page a reader opens for it
    group: Organisation | None = None


def meetings_held_sync(record: models.Model, facts: Iterable[Held]) -> list[MeetingHeld]:
    """The facts of `record` become `facts` (none: it counts nowhere, as when withdrawn or
    superseded)."""
    record_type = ContentType.objects.get_for_model(record)
    existing = {
        row.kind: row
        for row in MeetingHeld.objects.select_for_update().filter(
            record_type=record_type, record_id=record.pk
        )
    }
    wanted = {fact.kind: fact for fact in facts}
    branches = {row.branch_id for row in existing.values()}
    gone = [row.pk for kind, row in existing.items() if kind not in wanted]
    if gone:
        MeetingHeld.objects.filter(pk__in=gone).delete()
    kept = []
    for kind, fact in wanted.items():
        values = {
            "branch": fact.branch,
            "group": fact.group,
            "held_on": fact.held_on,
            "topic": fact.topic[:200],
            "should_attend": fact.should_attend,
            "attended": fact.attended,
            "source": fact.source[:300],
            "page_type": ContentType.objects.get_for_model(fact.page),
            "page_id": fact.page.pk,
        }
        row = existing.get(kind)
        if row is None:
            row = MeetingHeld.objects.create(
                record_type=record_type, record_id=record.pk, kind=kind, **values
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        kept.append(row)
        branches.add(fact.branch.pk)
    sender = type(record)
    transaction.on_commit(
        lambda: meetings_held_changed.send(sender=sender, branch_ids=sorted(branches)),
        robust=True,
    )
    return kept
