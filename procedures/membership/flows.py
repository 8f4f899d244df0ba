"""The viewflow flow of member development: what is to be done next, and by whom.

The case's status (lifecycle.py) is the legal truth; the flow drives the work. Each step
is a Handle task waiting in the inbox of the role that must act; the step's service, once
it has changed the case, completes that task in the same transaction, and the flow
activates what comes next. The periods that wait (one year of cultivation, one year of
probation) are database timers fired by beat (`fire_due_timers`), not polling: the next
step's task appears only when the timer fires. Reads top to bottom as the 25 steps.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from workflows import flow_tasks

from . import lifecycle, projection
from .models import Case
from .steps import BY_CODE, Status, Variant


class DevelopmentProcess(Process):
    class Meta:
        proxy = True
        verbose_name = "发展党员流程"
        verbose_name_plural = "发展党员流程"


def _step(code: str) -> flow.Handle:
    step = BY_CODE[code]
    number = f"{step.number} " if step.number else ""
    return flow.Handle().Annotation(title=f"{number}{step.label}")


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class MemberDevelopmentFlow(flow.Flow):
    process_class = DevelopmentProcess
    lock_impl = lock.select_for_update_lock
    process_title = "发展党员"

    start = flow.StartHandle(this.start_case).Next(this.talk)
    talk = _step("talk").Next(this.choose_activist)
    choose_activist = _step("choose_activist").Next(this.file_activist)
    file_activist = _step("file_activist").Next(this.assign_mentors)
    assign_mentors = _step("assign_mentors").Next(this.cultivation)
    # The waits are named without their length: the rules hold it (cultivation_period,
    # probation_length) and a county may set it otherwise; the timer fires on the case's day.
    cultivation = (
        flow.Timer(this.cultivation_ends)
        .Annotation(title="⑥ 培养教育考察期")
        .Next(this.candidate_notice)
    )
    candidate_notice = (
        flow.If(this.needs_candidate_notice)
        .Then(this.propose_candidate)
        .Else(this.choose_candidate)
    )
    propose_candidate = _step("propose_candidate").Next(this.choose_candidate)
    choose_candidate = _step("choose_candidate").Next(this.file_candidate)
    file_candidate = _step("file_candidate").Next(this.assign_sponsors)
    assign_sponsors = _step("assign_sponsors").Next(this.record_review)
    record_review = _step("record_review").Next(this.record_training)
    record_training = _step("record_training").Next(this.committee_review)
    committee_review = _step("committee_review").Next(this.pre_review)
    pre_review = _step("pre_review").Next(this.admission_notice)
    admission_notice = (
        flow.If(this.is_local_variant).Then(this.publish_admission).Else(this.fill_form)
    )
    publish_admission = _step("publish_admission").Next(this.fill_form)
    fill_form = _step("fill_form").Next(this.branch_admit)
    branch_admit = _step("branch_admit").Next(this.committee_talk)
    committee_talk = _step("committee_talk").Next(this.approve)
    approve = _step("approve").Next(this.approval_outcome)
    approval_outcome = (
        flow.If(this.was_returned).Then(this.branch_admit).Else(this.admission_result)
    )
    admission_result = (
        flow.If(this.is_local_variant).Then(this.notify_admission).Else(this.file_upper)
    )
    notify_admission = _step("notify_admission").Next(this.file_upper)
    file_upper = _step("file_upper").Next(this.assign_group)
    assign_group = _step("assign_group").Next(this.take_oath)
    take_oath = _step("take_oath").Next(this.probation)
    probation = (
        flow.Timer(this.conversion_opens)
        .Annotation(title="㉑ 预备期教育考察")
        .Next(this.probation_over)
    )
    # A probation extended before its timer fired: wait again, for the new end.
    probation_over = (
        flow.If(this.probation_still_runs).Then(this.extended_probation).Else(this.apply_conversion)
    )
    extended_probation = (
        flow.Timer(this.conversion_opens)
        .Annotation(title="延长预备期教育考察")
        .Next(this.apply_conversion)
    )
    apply_conversion = _step("apply_conversion").Next(this.conversion_notice)
    conversion_notice = (
        flow.If(this.is_local_variant).Then(this.publish_conversion).Else(this.branch_convert)
    )
    publish_conversion = _step("publish_conversion").Next(this.branch_convert)
    branch_convert = _step("branch_convert").Next(this.approve_conversion)
    approve_conversion = _step("approve_conversion").Next(this.conversion_result)
    conversion_result = (
        flow.If(this.is_local_variant).Then(this.notify_conversion).Else(this.archive)
    )
    notify_conversion = _step("notify_conversion").Next(this.archive)
    archive = _step("archive").Next(this.end)
    end = flow.End()

    def start_case(self, activation: Activation, *, case):
        activation.process.artifact = case
        return activation.process

    @staticmethod
    def _case(activation: Activation):
        return activation.process.artifact

    def cultivation_ends(self, activation: Activation) -> datetime:
        """When the cultivation period the rules give has run from the activist's day."""
        case = self._case(activation)
        return _start_of(projection.earliest_of(case, "propose_candidate", case.activist_on))

    def conversion_opens(self, activation: Activation) -> datetime:
        """When the conversion application is due: a month before the probation ends."""
        case = self._case(activation)
        return _start_of(projection.earliest_of(case, "apply_conversion", case.admitted_on))

    def probation_still_runs(self, activation: Activation) -> bool:
        return timezone.now() < self.conversion_opens(activation)

    def needs_candidate_notice(self, activation: Activation) -> bool:
        return lifecycle.needs_candidate_notice(self._case(activation))

    def is_local_variant(self, activation: Activation) -> bool:
        return self._case(activation).variant == Variant.LOCAL

    def was_returned(self, activation: Activation) -> bool:
        """The township returned the resolution to the 支部大会 instead of approving it."""
        return self._case(activation).status == Status.FORM_FILLED


