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


def _fields(
    *,
    due_on: date,
    title: str,
    audience: str,
    scope_path: str,
    citation: Citation | None = None,
    rule_id: str = "",
) -> dict:
    return {
        "due_at": end_of(due_on),
        "title": title,
        "audience": audience,
        "scope_path": scope_path,
        "rule_id": rule_id,
        "rulebook": citation.rulebook if citation else "",
        "citation": str(citation) if citation else "",
    }


def _open_rows(subject, *, lock: bool = False):
    rows = Deadline.objects.filter(status=Deadline.Status.OPEN, **_subject(subject))
    return rows.select_for_update() if lock else rows


def _put(subject, key: str, fields: dict, existing: Deadline | None) -> None:
    """Open the row for `key`, or move the existing one if anything of it changed."""
    if existing is None:
        Deadline.objects.create(key=key, **fields, **_subject(subject))
    elif any(getattr(existing, name) != value for name, value in fields.items()):
        Deadline.objects.filter(pk=existing.pk).update(**fields)


def open_deadline(subject, *, key: str, **fields) -> None:
    """Open (or move) the subject's deadline for `key` (fields: `_fields`'s). Idempotent:
    one open row per key."""
    with transaction.atomic():
        existing = _open_rows(subject, lock=True).filter(key=key).first()
        _put(subject, key, _fields(**fields), existing)


def sync(subject, wanted: dict[str, dict]) -> None:
    """Make the subject's open deadlines what `wanted` says (key -> open_deadline's fields):
    close the others, open or move these. A row kept under its key keeps its reminders
    (their key includes the row and its due moment). One locked read of the open rows; a row
    already as wanted is not written. No savepoint: a failure fails the caller's step."""
    if not wanted:  # nothing to keep open: closing them all is one statement
        close_deadlines(subject)
        return
    with transaction.atomic(savepoint=False):
        current = {row.key: row for row in _open_rows(subject, lock=True)}
        stale = [row.pk for key, row in current.items() if key not in wanted]
        if stale:
            _close(Deadline.objects.filter(pk__in=stale))
        for key, fields in wanted.items():
            _put(subject, key, _fields(**fields), current.get(key))


def _close(rows) -> int:
    return rows.update(status=Deadline.Status.CLOSED, closed_at=timezone.now())


def close_deadlines(subject) -> int:
    """Close all the subject's open deadlines."""
    return _close(_open_rows(subject))


def open_for(subject) -> list[Deadline]:
    return list(_open_rows(subject))
