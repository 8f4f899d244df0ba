"""Corrections and hand-offs, for every procedure: acts of the step pipeline, never edits.

- 退回 (`send_back`): the one who must take the step a subject waits for (the township's
  approval, the county's filing) returns it to an earlier step the procedure allows, with a
  reason. The steps from there on are undone: their records stay, marked 已退回, and what
  they set on the subject is cleared; the deadline rows and the flow follow; the branch is
  told.
- 撤回 (`take_back`): who recorded the last act takes it back, while nothing came after it
  and within the days the rulebook gives (a county sets them), with a reason.
- 更正 (`correct`): a recorded act's date is corrected by a new record that names the one
  it corrects, with a reason, who asked, and who approved (the level above who acted).
  The rules run again on the corrected facts: a correction that would break a later
  step's rule is refused with that rule's citation. The corrected record itself is never
  touched; every view shows the corrected date and, folded, the original.
- 催办 (`press`): the township or county presses the step a subject waits for once it is
  overdue, with a note, to those who must take it; counted on the overview.
- 抄送 (`copy`): a step's result copied to others who may see the subject (read only).

A procedure says what it allows through its `pipeline.Procedure` hooks (`returns`,
`rewind`, `last_act`, `correctable`, `correct`, `approver_of`, `pending`), and its
lifecycle declares `send_back` and `take_back` as transitions whose target is the status
they return (django-fsm's RETURN_VALUE), with their permissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import pipeline
from .errors import NotAllowed, ProcedureError
from .rules import Rule

# Sent after commit when a subject is returned, pressed or copied: notifications turns it
# into inbox messages. `audience`: (organisation id, role) whose holders hear of it, or
# `users`: ids of the users themselves.
handed_off = Signal()

MSG_REASON = gettext_noop("请说明理由。")
MSG_NOTE = gettext_noop("请填写催办说明。")
MSG_RETURN_BEFORE = gettext_noop("退回日期不能早于最后办理的步骤的日期（%(previous)s）。")
MSG_NO_RETURN = gettext_noop("当前步骤“%(step)s”不能退回。")
MSG_RETURN_TO = gettext_noop("“%(step)s”不能退回到“%(to)s”；可退回到：%(allowed)s。")
MSG_NOTHING_TO_TAKE_BACK = gettext_noop("没有可以撤回的步骤。")
MSG_TAKE_BACK_LATE = gettext_noop(
    "“%(step)s”录入已超过%(days)s日，不能撤回；请申请更正，或由上级党委退回。"
)
MSG_UNKNOWN_RECORD = gettext_noop("没有找到要更正的记录，或该记录不能更正。")
MSG_SAME_DATE = gettext_noop("更正后的日期与原日期相同。")
MSG_NOT_APPROVER = gettext_noop("更正“%(step)s”须由%(role)s批准，您不能批准。")
MSG_NOT_OVERDUE = gettext_noop("“%(step)s”尚未超期，不需催办。")
MSG_NOTHING_PENDING = gettext_noop("当前没有待办步骤，不需催办。")
MSG_NOT_OVERSEER = gettext_noop("催办、抄送由乡镇党委或县委组织部办理。")
MSG_NO_RECIPIENTS = gettext_noop("请选择抄送对象。")
MSG_RECIPIENTS_OUT = gettext_noop(
    "抄送对象须是能查看本事项的工作人员（编号：%(ids)s 不在范围内）。"
)

RETURNED, WITHDRAWN = "returned", "withdrawn"

# The days within which an actor may take back his last act: the county's own setting, in
# every procedure's rulebook that offers 撤回.
TAKE_BACK_WINDOW = Rule(
    id="take_back_window",
    message="经办人只能在录入后{days}日内撤回本人最后办理的步骤",
    predicate=lambda p, *, days: days <= p["days"],
    document="县委组织部工作要求（撤回时限由县委组织部确定）",
    short="县委组织部要求",
    params={"days": 3},
)


@dataclass(frozen=True)
class Rewound:
    """What going back undid: the status to return to, the steps undone (in path order),
    and the procedure's records of them (marked 已退回 or 已撤回 in every view)."""

    status: str
    steps: tuple[str, ...]
    records: tuple[int, ...] = ()


@dataclass(frozen=True)
class LastAct:
    step: str
    actor_id: int | None
    entered_at: datetime
    record: int | None = None


@dataclass(frozen=True)
class Correctable:
    """A recorded act whose date may be corrected: its key (the procedure's record), the
    step, its date as it now stands, and who approves a correction of it (in words)."""

    key: int
    step: str
    label: str
    act_date: date
    approver: str


