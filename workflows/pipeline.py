"""The step pipeline: one place performs any step of any procedure, in this order.

    scope check → lock → may act → the step's rules → transition → record → shared facts
    → deadline rows → flow task → audit event → on_commit events

`begin` does the first three: it locks the subject (a case, a matter) by its id, refuses
one the actor cannot see as not found (a refusal never tells what lies outside his scope),
refuses a step not open from the subject's status, and refuses an actor the transition's
`permission` does not admit (django-fsm's public `has_transition_perm`). The procedure's
service then checks the step's rules and writes what the rules produced, and `finish` does
the rest. `fail` records a meeting or review that took place and did not pass, without a
transition. A procedure tells the pipeline what differs through one `Procedure` object.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import ConcurrentTransition

from . import may_act
from .audit import record_event, stream_of
from .compiled import Compiled
from .corrections import Corrections
from .errors import Conflict, NotFound, ProcedureError
from .rules import Rulebook, Violation

# Sent after commit for every act of every procedure (sender: the subject's model): what
# follows a step in another procedure subscribes here (a village matter's 审议 counts in the
# branch's ledger), and no procedure imports another.
step_done = Signal()

MSG_CONCURRENT = gettext_noop("刚被他人办理，请刷新后再试。")
MSG_FUTURE = gettext_noop("发生日期不能晚于今天。")


@dataclass
class Act:
    """One step as performed: what `finish` transitions, records and announces."""

    subject: Any
    verb: str
    actor: Any
    act_date: date
    role: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    late: list[dict] = field(default_factory=list)
    note: str = ""
    failed: list[dict] = field(default_factory=list)
    record: Any = None


# Each procedure's object by the model of its subject: a transition's permission (撤回,
# 退回) finds its procedure here, not by importing the services that made it.
_procedures: dict[type, Procedure] = {}


def procedure_of(subject) -> Procedure:
    """The procedure of `subject` (its model's)."""
    return _procedures[type(subject)]


class Procedure:
    """What the pipeline needs to know of one procedure. Subclassed once per procedure, in
    its services package; every hook has a default. Made once: the one object of its model
    (`procedure_of`)."""

    def __init__(self) -> None:
        model = getattr(type(self), "model", None)
        if model is not None:
            _procedures[model] = self

    model: type[models.Model]
    related: tuple[str, ...] = ()  # read with the subject, under its lock
    not_found: tuple[str, str]  # (code, message)
    msg_not_now: str  # with %(status)s and %(step)s
    msg_forbidden: str  # with %(step)s and %(role)s
    msg_concurrent: str = MSG_CONCURRENT

    def step_label(self, verb: str) -> str:
        return verb

    def role_words(self, verb: str) -> str:
        return ""

    def in_scope(self, subject, actor) -> bool:
        """The actor sees the subject at all (None: the system itself)."""
        return True

    def rulebook(self, subject) -> Rulebook | None:
        return None

    def role_label(self, subject, actor, verb: str) -> str:
        """Who acted, as the record and the audit say it."""
        return ""

    def acting(self, subject, actor, act_date: date) -> str:
        """What the role says when the actor acts for someone else that day (委托: "代"),
        or ""."""
        return ""

    def record(self, act: Act) -> Any:
        """The procedure's own record of the act (its 全程纪实), if it keeps one."""
        return None

    def shared_facts(self, act: Act) -> None:
        """The facts other procedures read that the act wrote or changed (a branch meeting
        held), written through the services that own them (`procedures.people`)."""

    def follow(self, act: Act) -> None:
        """The deadline rows and the flow's tasks after the act."""

    # The audit's name of an act where it is not its verb (a notice's acts keep the names
    # the chain's readers know).
    actions: dict[str, str] = {}

    def stream(self, subject) -> str:
        """The audit stream the procedure's acts append to: the subject's own, or the one
        it belongs to (an objection's, its notice's)."""
        return stream_of(subject)

    def audit_payload(self, act: Act) -> dict[str, Any]:
        if act.failed:
            return {"status": act.subject.status, "data": act.data, "failed": act.failed}
        return {"status": act.subject.status, "data": act.data, "late": act.late}

    def audit_context(self, act: Act) -> dict[str, Any]:
        """What every event of the procedure's acts also says (an act entered from paper: who
        did it on paper and who entered it), whatever its own payload."""
        return {}

    def announce(self, act: Act) -> Callable[[], Any] | None:
        """What is sent once the step has committed (a domain event)."""
        return None

    # Corrections and hand-offs (`workflows.amend`): what the procedure allows of them, in
    # their own object (none by default; a procedure sets its own in its AppConfig.ready).
    corrections: Corrections = Corrections()

    # The subject, read under its lock.

    def lock(self, pk: int):
        kept = _kept.get()
        subject = kept.get((self.model, pk)) if kept is not None else None
        if subject is None:
            subject = next(iter(_locking(self.model, self.related)(pk)), None)
            if subject is None:
                raise NotFound(self.not_found[0], _(self.not_found[1]))
            if kept is not None:
                kept[(self.model, pk)] = subject
        subject._as_locked = {f.name: f.value_from_object(subject) for f in _fields(self.model)}
        return subject


# Subjects made in the current transaction and entered act by act (a case brought in from
# paper): no one else sees them before the transaction commits, so each act takes the subject
# as the act before left it, with what it has read (its acts), instead of reading and locking
# it again. Only for a block that discards the subjects if an act is refused.
_kept: ContextVar[dict | None] = ContextVar("kept_subjects", default=None)


@contextmanager
def keeping():
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


@functools.cache
def _locking(model, related: tuple[str, ...]) -> Compiled:
    """The subject's row locked, with what it is read with, compiled once (no ordering:
    one row)."""
    return Compiled(
        lambda pk: (
            model.objects.select_for_update(of=("self",))
            .select_related(*related)
            .filter(pk=pk)
            .order_by()
        ),
        int,
    )


@functools.cache
def _fields(model) -> tuple:
    return tuple(field for field in model._meta.concrete_fields if not field.primary_key)


def begin(procedure: Procedure, pk: int, verb: str, actor) -> Any:
    """Lock the subject, check the actor sees it, and may take this step now."""
    subject = hold(procedure, pk, actor)
    may_act.check_may_act(procedure, subject, verb, actor)
    return subject


def hold(procedure: Procedure, pk: int, actor) -> Any:
    """Lock the subject and check the actor sees it: for a write that is not a step (a
    material filed, an observation), whose own service says who may make it."""
    subject = procedure.lock(pk)
    if actor is not None and not procedure.in_scope(subject, actor):
        raise NotFound(procedure.not_found[0], _(procedure.not_found[1]))
    return subject


def check_act_date(act_date: date, *, previous: date | None = None, message=None) -> None:
    """An act is not dated in the future, nor before the act before it."""
    if act_date > timezone.localdate():
        raise ProcedureError("act_date_in_future", _(MSG_FUTURE))
    if previous and act_date < previous:
        raise ProcedureError("act_date_before_previous", _(message) % {"previous": previous})


def _changed_fields(subject) -> list[str] | None:
    """What the step changed of a subject `lock` read (None: not read so, save it all).
    The status always: the save's concurrency check filters on its old value."""
    locked = getattr(subject, "_as_locked", None)
    if locked is None:
        return None
    changed = [
        name
        for f in _fields(type(subject))
        if (name := f.name) != "status" and f.value_from_object(subject) != locked[name]
    ]
    return ["status", *changed]


def finish(
    procedure: Procedure,
    subject,
    verb: str,
    *,
    actor,
    act_date: date,
    role: str | None = None,
    data: dict[str, Any] | None = None,
    late: Iterable[Violation] = (),
    note: str = "",
    changes: dict[str, Any] | None = None,
    args: tuple = (),
    kwargs: dict[str, Any] | None = None,
) -> Act:
    """Transition, save (refusing a concurrent change), record, deadline rows and flow,
    audit, and the domain event after commit. `args`, `kwargs`: the transition's own (a
    return's status, for a transition whose target is the value it returns; a notice's
    dates)."""
    getattr(subject, verb)(*args, **(kwargs or {}))
    for name, value in (changes or {}).items():  # fields the transition's conditions read
        setattr(subject, name, value)
    _save(procedure, subject)
    act = _act(procedure, subject, verb, actor, act_date, role=role, data=data, note=note)
    act.late = [violation.as_dict() for violation in late]
    act.record = procedure.record(act)
    procedure.shared_facts(act)
    procedure.follow(act)
    _audit(procedure, act, action=procedure.actions.get(verb, verb))
    _announce(procedure, act, action=verb)
    return act


def _save(procedure: Procedure, subject) -> None:
    try:
        subject.save(update_fields=_changed_fields(subject))
    except ConcurrentTransition:
        raise Conflict("concurrent_change", _(procedure.msg_concurrent)) from None


def noted(
    procedure: Procedure,
    subject,
    verb: str,
    *,
    actor,
    act_date: date,
    role: str | None = None,
    data: dict[str, Any] | None = None,
    note: str = "",
) -> Act:
    """An act that moves no step (a correction, a pressing, a copy): what it changed of
    the subject saved, its record, deadline rows, audit event and events after commit."""
    _save(procedure, subject)
    act = _act(procedure, subject, verb, actor, act_date, role=role, data=data, note=note)
    act.record = procedure.record(act)
    procedure.shared_facts(act)
    procedure.follow(act)
    _audit(procedure, act, action=verb)
    _announce(procedure, act, action=verb)
    return act


def _act(procedure: Procedure, subject, verb, actor, act_date, *, role=None, data=None, note=""):
    if role is None:
        role = procedure.role_label(subject, actor, verb)
        if actor is not None:
            role += procedure.acting(subject, actor, act_date)
    return Act(subject, verb, actor, act_date, role=role, data=data or {}, note=note)


def _announce(procedure: Procedure, act: Act, *, action: str) -> None:
    """The procedure's own event, and the pipeline's `step_done`, after commit. Robust:
    an observer's failure is logged and harms neither the act nor the request."""
    announce = procedure.announce(act) if action == act.verb else None
    if announce is not None:
        transaction.on_commit(announce)
    _step_done(act.subject, action)


def _step_done(subject, action: str) -> None:
    model, pk = type(subject), subject.pk
    transaction.on_commit(
        lambda: step_done.send(sender=model, subject_id=pk, verb=action), robust=True
    )


def started(
    procedure: Procedure,
    subject,
    verb: str,
    *,
    actor,
    act_date: date,
    data: dict[str, Any] | None = None,
    note: str = "",
    payload: dict[str, Any] | None = None,
) -> Act:
    """The first act of a subject just created (it has no transition to take): its
    record, deadline rows and audit event."""
    act = _act(procedure, subject, verb, actor, act_date, data=data, note=note)
    act.record = procedure.record(act)
    procedure.shared_facts(act)
    procedure.follow(act)
    _audit(procedure, act, action=procedure.actions.get(verb, verb), payload=payload)
    _announce(procedure, act, action=verb)
    return act


def fail(
    procedure: Procedure,
    subject,
    verb: str,
    *,
    actor,
    act_date: date,
    failed: list[Violation],
    data: dict[str, Any] | None = None,
    note: str = "",
) -> Act:
    """A meeting or review that took place and did not pass: its record and audit event,
    the status unchanged (the subject stays where it was, to be discussed again, or ended
    by a decision of its own)."""
    act = _act(procedure, subject, verb, actor, act_date, data=data, note=note)
    act.failed = [violation.as_dict() for violation in failed]
    act.record = procedure.record(act)
    procedure.shared_facts(act)
    _audit(procedure, act, action=f"{verb}_failed")
    _announce(procedure, act, action=f"{verb}_failed")
    return act


def logged(
    procedure: Procedure, subject, action: str, *, actor, act_date=None, payload=None, role=None
):
    """A write on a subject that is no step of its lifecycle (a material filed, a thought
    report, a plan set, a row of a person's history; the caller `hold`s the subject and
    checks the actor): its audit event, with what every act of the procedure says, and
    `step_done` after commit. With `finish`, `noted`, `started` and `fail`, the one way an
    act reaches the audit chain (outside the pipeline: `audit.ACCESS_LOG` alone)."""
    act = _act(procedure, subject, action, actor, act_date, role=role)
    _audit(procedure, act, action=action, payload=payload or {})
    _step_done(subject, action)
    return act


def _audit(procedure: Procedure, act: Act, *, action: str, payload=None) -> None:
    record_event(
        stream=procedure.stream(act.subject),
        action=action,
        actor=act.actor,
        role=act.role,
        act_date=act.act_date,
        payload={
            **(procedure.audit_payload(act) if payload is None else payload),
            **procedure.audit_context(act),
        },
    )
