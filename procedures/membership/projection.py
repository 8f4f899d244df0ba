"""For an open case: the earliest legal date of each remaining step and its deadline,
working-day aware (notice periods), with years of unknown schedule marked provisional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from workflows import calendar
from workflows.rules import get_rulebook

from . import lifecycle
from .models import Case
from .steps import Status, applicable_steps


@dataclass(frozen=True)
class Projected:
    code: str
    number: int
    name: str
    role: str
    earliest: date
    deadline: date | None
    provisional_years: tuple[int, ...]

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()

    def as_dict(self) -> dict:
        return {
            "step": self.code,
            "number": self.number,
            "name": self.name,
            "role": self.role,
            "earliest": self.earliest,
            "deadline": self.deadline,
            "overdue": self.overdue,
            "provisional": bool(self.provisional_years),
            "warning": calendar.Outcome(None, self.provisional_years).warning,
        }


def _months(day: date | None, months: int) -> date | None:
    return day + relativedelta(months=months) if day else None


def project(case: Case, *, today: date | None = None, limit: int | None = None) -> list[Projected]:
    """The remaining steps (the first `limit` of them: each step's earliest date needs only
    the steps before it), each with its earliest legal date and its deadline."""
    if case.status in (Status.ARCHIVED, Status.STOPPED, Status.CANCELLED):
        return []
    today = today or timezone.localdate()
    rulebook = get_rulebook(case.rulebook)

    def param(rule_id: str, name: str, default):
        if rule_id in rulebook and rulebook.rule(rule_id).enabled:
            return rulebook.param(rule_id, name)
        return default

    steps = applicable_steps(
        variant=case.variant, candidate_notice=lifecycle.needs_candidate_notice(case)
    )
    acted_on = case.acts
    done = set(acted_on)
    cursor = max(case.last_act_on or case.applied_on, today)
    facts = {
        "activist_on": case.activist_on,
        "pre_reviewed_on": case.pre_reviewed_on,
        "admitted_on": case.admitted_on,
        "approved_on": case.approved_on,
        "voted_on": case.conversion_voted_on,
    }
    step_codes = {step.code for step in steps}
    probation_ends = case.probation_ends_on
    out: list[Projected] = []
    for step in steps:
        if step.code in done or step.code == "apply":
            continue
        earliest, deadline, provisional = cursor, None, ()
        if step.code == "talk":
            deadline = _months(case.applied_on, param("talk_deadline", "months", 1))
        elif step.code in ("propose_candidate", "choose_candidate"):
            earliest = max(cursor, (facts["activist_on"] or cursor) + relativedelta(years=1))
            if step.code == "choose_candidate" and "propose_candidate" in step_codes:
                days = param("candidate_notice", "days", 5)
                earliest, provisional = _after_notice(earliest, days)
        elif step.code == "pre_review" and "pre_review_deadline" in rulebook:
            since = acted_on.get("committee_review") or cursor
            deadline = _months(since, param("pre_review_deadline", "months", 1))
        elif step.code == "branch_admit":
            if "publish_admission" in step_codes:
                earliest, provisional = _after_notice(cursor, param("admission_notice", "days", 5))
            if "branch_meeting_deadline" in rulebook:
                months = param("branch_meeting_deadline", "months", 1)
                deadline = _months(facts["pre_reviewed_on"] or cursor, months)
        elif step.code == "approve":
            deadline = _months(
                facts["admitted_on"] or cursor, param("approval_deadline", "months", 3)
            )
        elif step.code == "take_oath" and "oath_deadline" in rulebook:
            deadline = _months(facts["approved_on"] or cursor, param("oath_deadline", "months", 1))
        elif step.code == "apply_conversion":
            probation_ends = probation_ends or cursor + relativedelta(years=1)
            earliest = max(cursor, probation_ends - relativedelta(months=1))
        elif step.code == "branch_convert":
            earliest = max(cursor, probation_ends or cursor + relativedelta(years=1))
            if "publish_conversion" in step_codes:
                days = param("conversion_notice", "days", 5)
                notice_end, provisional = _after_notice(cursor, days)
                earliest = max(earliest, notice_end)
        elif step.code == "approve_conversion":
            deadline = _months(
                facts["voted_on"] or cursor, param("conversion_approval_deadline", "months", 3)
            )
        out.append(
            Projected(
                step.code,
                step.number,
                str(step.name),
                str(step.role),
                earliest,
                deadline,
                tuple(provisional),
            )
        )
        cursor = earliest
        if limit is not None and len(out) >= limit:
            break
    return out


def _after_notice(published_on: date, days: int) -> tuple[date, tuple[int, ...]]:
    """The first day after a notice of `days` working days published on `published_on`."""
    end = calendar.add_workdays(published_on, days, count_start=True)
    return end.value + timedelta(days=1), end.provisional_years
