"""The branch's ledgers, read from the records: each line one act recorded once, whatever
ledger it serves, saying where it came from.

A village matter's 审议 (the 党员大会 of 三议一会) is also that quarter's 支部党员大会, and its
提议 (the branch committee's meeting) a 支委会; the 支部大会 of member development (接收预备党员,
转正) is a 党员大会 too: the ledger reads those procedures' meetings themselves, not copies.
A 主题党日 that carried a matter's 民主议事 is one record, shown in the 主题党日 ledger and on
the matter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from procedures.people.models import Organisation
from workflows.rules import get_rulebook

from .models import BranchMeeting
from .periods import Period, period_of, periods_of_year
from .rulebooks import BRANCH_2018
from .steps import KINDS, LEDGER_ORDER, Kind, Status


@dataclass(frozen=True)
class Line:
    kind: str
    day: date
    topic: str
    should_attend: int
    attended: int
    source: str  # where the line came from, in Chinese
    record: Any  # the record itself: a BranchMeeting or a village MatterMeeting

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


def _step_label(step: str) -> str:
    from procedures.village.steps import Step

    return str(Step(step).label) if step in Step.values else step


def _meeting_label(row) -> str:
    """The step and its meeting, once: 审议（党员大会）, the step's own label where it names
    the meeting already."""
    label, kind = _step_label(row.step), str(row.get_kind_display())
    return label if kind in label else f"{label}（{kind}）"


def _village_meetings(branch: Organisation, start: date, end: date) -> list[Line]:
    from procedures.village.models import MatterMeeting

    served = {
        MatterMeeting.Kind.MEMBERS: Kind.GENERAL_MEETING,
        MatterMeeting.Kind.BRANCH_COMMITTEE: Kind.COMMITTEE_MEETING,
    }
    if branch.village_id is None:
        return []
    # A meeting counts on its date as corrected (更正), never on the one first typed in.
    rows = (
        MatterMeeting.objects.dated()
        .filter(
            matter__village_id=branch.village_id,
            kind__in=list(served),
            day__gte=start,
            day__lte=end,
        )
        .select_related("matter")
        .order_by("day", "pk")
    )
    return [
        Line(
            served[row.kind],
            row.day,
            row.matter.title,
            row.should_attend,
            row.attended,
            f"村级事务“{row.matter.title}”的{_meeting_label(row)}",
            row,
        )
        for row in rows
    ]


def _development_meetings(branch: Organisation, start: date, end: date) -> list[Line]:
    from django.db.models import Count

    from procedures.membership.models import Meeting

    rows = (
        Meeting.objects.filter(
            branch=branch, kind=Meeting.Kind.GENERAL, held_on__gte=start, held_on__lte=end
        )
        .annotate(
            should=Count("should_attend", distinct=True), came=Count("attended", distinct=True)
        )
        .prefetch_related("ballots__case__person")
        .order_by("held_on", "pk")
    )
    found = []
    for row in rows:
        names = "、".join(ballot.case.person.name for ballot in row.ballots.all())
        topic = f"发展党员：{names}" if names else "发展党员"
        found.append(
            Line(
                Kind.GENERAL_MEETING,
                row.held_on,
                topic,
                row.should,
                row.came,
                "发展党员的支部大会",
                row,
            )
        )
    return found


def lines(branch: Organisation, start: date, end: date) -> list[Line]:
    """Every meeting held in [start, end], from the branch's own records and the village
    matters' meetings it also counts, by day."""
    own = (
        BranchMeeting.objects.filter(
            branch=branch, status=Status.HELD, held_on__gte=start, held_on__lte=end
        )
        .select_related("matter")
        .order_by("held_on", "pk")
    )
    found = [
        Line(
            row.kind,
            row.held_on,
            row.topic,
            row.should_attend,
            row.attended,
            f"组织生活记录（含村级事务“{row.matter.title}”的民主议事）"
            if row.matter_id
            else "组织生活记录",
            row,
        )
        for row in own
    ]
    # A 主题党日 that carried a matter's 民主议事 was held as a 党员大会 too (its quorum was
    # checked): the same record, one more line.
    found += [
        Line(
            Kind.GENERAL_MEETING,
            line.day,
            line.topic,
            line.should_attend,
            line.attended,
            f"主题党日（村级事务“{line.record.matter.title}”的民主议事），计入党员大会",
            line.record,
        )
        for line in found
        if line.kind == Kind.THEME_DAY and line.record.matter_id
    ]
    found += _village_meetings(branch, start, end)
    found += _development_meetings(branch, start, end)
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
    """`completion` of many branches from four grouped queries (meetings per branch, kind and
    month; every period is whole months), counting what `lines` counts: the branch's own
    records, a 主题党日 carrying a matter's 民主议事 also as a 党员大会, the village matters'
    meetings and the member development 支部大会."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractMonth

    from procedures.membership.models import Meeting
    from procedures.village.models import MatterMeeting

    start, end = date(year, 1, 1), date(year, 12, 31)
    ids = [branch.pk for branch in branches]
    by_village = {branch.village_id: branch.pk for branch in branches if branch.village_id}
    days: dict[int, dict[str, list[date]]] = {pk: {} for pk in ids}

    def add(branch_id, kind, month, count):
        days[branch_id].setdefault(kind, []).extend([date(year, month, 1)] * count)

    own = (
        BranchMeeting.objects.filter(
            branch_id__in=ids, status=Status.HELD, held_on__gte=start, held_on__lte=end
        )
        .values("branch_id", "kind", month=ExtractMonth("held_on"))
        .annotate(n=Count("pk"), carried=Count("pk", filter=Q(matter__isnull=False)))
        .order_by()
    )
    for row in own:
        add(row["branch_id"], row["kind"], row["month"], row["n"])
        if row["kind"] == Kind.THEME_DAY and row["carried"]:
            add(row["branch_id"], Kind.GENERAL_MEETING, row["month"], row["carried"])
    served = {
        MatterMeeting.Kind.MEMBERS: Kind.GENERAL_MEETING,
        MatterMeeting.Kind.BRANCH_COMMITTEE: Kind.COMMITTEE_MEETING,
    }
    village = (
        MatterMeeting.objects.dated()
        .filter(
            matter__village_id__in=list(by_village),
            kind__in=list(served),
            day__gte=start,
            day__lte=end,
        )
        .values("matter__village_id", "kind", month=ExtractMonth("day"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in village:
        add(by_village[row["matter__village_id"]], served[row["kind"]], row["month"], row["n"])
    development = (
        Meeting.objects.filter(
            branch_id__in=ids, kind=Meeting.Kind.GENERAL, held_on__gte=start, held_on__lte=end
        )
        .values("branch_id", month=ExtractMonth("held_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in development:
        add(row["branch_id"], Kind.GENERAL_MEETING, row["month"], row["n"])
    return {pk: completion_of(days[pk], year, today=today) for pk in ids}


def current_period(kind: str, day: date) -> Period | None:
    months = frequency(kind)
    return period_of(day, months) if months else None