STEP_NODES = {
    name for name, node in vars(MemberDevelopmentFlow).items() if isinstance(node, flow.Handle)
}


def process_of(case) -> DevelopmentProcess | None:
    return DevelopmentProcess.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(type(case)),
        artifact_object_id=case.pk,
    ).first()


def start(case) -> DevelopmentProcess:
    return MemberDevelopmentFlow.start.run(case=case)


def _open_tasks(case) -> list[Task]:
    return flow_tasks.waiting(type(case), case.pk)


def step_done(case, verb: str, act_date) -> None:
    """Complete the flow's task for the step the case's service has just performed."""
    if verb not in STEP_NODES:
        return
    waiting = _open_tasks(case)
    timers = [task for task in waiting if task.status == STATUS.SCHEDULED]
    if flow_tasks.fire_due_timers(timers, up_to=_start_of(act_date) + timedelta(days=1)):
        waiting = _open_tasks(case)
    node = getattr(MemberDevelopmentFlow, verb)
    task = next(
        (t for t in waiting if t.flow_task == node and t.status == STATUS.NEW),
        None,
    )
    if task is not None:
        flow_tasks.complete(node, task)


def returned_for_rediscussion(case, act_date) -> None:
    """The resolution went back to the 支部大会: the township's waiting tasks (the talk, the
    approval) are completed, and the approval's outcome leads the flow back to a new
    支部大会 task for the branch."""
    step_done(case, "committee_talk", act_date)
    step_done(case, "approve", act_date)


def case_closed(case) -> None:
    """A stopped or cancelled case: the flow cancels its process, with its open tasks and
    timers (viewflow's `Flow.cancel`)."""
    process = process_of(case)
    if process is None or process.finished is not None:
        return
    MemberDevelopmentFlow.instance.cancel(process)


def open_tasks(processes) -> list[Task]:
    return list(
        Task.objects.filter(
            process__in=processes, status=STATUS.NEW, flow_task_type="FUNCTION"
        ).select_related("process")
    )


def moved_back(case) -> None:
    """A return (退回) or a withdrawal (撤回) moved the case back: the flow's waiting tasks
    and timers are cancelled, and the task of the step the case now waits for is opened,
    after them (viewflow's activations: `cancel`, `create`, `activate`)."""
    waiting = _open_tasks(case)
    for task in waiting:
        flow_tasks.cancel(task)
    pending = case.pending_step()
    if not waiting or pending not in STEP_NODES:
        return
    _reopen(getattr(MemberDevelopmentFlow, pending), waiting[-1])


def dates_corrected(case) -> None:
    """A correction moved a date a waiting timer counts from (the activist's day, the
    支部大会): the timer is cancelled and set again, from the corrected date."""
    for task in _open_tasks(case):
        if task.status == STATUS.SCHEDULED and task.flow_task_type == "TIMER":
            flow_tasks.cancel(task)
            _reopen(task.flow_task, task)


def _reopen(node, previous: Task) -> Task:
    return flow_tasks.reopen(node, previous)


# A case entered from paper (the workbook) act by act: the flow is placed where the case
# stands once its acts are in, instead of a task created and completed for each past act at
# the moment of entry (a history of the flow that never was).
_deferred: ContextVar[set | None] = ContextVar("deferred_flows", default=None)


def deferring(case) -> bool:
    """True while the case's flow waits to be placed (its acts are being entered)."""
    held = _deferred.get()
    if held is None:
        return False
    held.add(case.pk)
    return True


@contextmanager
def deferred():
    held: set[int] = set()
    token = _deferred.set(held)
    try:
        yield
    finally:
        _deferred.reset(token)

    for case in Case.objects.filter(pk__in=held):
        place(case)


def place(case) -> None:
    """Put the flow where the live steps would have left it: closed for a stopped or
    cancelled case, ended for an archived one, else waiting at the node the case waits at
    (a period's timer, which beat fires when due, or the pending step's task)."""
    if case.status in (Status.STOPPED, Status.CANCELLED):
        case_closed(case)
        return
    waiting = _open_tasks(case)
    if not waiting:
        return
    for task in waiting:
        flow_tasks.cancel(task)
    previous = waiting[-1]
    if case.status == Status.ARCHIVED:
        node = MemberDevelopmentFlow.archive
        flow_tasks.complete(node, _reopen(node, previous))
        return
    if case.status == Status.CULTIVATING:
        node = MemberDevelopmentFlow.cultivation
    elif case.status == Status.PROBATION:
        node = MemberDevelopmentFlow.probation
    else:
        pending = case.pending_step()
        if pending not in STEP_NODES:
            return
        node = getattr(MemberDevelopmentFlow, pending)
    _reopen(node, previous)
