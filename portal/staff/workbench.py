"""The 工作台: for the signed-in person, what he must act on, from every procedure.

Read from the deadline rows the procedures keep (workflows.deadlines): an open row whose
audience is a role his current posts hold, over the organisation the row concerns, is his.
Overdue first, then what falls due this week, each with its deadline in working days and
the page to act on (the address the portal registered for the row's subject). Nothing here
knows a procedure: a new one that keeps deadline rows appears by itself."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import links
from notifications.models import Notification
from procedures.people import roles
from workflows import calendar, deadlines
from workflows.models import Deadline

WEEK = 7  # days ahead: "due this week"
LIMIT = 200  # rows read at most (a superuser's county-wide view)
# Beyond this many days past due, the lateness is told in calendar days.
_WORKDAY_SPAN = 366


@dataclass(frozen=True)
class Item:
    kind: str  # what the work is called: 发展党员, 村级事务, 公示, 组织生活
    title: str
    due: date
    workdays: int  # working days left (0: due today); negative: working days past due
    url: str
    citation: str = ""
    late_days: int = 0  # calendar days past due

    @property
    def overdue(self) -> bool:
        return self.late_days > 0

    @property
    def when(self) -> str:
        if self.overdue:
            if self.workdays < 0:
                return _("已超期%(n)d个工作日") % {"n": -self.workdays}
            return _("已超期%(n)d天") % {"n": self.late_days}
        if self.workdays == 0:
            return _("今天到期") if self.due == timezone.localdate() else _("到期日为休息日")
        return _("还剩%(n)d个工作日") % {"n": self.workdays}


@dataclass(frozen=True)
class Today:
    items: list[Item]
    counts: list[tuple[str, int, int]] = field(default_factory=list)  # kind, overdue, soon
    unread: int = 0  # reminders and hand-offs not yet read

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)


def _rows(user, until: datetime):
    condition = Q()
    for role, path, exact in roles.acting_scopes(user):
        where = Q(scope_path=path) if exact else Q(scope_path__startswith=path)
        condition |= Q(audience=role) & where
    if not condition:
        return Deadline.objects.none()
    return Deadline.objects.filter(condition, status=Deadline.Status.OPEN, due_at__lt=until)


FIELDS = ("subject_type_id", "subject_id", "title", "due_at", "citation")


def item(row: dict, today: date) -> Item:
    due = timezone.localtime(row["due_at"]).date()
    late = (today - due).days
    if late > 0:
        if late <= _WORKDAY_SPAN:
            workdays = -calendar.count_workdays(due + timedelta(days=1), today).value
        else:
            workdays = 0
    else:
        workdays = calendar.count_workdays(today + timedelta(days=1), due).value
    return Item(
        kind=links.kind_of(row["subject_type_id"]),
        title=row["title"],
        due=due,
        workdays=workdays,
        url=links.link(row["subject_type_id"], row["subject_id"]),
        citation=row["citation"],
        late_days=max(late, 0),
    )


def today(user, *, on: date | None = None) -> Today:
    """What `user` must act on: overdue, then due within the week, soonest first."""
    day = on or timezone.localdate()
    until = timezone.make_aware(datetime.combine(day + timedelta(days=WEEK + 1), time.min))
    rows = _rows(user, until).order_by("due_at", "pk").values(*FIELDS)[:LIMIT]
    items = [item(row, day) for row in rows]
    overdue = Counter(item.kind for item in items if item.overdue)
    soon = Counter(item.kind for item in items if not item.overdue)
    kinds = sorted(set(overdue) | set(soon), key=lambda k: (-overdue[k], -soon[k], k))
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return Today(items, [(k, overdue[k], soon[k]) for k in kinds], unread)


def due_for(subject, *, on: date | None = None) -> list[Item]:
    """One record's open deadlines, soonest first, told as on the 工作台 (its own page shows
    them beside its form)."""
    day = on or timezone.localdate()
    rows = sorted(deadlines.open_for(subject), key=lambda row: (row.due_at, row.pk))
    return [item({name: getattr(row, name) for name in FIELDS}, day) for row in rows]
