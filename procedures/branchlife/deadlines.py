"""The branch's organisational life as deadline rows (workflows.deadlines), reminded and
escalated like every deadline:

- a plan filed ahead (预约报备) and not recorded by its day is overdue;
- for each kind with a frequency (branch-life.md, county-set), the current period's row, due
  on its last day, while no meeting of that kind is held in it; a period that ended without
  one stays open, overdue, through the next period (the township and then the county hear
  of it), then is closed: the ledger keeps it as missed.

Synchronised after every act, and daily by beat (a new period opens with no act)."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

from django.utils import timezone

from procedures.people.meetings import party_members
from procedures.people.models import Organisation
from workflows import deadlines
from workflows.rules import get_rulebook

from . import attendance, ledger, standing
from .models import BranchLife, BranchMeeting
from .periods import add_months
from .rulebooks import BRANCH_2018
from .steps import KINDS, Kind, Status

# The kinds warned of, branch-wide, when a period passes without one; 党小组会 are warned of
# group by group (each group with members keeps its own).
WARNED = tuple(kind for kind in KINDS if kind != Kind.GROUP_MEETING)


def sync_meeting(meeting: BranchMeeting) -> None:
    wanted = {}
    if meeting.status == Status.PLANNED and meeting.planned_on:
        wanted["plan"] = {
            "due_on": meeting.planned_on,
            "title": f"{meeting.branch.name}：{meeting.get_kind_display()}“{meeting.topic}”"
            f"（预约{meeting.planned_on:%Y-%m-%d}）待登记",
            "audience": "branch",
            "scope_path": meeting.branch.path,
        }
    deadlines.sync(meeting, wanted)


def desired(branch: Organisation, today: date) -> dict[str, dict]:
    rulebook = get_rulebook(BRANCH_2018)
    wanted: dict[str, dict] = {}
    periods = {
        kind: (period.previous(), period)
        for kind in WARNED
        if (period := ledger.current_period(kind, today)) is not None
    }
    # One read of the meetings of every period looked at (the longest reaches furthest back).
    start = min((pair[0].start for pair in periods.values()), default=today)
    held = ledger.lines(branch, start, max(today, *(p[1].end for p in periods.values())))
    for kind, pair in periods.items():
        days = [line.day for line in held if line.kind == kind]
        wanted.update(
            _unmet(branch, rulebook, kind, pair, days, key=f"frequency:{kind}", who=branch.name)
        )
    wanted.update(_group_rows(branch, today, rulebook))
    wanted.update(_lecture_row(branch, today, rulebook))
    wanted.update(_standing_rows(branch, today))
    return wanted


def _group_rows(branch: Organisation, today: date, rulebook) -> dict[str, dict]:
    period = ledger.current_period(Kind.GROUP_MEETING, today)
    if period is None:
        return {}
    groups = Organisation.objects.filter(
        kind=Organisation.Kind.PARTY_GROUP, path__startswith=branch.path
    ).order_by("path")
    held = BranchMeeting.objects.filter(
        branch=branch,
        kind=Kind.GROUP_MEETING,
        status=Status.HELD,
        held_on__gte=period.previous().start,
    ).values_list("group_id", "held_on")
    wanted = {}
    for group in groups:
        if not party_members(group, today):
            continue  # a group with nobody in it holds no meetings
        days = [day for group_id, day in held if group_id == group.pk]
        key = f"frequency:{Kind.GROUP_MEETING}:{group.pk}"
        pair = (period.previous(), period)
        wanted.update(
            _unmet(branch, rulebook, Kind.GROUP_MEETING, pair, days, key=key, who=group.name)
        )
    return wanted


def _unmet(branch, rulebook, kind: str, periods, days, *, key: str, who: str) -> dict[str, dict]:
    """A row for each of `periods` in which none of `days` falls, due on its last day."""
    rule_id = KINDS[kind].frequency
    return {
        f"{key}:{each.key}": {
            "due_on": each.end,
            "title": f"{who}：{each.label}尚未召开{Kind(kind).label}",
            "audience": "branch",
            "scope_path": branch.path,
            "rule_id": rule_id,
            "citation": rulebook.citation(rule_id),
        }
        for each in periods
        if not any(day in each for day in days)
    }


def _lecture_row(branch: Organisation, today: date, rulebook) -> dict[str, dict]:
    """The secretary lectures at least once a year: a row until one of the year's 党课 is
    chaired (given) by a secretary of the branch."""

    rule = rulebook.rule("secretary_lecture")
    if not rule.enabled:
        return {}
    lectures = BranchMeeting.objects.filter(
        branch=branch, kind=Kind.PARTY_LECTURE, status=Status.HELD, held_on__year=today.year
    ).values_list("chair_id", "held_on")
    given = sum(1 for chair, day in lectures if chair in attendance.secretaries(branch, day))
    if given >= rule.params["times"]:
        return {}
    return {
        f"secretary_lecture:{today.year}": {
            "due_on": date(today.year, 12, 31),
            "title": f"{branch.name}：{today.year}年支部书记尚未讲党课",
            "audience": "branch",
            "scope_path": branch.path,
            "rule_id": "secretary_lecture",
            "citation": rulebook.citation("secretary_lecture"),
        }
    }


def _end_of_month(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def _standing_rows(branch: Organisation, today: date) -> dict[str, dict]:
    """A member behind with his dues (reminded), and a member flagged under 党章 第九条
    (the branch to decide; escalated to the township when it does not)."""

    rulebook = get_rulebook(BRANCH_2018)
    wanted = {}
    reminder = rulebook.rule("dues_reminder")
    arrears = standing.arrears(branch, today)
    if reminder.enabled:
        months = reminder.params["months"]
        for behind in arrears:
            if behind.months >= months:
                wanted[f"dues:{behind.member.pk}"] = {
                    "due_on": _end_of_month(add_months(behind.since, months - 1)),
                    "title": f"{behind.member.name}已{behind.months}个月未交纳党费"
                    f"（自{behind.since:%Y年%m月}起）",
                    "audience": "branch",
                    "scope_path": branch.path,
                    "rule_id": "dues_reminder",
                    "citation": rulebook.citation("dues_reminder"),
                }
    for flag in standing.flags(branch, today, behind=arrears):
        limit = rulebook.param(flag.rule_id, "months")
        what = "交纳党费" if flag.ground == "dues" else "参加党的组织生活"
        wanted[f"lapse:{flag.ground}:{flag.member.pk}"] = {
            "due_on": _end_of_month(add_months(flag.since, limit - 1)),
            "title": f"{flag.member.name}已连续{flag.months}个月未{what}，"
            "请支部按党章第九条研究处理",
            "audience": "branch",
            "scope_path": branch.path,
            "rule_id": flag.rule_id,
            "citation": rulebook.citation(flag.rule_id),
        }
    return wanted


_deferred: ContextVar[set | None] = ContextVar("branchlife_deferred", default=None)


@contextmanager
def deferred():
    """Within: the branches' rows are synchronised once, on the way out, not after each act
    (a bulk load: the demo county, an import)."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for branch in Organisation.objects.filter(pk__in=pending):
        sync_branch(branch)


def sync_branch(branch: Organisation, *, today: date | None = None) -> None:
    pending = _deferred.get()
    if pending is not None and today is None:
        pending.add(branch.pk)
        return
    life, _created = BranchLife.objects.get_or_create(branch=branch)
    deadlines.sync(life, desired(branch, today or timezone.localdate()))


def sync_all(*, today: date | None = None) -> int:
    """Every village branch (beat, daily): a new period's rows open with no act."""
    branches = Organisation.objects.filter(kind=Organisation.Kind.VILLAGE_BRANCH)
    count = 0
    for branch in branches.iterator():
        sync_branch(branch, today=today)
        count += 1
    return count
