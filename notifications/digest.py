"""The daily digest: for each user, the open deadlines he must act on or oversee that are
due within the reminder lead time or overdue. One per user and day (unique key)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Digest
from .services import due_deadlines, moments, recipients


def build(*, today: date) -> dict[int, tuple[object, list[str], list[str]]]:
    """user id -> (user, due titles, overdue titles)."""
    now = timezone.make_aware(datetime.combine(today, time(23, 59, 58)))
    found: dict[int, tuple[object, list[str], list[str]]] = {}
    for deadline in due_deadlines(now).iterator(chunk_size=500):
        overdue = deadline.due_at < now
        for _kind, level in moments(deadline, now):
            for user in recipients(deadline, level, on=today):
                entry = found.setdefault(user.pk, (user, [], []))
                (entry[2] if overdue else entry[1]).append(deadline.title)
    return found


def send(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    created = 0
    for user, due, overdue in build(today=today).values():
        due, overdue = sorted(set(due)), sorted(set(overdue))
        body = "\n".join(
            [f"已超期（{len(overdue)}）：", *overdue, f"即将到期（{len(due)}）：", *due]
        )
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    recipient=user, day=today, due=len(due), overdue=len(overdue), body=body
                )
        except IntegrityError:
            continue  # already sent today
        created += 1
        if user.email:
            send_mail(
                f"【每日待办】已超期{len(overdue)}项，即将到期{len(due)}项",
                body,
                None,
                [user.email],
            )
            Digest.objects.filter(pk=digest.pk).update(emailed=True)
    return created


def latest(*, user):
    return Digest.objects.filter(recipient=user).first()
