"""The township's and the county's overview: village by village, each kind of work (发展党员,
村级事务, 公示, 组织生活) red, amber or green by its overdue and due-soon deadline rows, each
cell a link to that village's list. One aggregate query over the deadline rows; no
procedure is named here (the kinds and their lists are what the portal registered)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import links
from procedures.people import scopes
from procedures.people.models import Organisation
from workflows.models import Deadline

from .workbench import WEEK


@dataclass(frozen=True)
class Cell:
    kind: str
    overdue: int
    soon: int  # due within the week
    url: str

    @property
    def colour(self) -> str:
        return "red" if self.overdue else "amber" if self.soon else "green"

    @property
    def text(self) -> str:
        """The cell in words: colour is never the only sign."""
        if self.overdue:
            text = _("超期%(n)d") % {"n": self.overdue}
            return text + (_("，本周%(n)d") % {"n": self.soon} if self.soon else "")
        return _("本周到期%(n)d") % {"n": self.soon} if self.soon else _("正常")


@dataclass(frozen=True)
class Row:
    branch: Organisation
    cells: list[Cell]

    @property
    def overdue(self) -> int:
        return sum(cell.overdue for cell in self.cells)


def villages(user, *, on=None) -> tuple[list[str], list[Row]]:
    """The kinds (columns) and, per village branch the user sees, its cells; the villages
    with most overdue first."""
    day = on or timezone.localdate()
    now = timezone.now() if on is None else timezone.make_aware(datetime.combine(day, time.max))
    week = timezone.make_aware(datetime.combine(day + timedelta(days=WEEK + 1), time.min))
    branches = list(
        scopes.visible_organisations(user)
        .filter(kind=Organisation.Kind.VILLAGE_BRANCH)
        .select_related("village", "parent")
        .order_by("path")
    )
    by_path = {branch.path: branch for branch in branches}
    counted = (
        Deadline.objects.filter(status=Deadline.Status.OPEN, scope_path__in=list(by_path))
        .values("scope_path", "subject_type_id")
        .annotate(
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=week)),
        )
        .order_by()
    )
    kinds = links.kinds()
    found: dict[str, dict[str, list]] = defaultdict(dict)
    for row in counted:
        cell = found[row["scope_path"]].setdefault(links.kind_of(row["subject_type_id"]), [0, 0])
        cell[0] += row["overdue"]
        cell[1] += row["soon"]
    rows = [
        Row(
            branch,
            [
                Cell(kind, *found[branch.path].get(kind, (0, 0)), links.listing(kind, branch))
                for kind in kinds
            ],
        )
        for branch in branches
    ]
    rows.sort(key=lambda row: (-row.overdue, -sum(c.soon for c in row.cells), row.branch.path))
    return kinds, rows
