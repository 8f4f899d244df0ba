"""The branch's organisational life as deadline rows (workflows.deadlines), reminded and
escalated like every deadline:

- a plan filed ahead (预约报备) and not recorded by its day is overdue;
- for each kind with a frequency (branch-life.md, county-set), the current period's row, due
  on its last day, while no meeting of that kind is held in it; a period that ended without
  one stays open, overdue, through the next period (the township and then the county hear
  of it), then is closed: the ledger keeps it as missed.

Synchronised after every act, and daily by beat (a new period opens with no act)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from procedures.people.models import Organisation
from workflows import deadlines
from workflows.rules import get_rulebook

from . import ledger
from .models import BranchLife, BranchMeeting
from .rulebooks import BRANCH_2018
from .steps import KINDS, Kind, Status

# The kinds warned of when a period passes without one; 党小组会 are counted in the ledger but
# warned of per group by the group's own leader, whom the people records do not name yet.
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
    for kind in WARNED:
        period = ledger.current_period(kind, today)
        if period is None:
            continue
        rule_id = KINDS[kind].frequency
        label = Kind(kind).label
        for each in (period.previous(), period):
            if ledger.held_in(branch, kind, each):
                continue
            wanted[f"frequency:{kind}:{each.key}"] = {
                "due_on": each.end,
                "title": f"{branch.name}：{each.label}尚未召开{label}",
                "audience": "branch",
                "scope_path": branch.path,
                "rule_id": rule_id,
                "citation": rulebook.citation(rule_id),
            }
    return wanted


def sync_branch(branch: Organisation, *, today: date | None = None) -> None:
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
