"""What every step service does, in order: lock the case, check who acts and the act's date,
check the rules, transition, save (refusing a concurrent change), record the step
(全程纪实), append the audit event, and announce the step after commit."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import ConcurrentTransition, can_proceed

from workflows.audit import record_event, stream_of
from workflows.errors import Conflict, NotAllowed, NotFound, ProcedureError
from workflows.rules import Rulebook, Violation, get_rulebook

from .. import permissions
from ..models import Case, StepRecord
from ..steps import ANY_STEP, Role

# Domain event, sent after commit: notifications and the flow subscribe to it.
case_step_done = Signal()

MSG_CASE_NOT_FOUND = gettext_noop("没有找到该案卷，或不在您的管理范围内。")
MSG_NOT_NOW = gettext_noop("案卷当前进度为“%(status)s”，现在不能办理“%(step)s”。")
MSG_FORBIDDEN = gettext_noop(
    "“%(step)s”应由%(role)s办理，您不能办理（本人的案卷也不能由本人办理）。"
)
MSG_FUTURE = gettext_noop("发生日期不能晚于今天。")
MSG_BEFORE_PREVIOUS = gettext_noop("发生日期不能早于上一步骤的日期（%(previous)s）。")
MSG_CONCURRENT = gettext_noop("该案卷刚被他人办理，请刷新后再试。")

ROLE_WORDS = {Role.BRANCH: "村党支部", Role.TOWNSHIP: "乡镇党委", Role.COUNTY: "县委组织部"}


def locked_case(case_id: int) -> Case:
    # No ordering: `.first()` would sort one row by the model's default ordering, and every
    # step would pay for compiling that.
    rows = Case.objects.select_for_update(of=("self",)).select_related("person", "branch")
    case = next(iter(rows.filter(pk=case_id).order_by()), None)
    if case is None:
        raise NotFound("case_not_found", _(MSG_CASE_NOT_FOUND))
    case._as_locked = {field.name: field.value_from_object(case) for field in _CASE_FIELDS}
    return case


_CASE_FIELDS = [field for field in Case._meta.concrete_fields if not field.primary_key]


def _changed_fields(case: Case) -> list[str] | None:
    """What the step changed of a case `locked_case` read (None: not read so, save it all).
    The status always: the save's concurrency check filters on its old value."""
    locked = getattr(case, "_as_locked", None)
    if locked is None:
        return None
    changed = [
        name
        for field in _CASE_FIELDS
        if (name := field.name) != "status" and field.value_from_object(case) != locked[name]
    ]
    return ["status", *changed]


def rulebook_of(case: Case) -> Rulebook:
    return get_rulebook(case.rulebook)


def check_act_date(case: Case, act_date: date) -> None:
    if act_date > timezone.localdate():
        raise ProcedureError("act_date_in_future", _(MSG_FUTURE))
    previous = case.last_act_on if case.pk else None
    if previous and act_date < previous:
        raise ProcedureError(
            "act_date_before_previous", _(MSG_BEFORE_PREVIOUS) % {"previous": previous}
        )


def check_may_act(case: Case, verb: str, actor) -> None:
    """The step must be open from the case's status, the actor must hold the role it needs,
    and its conditions (variant, rulebook) must hold. `actor=None` is the system itself
    (back-entry of a case's history, the demo loader)."""
    step = ANY_STEP[verb]
    method = getattr(case, verb)

    def not_now() -> Conflict:
        status = case.get_status_display()
        return Conflict(
            "step_not_available", _(MSG_NOT_NOW) % {"status": status, "step": step.name}
        )

    if not can_proceed(method, check_conditions=False):
        raise not_now()
    if actor is not None and not method._django_fsm.has_transition_perm(case, case.status, actor):
        raise NotAllowed(
            "step_forbidden", _(MSG_FORBIDDEN) % {"step": step.name, "role": ROLE_WORDS[step.role]}
        )
    if not can_proceed(method):
        _require_guard_rules(case, method)
        raise not_now()


def _require_guard_rules(case: Case, method) -> None:
    """A guard that enforces a rule refuses with that rule and its citation."""
    transition = method._django_fsm.get_transition(case.status)
    rulebook = rulebook_of(case)
    for condition in transition.conditions if transition else ():
        cited = getattr(condition, "rule", None)
        if cited is not None and not condition(case):
            rule_id, facts = cited
            rulebook.require(rulebook.check(rule_id, **facts(case)))


