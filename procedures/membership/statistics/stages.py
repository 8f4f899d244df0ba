"""The pipeline of a period: how many reached each stage, how long each stage took
(medians), and the branches slowest at it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.db import models
from django.db.models import Count, F, Q, QuerySet

from procedures.people.models import Organisation

from .composition import Share, developed, of_the_day

# The pipeline of a period: how many reached each stage, and how long each stage took.

STAGES = (
    # (label, the day the stage is reached)
    ("入党申请人", "applied_on"),
    ("入党积极分子", "activist_on"),
    ("发展对象", "candidate_on"),
    ("预备党员", "admitted_on"),
    ("正式党员", "converted_on"),
)


@dataclass(frozen=True)
class Stage:
    label: str
    count: int
    previous: int | None  # the stage before's count (None for the first)

    @property
    def ratio(self) -> Decimal | None:
        """This stage's count per hundred of the stage before, in the same period."""
        return None if self.previous is None else Share("", self.count, self.previous).percent


@dataclass(frozen=True)
class Span:
    label: str  # "入党积极分子→发展对象"
    count: int  # cases that went through it in the period
    median_days: Decimal | None


@dataclass(frozen=True)
class SlowBranch:
    branch: str
    township: str
    count: int
    average_days: int


def _reached(field: str, start: date, end: date) -> Q:
    condition = Q(**{f"{field}__gte": start, f"{field}__lte": end})
    if field == "admitted_on":
        condition &= Q(approved_on__isnull=False)  # a new member, as `developed` counts
    return condition


def funnel(
    cases: QuerySet, start: date, end: date, *, as_of: date, within: str = ""
) -> list[Stage]:
    """A cohort: of those who applied in the period under `within` (where they were on the
    day they applied), how many had reached each stage by `as_of` (one aggregate query).
    Each stage is a subset of the one before, so no share of the stage before passes 100 %,
    as a funnel's must not."""
    applied = of_the_day(
        cases.order_by().filter(applied_on__gte=start, applied_on__lte=end), "applied_on", within
    )
    counted = applied.aggregate(
        **{field: Count("pk", filter=_reached(field, start, as_of)) for _label, field in STAGES}
    )
    out, previous = [], None
    for label, field in STAGES:
        out.append(Stage(label, counted[field], previous))
        previous = counted[field]
    return out


def _days(later: str, earlier: str):
    return models.ExpressionWrapper(F(later) - F(earlier), output_field=models.DurationField())


def _median(values: list) -> Decimal | None:
    if not values:
        return None
    days = [Decimal(value.days) for value in values]
    middle = len(days) // 2
    if len(days) % 2:
        return days[middle]
    return (days[middle - 1] + days[middle]) / 2


def spans(cases: QuerySet, start: date, end: date, within: str = "") -> list[Span]:
    """The time each stage took, for the cases that finished it in the period under
    `within` (where they were on the day they finished it): the median in days (the middle
    one or two of the ordered durations, read from SQL)."""
    out = []
    for (label, earlier), (next_label, later) in pairwise(STAGES):
        finished = cases.order_by().filter(
            _reached(later, start, end), **{f"{earlier}__isnull": False}
        )
        done = of_the_day(finished, later, within).annotate(took=_days(later, earlier))
        count = done.count()
        middle = done.order_by("took").values_list("took", flat=True)
        values = list(middle[max((count - 1) // 2, 0) : count // 2 + 1]) if count else []
        out.append(Span(f"{label}→{next_label}", count, _median(values)))
    return out


def slowest_branches(
    cases: QuerySet, start: date, end: date, within: str = "", *, limit: int = 5
) -> list:
    """The branches (those that admitted them) whose new members of the period took
    longest from application to the 支部大会's admission, on average."""
    rows = list(
        developed(cases, start, end, within)
        .order_by()
        .values("day_branch")
        .annotate(count=Count("pk"), average=models.Avg(_days("admitted_on", "applied_on")))
        .values_list("day_branch", "count", "average")
    )
    branches = {
        org.path: org
        for org in Organisation.objects.filter(path__in=[row[0] for row in rows]).select_related(
            "parent"
        )
    }
    rows.sort(key=lambda row: (-row[2], branches[row[0]].name))
    return [
        SlowBranch(
            branches[path].name,
            branches[path].parent.name if branches[path].parent_id else "",
            count,
            average.days,
        )
        for path, count, average in rows[:limit]
    ]