@dataclass(frozen=True)
class Pending:
    """The step a subject waits for: its label, its deadline (None: none), and who must
    take it (organisation id, role)."""

    step: str
    label: str
    deadline: date | None
    organisation_id: int
    role: str

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()


def may_take_back(procedure: pipeline.Procedure, subject, user) -> bool:
    """撤回's permission, for every procedure: only who recorded the last act that stands
    (the procedure's `last_act`), while it is the last, and while he sees the subject."""
    last = procedure.corrections.last_act(subject)
    return (
        last is not None
        and user is not None
        and getattr(user, "is_authenticated", False)
        and last.actor_id == user.pk
        and procedure.in_scope(subject, user)
    )


def _required(text: str, message: str, limit: int = 300) -> str:
    text = (text or "").strip()
    if not text:
        raise ProcedureError("reason_required", _(message))
    return text[:limit]


@transaction.atomic
def send_back(
    procedure: pipeline.Procedure, pk: int, *, actor, to_step: str, reason: str, act_date: date
):
    """退回: the subject goes back to `to_step`, to be taken again with every step after it."""
    subject = pipeline.begin(procedure, pk, "send_back", actor)
    reason = _required(reason, MSG_REASON)
    allowed = procedure.corrections.returns(subject)
    pending = procedure.corrections.pending(subject)
    waiting = pending.label if pending else subject.get_status_display()
    if not allowed:
        raise ProcedureError("return_not_allowed", _(MSG_NO_RETURN) % {"step": waiting})
    if to_step not in allowed:
        raise ProcedureError(
            "return_not_allowed",
            _(MSG_RETURN_TO)
            % {
                "step": waiting,
                "to": procedure.step_label(to_step),
                "allowed": "、".join(procedure.step_label(step) for step in allowed),
            },
        )
    pipeline.check_act_date(
        act_date, previous=procedure.corrections.previous_act_on(subject), message=MSG_RETURN_BEFORE
    )
    rewound = procedure.corrections.rewind(subject, to_step)
    act = pipeline.finish(
        procedure,
        subject,
        "send_back",
        actor=actor,
        act_date=act_date,
        args=(rewound.status,),
        data={
            "to": to_step,
            "to_label": str(procedure.step_label(to_step)),
            "from": pending.step if pending else "",
            "reason": reason,
            "undone": list(rewound.steps),
            "records": list(rewound.records),
        },
    )
    if pending is not None:
        _hand_off(act, "returned", reason, audience=(pending.organisation_id, "branch"))
    return subject


@transaction.atomic
def take_back(procedure: pipeline.Procedure, pk: int, *, actor, reason: str):
    """撤回: who recorded the last act takes it back (its transition's permission says
    only he may), while nothing came after it, within the rulebook's days."""
    subject = pipeline.begin(procedure, pk, "take_back", actor)
    reason = _required(reason, MSG_REASON)
    last = procedure.corrections.last_act(subject)
    if last is None:
        raise ProcedureError("nothing_to_take_back", _(MSG_NOTHING_TO_TAKE_BACK))
    rulebook = procedure.rulebook(subject)
    today = timezone.localdate()
    entered_on = timezone.localtime(last.entered_at).date()
    if rulebook is not None and "take_back_window" in rulebook:
        rule = rulebook.rule("take_back_window")
        days = rule.params["days"]
        if rule.enabled and (today - entered_on).days > days:
            raise ProcedureError(
                "take_back_window",
                _(MSG_TAKE_BACK_LATE) % {"step": procedure.step_label(last.step), "days": days},
                rulebook.citation("take_back_window"),
            )
    rewound = procedure.corrections.rewind(subject, last.step)
    pipeline.finish(
        procedure,
        subject,
        "take_back",
        actor=actor,
        act_date=today,
        args=(rewound.status,),
        data={
            "to": last.step,
            "to_label": str(procedure.step_label(last.step)),
            "reason": reason,
            "undone": list(rewound.steps),
            "records": list(rewound.records),
        },
    )
    return subject


@transaction.atomic
def correct(
    procedure: pipeline.Procedure,
    pk: int,
    *,
    actor,
    record: int,
    new_date: date,
    reason: str,
    requested_by: str = "",
):
    """更正: the date of a recorded act, by a new record naming it, approved by `actor`."""
    subject = pipeline.hold(procedure, pk, actor)
    reason = _required(reason, MSG_REASON)
    target = procedure.corrections.correctable(subject).get(record)
    if target is None:
        raise ProcedureError("record_not_correctable", _(MSG_UNKNOWN_RECORD))
    if actor is not None and not procedure.corrections.approver_of(subject, target, actor):
        raise NotAllowed(
            "correction_forbidden",
            _(MSG_NOT_APPROVER) % {"step": target.label, "role": target.approver},
        )
    if new_date == target.act_date:
        raise ProcedureError("same_date", _(MSG_SAME_DATE))
    pipeline.check_act_date(new_date)
    procedure.corrections.correct(subject, target, new_date)
    pipeline.noted(
        procedure,
        subject,
        "correct",
        actor=actor,
        act_date=timezone.localdate(),
        data={
            "record": target.key,
            "step": target.step,
            "field": "act_date",
            "old": target.act_date,
            "new": new_date,
            "reason": reason,
            "requested_by": (requested_by or "").strip()[:100],
        },
    )
    return subject


