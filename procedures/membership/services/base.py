"""Member development on the engine's step pipeline (`workflows.pipeline`): what differs for
a case (its lock, who may act and in which role, its 全程纪实 record, its deadline rows and
viewflow tasks, the event it announces); the pipeline does the rest, in its order."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date

from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import delegations
from workflows import pipeline
from workflows.rules import Rulebook, Violation, get_rulebook

from .. import deadlines, flows, permissions
from ..models import Case, StepRecord
from ..steps import ANY_STEP, Status, step_name
from . import facts

# Domain event, sent after commit: notifications and the flow subscribe to it.
case_step_done = Signal()

MSG_CASE_NOT_FOUND = gettext_noop("没有找到该案卷，或不在您的管理范围内。")
MSG_NOT_NOW = gettext_noop("案卷当前进度为“%(status)s”，现在不能办理“%(step)s”。")
MSG_FORBIDDEN = gettext_noop(
    "“%(step)s”应由%(role)s办理，您不能办理（本人的案卷也不能由本人办理）。"
)
MSG_BEFORE_PREVIOUS = gettext_noop("发生日期不能早于上一步骤的日期（%(previous)s）。")
MSG_CONCURRENT = gettext_noop("该案卷刚被他人办理，请刷新后再试。")

# A case brought in from paper (services/backfill.py, the workbook): who enters it, and who
# did each act, as the paper says (a name, not an account of ours).
_entered_by: ContextVar[str | None] = ContextVar("entered_by", default=None)
_acted_by: ContextVar[str | None] = ContextVar("acted_by", default=None)


class CaseSteps(pipeline.Procedure):
    model = Case
    related = ("person", "branch")
    not_found = ("case_not_found", MSG_CASE_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    msg_concurrent = MSG_CONCURRENT

    def step_label(self, verb: str) -> str:
        return step_name(verb)

    def role_words(self, verb: str) -> str:
        if verb in ANY_STEP:
            return str(permissions.Role(ANY_STEP[verb].role).label)
        return _(AMEND_ROLES.get(verb, ""))

    def in_scope(self, subject: Case, actor) -> bool:
        # A 培养联系人 holds no post, and records the observations of the one he mentors.
        return permissions.in_scope(subject, actor) or permissions.is_mentor(subject, actor)

    def rulebook(self, subject: Case) -> Rulebook:
        return get_rulebook(subject.rulebook)

    def role_label(self, subject: Case, actor, verb: str) -> str:
        if actor is None:
            entered_by = _entered_by.get()
            return f"补录：{entered_by}" if entered_by else "系统录入"
        if verb in ANY_STEP:
            return permissions.role_label(subject, actor, ANY_STEP[verb].role)
        for role in (permissions.Role.TOWNSHIP, permissions.Role.COUNTY, permissions.Role.BRANCH):
            label = permissions.role_label(subject, actor, role)
            if label:
                return label
        return ""

    def audit_context(self, act: pipeline.Act) -> dict:
        """An act entered from paper says who did it on paper (as its record's actor) and
        who entered it."""
        entered_by = _entered_by.get() if act.actor is None else None
        if not entered_by:
            return {}
        acted_by = _acted_by.get() or _actor_name(None)
        return {"on_paper": {"acted_by": acted_by, "entered_by": entered_by}}

    def acting(self, subject: Case, actor, act_date) -> str:

        return delegations.acting_label(actor, subject.branch, act_date, cache=subject)

    def record(self, act: pipeline.Act) -> StepRecord:
        """The act in the case's 全程纪实, as it happened, and in the case's own view of it."""
        outcome = StepRecord.Outcome.FAILED if act.failed else StepRecord.Outcome.DONE
        data = {**act.data, "failed": act.failed} if act.failed else act.data
        record = StepRecord.objects.create(
            case=act.subject,
            step=act.verb,
            actor=act.actor if getattr(act.actor, "pk", None) else None,
            actor_name=(act.actor is None and _acted_by.get()) or _actor_name(act.actor),
            role=act.role,
            act_date=act.act_date,
            note=act.note,
            data=data,
            late=act.late,
            outcome=outcome,
        )
        act.subject.note_act(record)
        return record

    def shared_facts(self, act: pipeline.Act) -> None:
        """A 支部大会 the act held (接收, 转正; passed or not) counts in the branch's ledger."""
        if act.data.get("meeting"):
            facts.sync(act.data["meeting"])

    def follow(self, act: pipeline.Act) -> None:
        case, verb = act.subject, act.verb
        deadlines.sync(case)
        if flows.deferring(case):  # entered from paper: placed once its acts are in
            return
        if verb in ("stop", "cancel"):
            flows.case_closed(case)
        elif verb in ("send_back", "take_back"):
            flows.moved_back(case)
        elif verb == "correct":
            flows.dates_corrected(case)
        elif verb in ("press", "copy"):
            pass
        elif verb == "rediscuss":
            flows.returned_for_rediscussion(case, act.act_date)
        else:  # an extended probation: the flow waits again by itself (`probation_over`)
            flows.step_done(case, verb, act.act_date)

    def announce(self, act: pipeline.Act):
        case_id, step, status = act.subject.pk, act.verb, act.subject.status
        # A new 预备党员: the step whose record reaches 已审批 (read from the record, so that a
        # listener need not know which verb that is).
        reached = getattr(ANY_STEP.get(step), "reached", None)
        admitted = reached == Status.APPROVED and not act.failed
        return lambda: case_step_done.send(
            sender=Case, case_id=case_id, step=step, status=status, admitted=admitted
        )


CASES = CaseSteps()

# Who may take a correction that is no step of the path, for a refusal to say.
AMEND_ROLES = {
    "send_back": gettext_noop("待办步骤的审批机关（乡镇党委或县委组织部）"),
    "take_back": gettext_noop("录入该步骤的经办人本人"),
}


def rulebook_of(case: Case) -> Rulebook:
    return get_rulebook(case.rulebook)


def check_act_date(case: Case, act_date: date) -> None:
    pipeline.check_act_date(
        act_date, previous=case.last_act_on if case.pk else None, message=MSG_BEFORE_PREVIOUS
    )


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


def _actor_name(actor) -> str:
    if actor is None:
        return "系统"
    person = getattr(actor, "person", None)
    return person.name if person is not None else actor.get_username()
