"""For an open case: the earliest legal date of each remaining step and its deadline,
working-day aware (notice periods), with years of unknown schedule marked provisional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from workflows import calendar, timing
from workflows.rules import get_rulebook

from . import lifecycle
from .models import Case
from .steps import NO_TIMING, TIMING, Status, applicable_steps


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


def _facts(case: Case, acted_on: dict):
    def fact(name: str):
        if name.startswith("step:"):
            return acted_on.get(name[5:])
        return getattr(case, name)

    return fact


def earliest_of(case: Case, code: str, since: date) -> date:
    """The first day step `code` may happen, its rules' spans run from `since` (the flow's
    timers: the end of cultivation, the month before the probation ends)."""
    earliest, _deadline, _provisional = timing.bounds(
        get_rulebook(case.rulebook),
        TIMING.get(code, NO_TIMING),
        fact=_facts(case, {}),
        cursor=since,
        path=set(),
    )
    return earliest


def project(case: Case, *, today: date | None = None, limit: int | None = None) -> list[Projected]:
    """The remaining steps (the first `limit` of them: each step's earliest date needs only
    the steps before it), each with its earliest legal date and its deadline, from the
    rules each step's timing declares (`steps.TIMING`)."""
    if case.status in (Status.ARCHIVED, Status.STOPPED, Status.CANCELLED):
        return []
    today = today or timezone.localdate()
    rulebook = get_rulebook(case.rulebook)
    steps = applicable_steps(
        variant=case.variant, candidate_notice=lifecycle.needs_candidate_notice(case)
    )
    acted_on = case.acts
    path = {step.code for step in steps}

    fact = _facts(case, acted_on)
    cursor = max(case.last_act_on or case.applied_on, today)
    out: list[Projected] = []
    for step in steps:
        if step.code in acted_on or step.code == "apply":
            continue
        earliest, deadline, provisional = timing.bounds(
            rulebook, TIMING.get(step.code, NO_TIMING), fact=fact, cursor=cursor, path=path
        )
        out.append(
            Projected(
                step.code,
                step.number,
                str(step.label),
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