def _overseer(procedure: pipeline.Procedure, subject, actor) -> None:
    if actor is None or not procedure.corrections.oversees(subject, actor):
        raise NotAllowed("not_overseer", _(MSG_NOT_OVERSEER))


@transaction.atomic
def press(procedure: pipeline.Procedure, pk: int, *, actor, note: str):
    """催办: the step the subject waits for is overdue; its takers are told, with the note."""
    subject = pipeline.hold(procedure, pk, actor)
    _overseer(procedure, subject, actor)
    note = _required(note, MSG_NOTE, 500)
    pending = procedure.corrections.pending(subject)
    if pending is None:
        raise ProcedureError("nothing_pending", _(MSG_NOTHING_PENDING))
    if not pending.overdue:
        raise ProcedureError("not_overdue", _(MSG_NOT_OVERDUE) % {"step": pending.label})
    act = pipeline.noted(
        procedure,
        subject,
        "press",
        actor=actor,
        act_date=timezone.localdate(),
        data={"step": pending.step, "deadline": pending.deadline, "note": note},
    )
    _hand_off(act, "pressed", note, audience=(pending.organisation_id, pending.role))
    return subject


@transaction.atomic
def copy(procedure: pipeline.Procedure, pk: int, *, actor, users: list, note: str = ""):
    """抄送: the subject's latest result to users who may see it, read only."""
    subject = pipeline.hold(procedure, pk, actor)
    _overseer(procedure, subject, actor)
    users = list({user.pk: user for user in users}.values())
    if not users:
        raise ProcedureError("recipients_required", _(MSG_NO_RECIPIENTS))
    outside = [user.pk for user in users if not procedure.in_scope(subject, user)]
    if outside:
        ids = "、".join(str(pk) for pk in sorted(outside))
        raise ProcedureError("recipients_out_of_scope", _(MSG_RECIPIENTS_OUT) % {"ids": ids})
    note = (note or "").strip()[:500]
    act = pipeline.noted(
        procedure,
        subject,
        "copy",
        actor=actor,
        act_date=timezone.localdate(),
        data={
            "status": subject.get_status_display(),
            "users": [user.pk for user in users],
            "names": [user_name(user) for user in users],
            "note": note,
        },
    )
    _hand_off(act, "copied", note, users=[user.pk for user in users])
    return subject


def user_name(user) -> str:
    """How a record names a user: his person's name, or his login."""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def _hand_off(act: pipeline.Act, kind: str, note: str, *, audience=None, users=()) -> None:
    model, pk = type(act.subject), act.subject.pk
    title = str(act.subject)
    status = act.subject.get_status_display()
    by = (act.role or user_name(act.actor)) if act.actor is not None else ""

    def send():
        handed_off.send(
            sender=model,
            subject_id=pk,
            kind=kind,
            title=title,
            status=status,
            note=note,
            by=by,
            audience=audience,
            users=list(users),
        )

    transaction.on_commit(send, robust=True)


def corrected_date(record: int, act_date: date, fixes: dict[int, list[dict]]) -> date:
    """A record's date as its latest correction (`corrections`) left it, or its own. A
    correction's date reads back from its JSON record as an ISO string."""
    if record not in fixes:
        return act_date
    value = fixes[record][-1]["new"]
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def undone_records(rows) -> dict[int, str]:
    """Of a subject's records as `(id, step, data)` rows, those undone by a later return
    or withdrawal: {record id: RETURNED or WITHDRAWN}."""
    marks: dict[int, str] = {}
    for _pk, step, data in rows:
        if step in ("send_back", "take_back"):
            mark = RETURNED if step == "send_back" else WITHDRAWN
            for record in (data or {}).get("records", ()):
                marks.setdefault(record, mark)
    return marks


def corrections(rows) -> dict[int, list[dict]]:
    """Of a subject's records as `(id, step, data)` rows, the corrections of each record,
    oldest first: {record id: [correction data, with `by_record`: the correcting record]}."""
    found: dict[int, list[dict]] = {}
    for pk, step, data in rows:
        if step == "correct":
            found.setdefault(data["record"], []).append({**data, "by_record": pk})
    return found
