"""Deadlines as rows: opened and closed by the services that open and finish a step, in
their transaction. Generic: a subject, a key, a due moment, a rule, who must act and where."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import Deadline
from .rules import Citation


def end_of(day: date) -> datetime:
    """A deadline on a day runs to the end of that day, local time."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _subject(subject) -> dict:
    return {
        "subject_type": ContentType.objects.get_for_model(type(subject)),
        "subject_id": subject.pk,
    }


def open_deadline(
    subject,
    *,
    key: str,
    due_on: date,
    title: str,
    audience: str,
    scope_path: str,
    citation: Citation | None = None,
    rule_id: str = "",
    url: str = "",
) -> Deadline:
    """Open (or move) the subject's deadline for `key`. Idempotent: one open row per key."""
    with transaction.atomic():
        existing = (
            Deadline.objects.select_for_update()
            .filter(status=Deadline.Status.OPEN, key=key, **_subject(subject))
            .first()
        )
        fields = {
            "due_at": end_of(due_on),
            "title": title,
            "audience": audience,
            "scope_path": scope_path,
            "rule_id": rule_id,
            "url": url,
            "rulebook": citation.rulebook if citation else "",
            "citation": str(citation) if citation else "",
        }
        if existing is not None:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save(update_fields=list(fields))
            return existing
        return Deadline.objects.create(key=key, **fields, **_subject(subject))


def sync(subject, wanted: dict[str, dict]) -> None:
    """Make the subject's open deadlines what `wanted` says (key -> open_deadline's fields):
    close the others, open or move these. A row kept under its key keeps its reminders
    (their key includes the row and its due moment)."""
    current = {row.key for row in open_for(subject)}
    stale = sorted(current - set(wanted))
    if stale:
        close_deadlines(subject, keys=stale)
    for key, fields in wanted.items():
        open_deadline(subject, key=key, **fields)


def close_deadlines(subject, *, keys: list[str] | None = None) -> int:
    """Close the subject's open deadlines (those of `keys`, or all)."""
    rows = Deadline.objects.filter(status=Deadline.Status.OPEN, **_subject(subject))
    if keys is not None:
        rows = rows.filter(key__in=keys)
    return rows.update(status=Deadline.Status.CLOSED, closed_at=timezone.now())


def open_for(subject) -> list[Deadline]:
    return list(Deadline.objects.filter(status=Deadline.Status.OPEN, **_subject(subject)))