def finish(
    case: Case,
    verb: str,
    *,
    actor,
    role: str,
    act_date: date,
    data: dict[str, Any] | None = None,
    late: Iterable[Violation] = (),
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> StepRecord:
    getattr(case, verb)()
    for name, value in (changes or {}).items():  # fields the transition's conditions read
        setattr(case, name, value)
    try:
        case.save(update_fields=_changed_fields(case))
    except ConcurrentTransition:
        raise Conflict("concurrent_change", _(MSG_CONCURRENT)) from None
    late_list = [violation.as_dict() for violation in late]
    record = _record(
        case, verb, actor=actor, role=role, act_date=act_date, note=note, data=data, late=late_list
    )
    _advance_flow(case, verb, act_date)
    record_event(
        stream=stream_of(case),
        action=verb,
        actor=actor,
        role=role,
        act_date=act_date,
        payload={"status": case.status, "data": data or {}, "late": late_list},
    )
    case_id, status = case.pk, case.status
    transaction.on_commit(
        lambda: case_step_done.send(sender=Case, case_id=case_id, step=verb, status=status)
    )
    return record


def _record(
    case: Case,
    verb: str,
    *,
    actor,
    role: str,
    act_date: date,
    note: str,
    data: dict[str, Any] | None,
    late: list | None = None,
    outcome: str = StepRecord.Outcome.DONE,
) -> StepRecord:
    """The act in the case's 全程纪实, as it happened, and in the case's own view of it."""
    record = StepRecord.objects.create(
        case=case,
        step=verb,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        role=role,
        act_date=act_date,
        note=note,
        data=data or {},
        late=late or [],
        outcome=outcome,
    )
    case.note_act(verb, act_date, outcome)
    return record


def vote_outcome(
    rulebook: Rulebook, *preconditions: list[Violation], vote: list[Violation], record_failure: bool
) -> tuple[list[Violation], list[Violation]]:
    """Check a step whose meeting or review may really have taken place and not passed.
    Broken preconditions refuse. A broken `vote` refuses too, unless the act is to be
    recorded as what happened (`record_failure`): then it is returned as the failure.
    Returns (failed, late): the vote's broken rules, and the lateness to record."""
    if record_failure:
        return list(vote), rulebook.require(*preconditions)
    return [], rulebook.require(*preconditions, vote)


def record_failed(
    case: Case,
    verb: str,
    *,
    actor,
    act_date: date,
    failed: list[Violation],
    data: dict[str, Any] | None = None,
    note: str = "",
) -> StepRecord:
    """Record what happened when a step's meeting or review did not pass: the record and
    its audit event, the status unchanged (the case stays where it was, to be discussed
    again, or stopped by a decision of its own)."""
    role = role_of(case, actor, verb)
    failed_list = [violation.as_dict() for violation in failed]
    record = _record(
        case,
        verb,
        actor=actor,
        role=role,
        act_date=act_date,
        note=note,
        data={**(data or {}), "failed": failed_list},
        outcome=StepRecord.Outcome.FAILED,
    )
    record_event(
        stream=stream_of(case),
        action=f"{verb}_failed",
        actor=actor,
        role=role,
        act_date=act_date,
        payload={"status": case.status, "data": data or {}, "failed": failed_list},
    )
    return record


def _advance_flow(case: Case, verb: str, act_date: date) -> None:
    from .. import deadlines, flows

    deadlines.sync(case)
    if verb in ("stop", "cancel"):
        flows.case_closed(case)
    elif verb == "extend_probation":
        flows.probation_extended(case)
    elif verb == "rediscuss":
        flows.returned_for_rediscussion(case, act_date)
    else:
        flows.step_done(case, verb, act_date)


def _actor_name(actor) -> str:
    if actor is None:
        return "系统"
    person = getattr(actor, "person", None)
    return person.name if person is not None else actor.get_username()


_entered_by: ContextVar[str | None] = ContextVar("entered_by", default=None)


def role_of(case: Case, actor, verb: str) -> str:
    if actor is None:
        entered_by = _entered_by.get()
        return f"补录：{entered_by}" if entered_by else "系统录入"
    return permissions.role_label(case, actor, ANY_STEP[verb].role)
