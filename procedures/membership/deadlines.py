"""A case's deadlines as rows (workflows.deadlines): the next step's deadline from the rules,
the probation's end (to apply for conversion, then the 支部大会 that discusses it), and while
cultivating or on probation the quarterly thought report and the half-yearly assessment.
Synchronised by the services after every change of the case."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from dateutil.relativedelta import relativedelta

from workflows import deadlines
from workflows.rules import get_rulebook

from . import projection
from .models import Case, Observation
from .steps import PROBATIONARY, TIMING, Role, Status

# The rule behind each step's deadline, as its timing declares it.
STEP_RULES = {code: timing.deadline.rule for code, timing in TIMING.items() if timing.deadline}
_OBSERVED = [Status.CULTIVATING, Status.CANDIDATE_NOTICE, *PROBATIONARY]
# Applied for conversion, the 支部大会 not yet held (the notice, where there is one, between).
_AWAITING_MEETING = (Status.CONVERSION_APPLIED, Status.CONVERSION_NOTICE)


def _next_observation(case: Case, kind: str, months: int) -> date:
    last = case.observations.filter(kind=kind).order_by("-on").values_list("on", flat=True)
    start = last.first() or (
        case.activist_on if case.status not in PROBATIONARY else case.admitted_on
    )
    return start + relativedelta(months=months)


def desired(case: Case) -> dict[str, dict]:
    """What should be open now: key -> fields for workflows.deadlines.open_deadline."""
    rulebook = get_rulebook(case.rulebook)
    wanted: dict[str, dict] = {}
    upcoming = projection.project(case, limit=1)
    if upcoming and upcoming[0].deadline and upcoming[0].code in STEP_RULES:
        step = upcoming[0]
        rule_id = STEP_RULES[step.code]
        wanted[f"step:{step.code}"] = {
            "due_on": step.deadline,
            "title": f"{case.person.name}：{step.name}",
            "audience": step.role,
            "rule_id": rule_id,
            "citation": rulebook.citation(rule_id) if rule_id in rulebook else None,
        }
    if case.status == Status.PROBATION and case.probation_ends_on:
        # The probation ends: the conversion must be applied for and discussed.
        wanted["probation_end"] = {
            "due_on": case.probation_ends_on,
            "title": f"{case.person.name}：预备期满，提出转正申请",
            "audience": Role.BRANCH,
            "rule_id": "probation_length",
            "citation": rulebook.citation("probation_length"),
        }
    if case.status in _AWAITING_MEETING and case.probation_ends_on:
        # Applied for: 第三十三条 "预备期满，党支部应当及时讨论其能否转为正式党员". Read here as
        # due on the day the probation ends (the day the scripted path holds it); a meeting
        # held later is overdue from the day after, and the branch and then the township
        # are reminded like any deadline.
        wanted["conversion_meeting"] = {
            "due_on": case.probation_ends_on,
            "title": f"{case.person.name}：预备期满，支部大会讨论转正",
            "audience": Role.BRANCH,
            "rule_id": "conversion_after_probation",
            "citation": rulebook.citation("conversion_after_probation"),
        }
    if case.status in _OBSERVED and (case.activist_on or case.admitted_on):
        for kind, rule_id, label in (
            (Observation.Kind.THOUGHT_REPORT, "thought_reports", "思想汇报"),
            (Observation.Kind.ASSESSMENT, "half_year_assessments", "考察意见"),
        ):
            if rule_id not in rulebook or not rulebook.rule(rule_id).enabled:
                continue
            months = rulebook.param(rule_id, "months")
            wanted[f"observation:{kind}"] = {
                "due_on": _next_observation(case, kind, months),
                "title": f"{case.person.name}：{label}",
                "audience": Role.BRANCH,
                "rule_id": rule_id,
                "citation": rulebook.citation(rule_id),
            }
    for fields in wanted.values():
        fields["scope_path"] = case.branch.path
    return wanted


_deferred: ContextVar[set | None] = ContextVar("deferred_deadlines", default=None)


def sync(case: Case) -> None:
    held = _deferred.get()
    if held is not None:  # a case entered from paper: synced once, as it ends up
        held.add(case.pk)
        return
    deadlines.sync(case, desired(case))


@contextmanager
def deferred():
    """A case entered from paper act by act (the workbook): none of its past acts was ever
    due in Jiceng, so its deadline rows are those its state at the end calls for, synced
    once when the acts are in (not opened and closed again after each act)."""
    held: set[int] = set()
    token = _deferred.set(held)
    try:
        yield
    finally:
        _deferred.reset(token)
    for case in Case.objects.filter(pk__in=held).select_related("person", "branch"):
        sync(case)
