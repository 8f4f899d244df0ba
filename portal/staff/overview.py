"""The township's and the county's overview: village by village, each kind of work (发展党员,
村级事务, 公示, 组织生活) red, amber or green by its overdue and due-soon deadline rows, each
cell a link to the list of exactly the rows it counts (`cell_items`: the same filters), each
item linking to its record. One aggregate query over the deadline rows; no procedure is
named here (the kinds and their lists are what the portal registered)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import links
from procedures.people import scopes
from procedures.people.models import Organisation
from workflows.models import Deadline

from . import workbench
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


def _moments(on) -> tuple[date, datetime, datetime]:
    """The day, the moment counted as now (the day's end for a past day) and the week's end."""
    day = on or timezone.localdate()
    now = timezone.now() if on is None else timezone.make_aware(datetime.combine(day, time.max))
    week = timezone.make_aware(datetime.combine(day + timedelta(days=WEEK + 1), time.min))
    return day, now, week


def _branches(user):
    return (
        scopes.visible_organisations(user)
        .filter(kind=Organisation.Kind.VILLAGE_BRANCH)
        .select_related("village", "parent")
        .order_by("path")
    )


def _cell_url(branch: Organisation, kind: str) -> str:
    return f"{reverse('staff:overview_cell', args=[branch.pk])}?{urlencode({'kind': kind})}"


# The overview's columns: the procedures' work, then the notices they post, then the
# branch's own records; a procedure added later comes after these.
COLUMNS = ("发展党员", "村级事务", "公示", "组织生活")


def _column(kind: str) -> int:
    return COLUMNS.index(kind) if kind in COLUMNS else len(COLUMNS)


def villages(user, *, on=None) -> tuple[list[str], list[Row]]:
    """The kinds (columns) and, per village branch the user sees, its cells; the villages
    with most overdue first."""
    _day, now, week = _moments(on)
    branches = list(_branches(user))
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
    kinds = sorted(links.kinds(), key=_column)
    found: dict[str, dict[str, list]] = defaultdict(dict)
    for row in counted:
        cell = found[row["scope_path"]].setdefault(links.kind_of(row["subject_type_id"]), [0, 0])
        cell[0] += row["overdue"]
        cell[1] += row["soon"]
    rows = [
        Row(
            branch,
            [
                Cell(kind, *found[branch.path].get(kind, (0, 0)), _cell_url(branch, kind))
                for kind in kinds
            ],
        )
        for branch in branches
    ]
    rows.sort(key=lambda row: (-row.overdue, -sum(c.soon for c in row.cells), row.branch.path))
    return kinds, rows


def cell_items(user, branch_pk: int, kind: str, *, on=None):
    """What one cell counts: the village's open deadline rows of that kind of work, overdue
    or due within the week, as the 工作台 tells them (overdue first), with the branch and the
    address of all its records of that kind. None: a branch the user does not see."""
    day, _now, week = _moments(on)
    branch = _branches(user).filter(pk=branch_pk).first()
    if branch is None or kind not in links.kinds():
        return None
    rows = (
        Deadline.objects.filter(
            status=Deadline.Status.OPEN, scope_path=branch.path, due_at__lt=week
        )
        .order_by("due_at", "pk")
        .values(*workbench.FIELDS)
    )
    items = [
        workbench.item(row, day) for row in rows if links.kind_of(row["subject_type_id"]) == kind
    ]
    return branch, items, links.listing(kind, branch)
