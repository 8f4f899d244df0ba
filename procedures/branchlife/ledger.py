"""The branch's ledgers, read from the records: each line one act recorded once, whatever
ledger it serves, saying where it came from.

Every procedure that holds a party meeting says what it was to the branch in one shared
fact (`procedures.people.models.MeetingHeld`, written through its pipeline): the branch's own
records; a village matter's 审议 (the 党员大会 of 三议一会) as that quarter's 支部党员大会 and its
提议 as a 支委会; member development's 支部大会 (接收预备党员, 转正) as a 党员大会. The ledger
reads those facts only, never another procedure's tables. A 主题党日 that carried a matter's
民主议事 is one record with two facts, shown in the 主题党日 ledger and as the 党员大会."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from procedures.people.models import MeetingHeld, Organisation
from workflows.rules import get_rulebook

from .periods import Period, period_of, periods_of_year
from .rulebooks import BRANCH_2018
from .steps import KINDS, LEDGER_ORDER, Kind


@dataclass(frozen=True)
class Line:
    kind: str
    day: date
    topic: str
    should_attend: int
    attended: int
    source: str  # where the line came from, in Chinese
    record: Any  # the procedure's record of the meeting
    page: Any  # what a reader opens for it: the record, the matter, the case

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


def lines(branch: Organisation, start: date, end: date) -> list[Line]:
    """Every meeting held in [start, end] that the branch counts, by day."""
    rows = (
        MeetingHeld.objects.filter(branch=branch, held_on__gte=start, held_on__lte=end)
        .prefetch_related("record", "page")
        .order_by("held_on", "pk")
    )
    found = [
        Line(
            row.kind,
            row.held_on,
            row.topic,
            row.should_attend,
            row.attended,
            row.source,
            row.record,
            row.page,
        )
        for row in rows
    ]
    return sorted(found, key=lambda line: (line.day, line.kind))


@dataclass(frozen=True)
class Completion:
    kind: str
    months: int | None  # the frequency's period (None: the rule is switched off)
    held: int  # meetings held in the year so far
    due: int  # periods that have ended, or are already met
    met: int  # of those, with at least one meeting
    missing: tuple[str, ...]  # the labels of periods ended without one

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


def frequency(kind: str) -> int | None:
    """The months of the kind's frequency as the county set it, or None (switched off)."""
    rulebook = get_rulebook(BRANCH_2018)
    rule = rulebook.rule(KINDS[kind].frequency)
    return rule.params.get("months") if rule.enabled else None


def completion(
    branch: Organisation, year: int, *, today: date | None = None, year_lines=None
) -> list[Completion]:
    """三会一课 and the rest for the year, per kind: held, due, met (凡评必审). `year_lines`:
    the year's lines when the caller has read them already."""
    if year_lines is None:
        year_lines = lines(branch, date(year, 1, 1), date(year, 12, 31))
    days: dict[str, list[date]] = {}
    for line in year_lines:
        days.setdefault(line.kind, []).append(line.day)
    return completion_of(days, year, today=today)


def completion_of(days: dict[str, list[date]], year: int, *, today: date | None = None):
    """The year's completion per kind from the days meetings were held on."""
    today = today or timezone.localdate()
    out = []
    for kind in LEDGER_ORDER:
        held_days = days.get(kind, [])
        months = frequency(kind)
        due = met = 0
        missing = []
        for period in periods_of_year(year, months or 12) if months else ():
            held = any(day in period for day in held_days)
            if period.end < today or held:
                due += 1
                met += held
                if not held:
                    missing.append(period.short_label)
        out.append(Completion(kind, months, len(held_days), due, met, tuple(missing)))
    return out


def completion_by_branch(
    branches: list[Organisation], year: int, *, today: date | None = None
) -> dict[int, list[Completion]]:
    """`completion` of many branches from one grouped query (meetings per branch, kind and
    month; every period is whole months), counting what `lines` counts."""
    ids = [branch.pk for branch in branches]
    days: dict[int, dict[str, list[date]]] = {pk: {} for pk in ids}
    rows = (
        MeetingHeld.objects.filter(branch_id__in=ids, held_on__year=year)
        .values("branch_id", "kind", month=ExtractMonth("held_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        days[row["branch_id"]].setdefault(row["kind"], []).extend(
            [date(year, row["month"], 1)] * row["n"]
        )
    return {pk: completion_of(days[pk], year, today=today) for pk in ids}


def current_period(kind: str, day: date) -> Period | None:
    months = frequency(kind)
    return period_of(day, months) if months else None
