"""Reads of cases, always through the user's data scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from procedures.people import roles, scopes
from procedures.people.models import Organisation
from workflows import amend
from workflows.audit import events_of, stream_of
from workflows.errors import NotFound
from workflows.models import AuditEvent

from . import permissions, projection
from .models import Case, StepRecord
from .services.base import MSG_CASE_NOT_FOUND
from .steps import BY_CODE, STAGES, Status, step_name

_STAGE_OF_STATUS = {step.reached: step.stage for step in BY_CODE.values()}


def stage_of(status: str) -> int | None:
    return _STAGE_OF_STATUS.get(status)


def statuses_of_stage(stage: int) -> list[str]:
    return [status for status, value in _STAGE_OF_STATUS.items() if value == stage]


def cases_for(
    *,
    user,
    branch_id: int | None = None,
    township_id: int | None = None,
    stage: int | None = None,
    status: str | None = None,
) -> QuerySet[Case]:
    cases = Case.objects.filter(branch__in=scopes.visible_organisations(user)).select_related(
        "person", "branch", "branch__parent"
    )
    if branch_id:
        cases = cases.filter(branch_id=branch_id)
    if township_id:
        cases = cases.filter(branch__parent_id=township_id)
    if stage in STAGES:
        cases = cases.filter(status__in=statuses_of_stage(stage))
    if status in Status.values:
        cases = cases.filter(status=status)
    return cases.order_by("branch__path", "-applied_on", "-pk")


def late_acts(case_ids) -> dict[int, list[str]]:
    """For each case, the steps recorded as done late (their names): the township's list
    shows them beside the case."""
    found: dict[int, list[str]] = {}
    rows = StepRecord.objects.filter(case_id__in=list(case_ids)).exclude(late=[])
    for case_id, step in rows.values_list("case_id", "step").order_by("act_date", "pk"):
        found.setdefault(case_id, []).append(step_name(step))
    return found


def overdue_only(cases: QuerySet[Case]) -> list[Case]:
    return [case for case in cases if any(p.overdue for p in projection.project(case, limit=1))]


def case_for(*, user, pk: int) -> Case:
    case = cases_for(user=user).filter(pk=pk).first()
    if case is None:
        raise NotFound("case_not_found", _(MSG_CASE_NOT_FOUND))
    return case


@dataclass(frozen=True)
class Entry:
    on: date
    entered_at: datetime | None
    kind: str
    title: str
    actor: str
    role: str
    detail: dict
    late: list
    outcome: str = "done"  # "failed": the meeting or review took place and did not pass
    mark: str = ""  # 已退回, 已撤回: undone by a later return or withdrawal
    corrections: tuple[dict, ...] = ()  # oldest first; `on` is the corrected date

    @property
    def outcome_label(self) -> str:
        return str(StepRecord.Outcome(self.outcome).label)


MARKS = {amend.RETURNED: _("已退回"), amend.WITHDRAWN: _("已撤回")}


def timeline(case: Case) -> list[Entry]:
    """全程纪实: every step with who, in which role, when it happened and when entered, and
    what did not pass, as it happened. A step undone by a return or a withdrawal stays,
    marked so; a corrected date is shown with its corrections (the original folded)."""
    records = list(case.records.all())
    rows = [(record.pk, record.step, record.data) for record in records]
    marks = amend.undone_records(rows)
    fixes = amend.corrections(rows)
    # Who approved each correction: the actor of the record that made it.
    approvers = {record.pk: record.actor_name for record in records if record.step == "correct"}
    entries = [
        Entry(
            amend.corrected_date(record.pk, record.act_date, fixes),
            record.entered_at,
            "step",
            step_name(record.step),
            record.actor_name,
            record.role,
            record.data,
            record.late,
            record.outcome,
            str(MARKS[marks[record.pk]]) if record.pk in marks else "",
            tuple(
                _stringified({**fix, "approver": approvers.get(fix["by_record"], "")})
                for fix in fixes.get(record.pk, ())
            ),
        )
        for record in records
    ]
    entries += [
        Entry(
            obs.on,
            None,
            "observation",
            obs.get_kind_display(),
            "",
            "",
            {"summary": obs.summary},
            [],
        )
        for obs in case.observations.all()
    ]
    return sorted(entries, key=lambda entry: (entry.on, entry.entered_at is None))


def _stringified(fix: dict) -> dict:
    return {key: str(value) if isinstance(value, date) else value for key, value in fix.items()}


def pressed_count(case: Case) -> int:
    """How often the township or the county pressed the case (催办)."""
    return pressed_counts([case.pk]).get(case.pk, 0)


def pressed_counts(case_ids) -> dict[int, int]:
    """For each case, how often it was pressed (催办): the township's list shows it."""
    rows = (
        StepRecord.objects.filter(case_id__in=list(case_ids), step="press")
        .values("case_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["case_id"]: row["n"] for row in rows}


def audit_events(case: Case) -> list[AuditEvent]:
    return events_of(stream_of(case))


@dataclass(frozen=True)
class Task:
    case: Case
    step: projection.Projected

    @property
    def overdue(self) -> bool:
        return self.step.overdue


class Positions:
    """An object the user's positions are read once on, for a page of many cases."""


def inbox(*, user) -> list[Task]:
    """The flow's open tasks in the user's scope whose step needs a role the user holds, each
    with its earliest date and deadline. Overdue first, then by deadline, then by date.
    The tasks and the cases' branches are read as values; only the cases with a step the
    user may take are read whole, with their records, to be projected (a township's or a
    county's inbox runs over thousands of open cases)."""
    from viewflow.workflow.models import Task as FlowTask
    from viewflow.workflow.status import STATUS

    open_cases = cases_for(user=user).exclude(
        status__in=[Status.ARCHIVED, Status.STOPPED, Status.CANCELLED]
    )
    branch_of = dict(open_cases.order_by().values_list("pk", "branch_id"))
    waiting = FlowTask.objects.filter(
        process__artifact_content_type=ContentType.objects.get_for_model(Case),
        process__artifact_object_id__in=open_cases.order_by().values("pk"),
        status=STATUS.NEW,
        flow_task_type="FUNCTION",
    ).values_list("process__artifact_object_id", "flow_task")
    branches = Organisation.objects.in_bulk(set(branch_of.values()))
    positions = Positions()  # the user's, read once for every case
    chosen = []
    for case_id, node in waiting:
        step = BY_CODE.get(node.name)
        branch = branches.get(branch_of.get(case_id))
        if step is not None and branch is not None:
            if roles.holds(user, branch, step.role, cache=positions):
                chosen.append((case_id, step))
    cases = Case.objects.filter(pk__in=[case_id for case_id, _step in chosen]).select_related(
        "person", "branch", "branch__parent"
    )
    cases = {case.pk: case for case in cases}
    Case.read_acts(cases.values())
    tasks = []
    for case_id, step in chosen:
        case = cases[case_id]
        if not permissions.may_act(case, user, step.role, cache=positions):
            continue  # his own case
        projected = next((p for p in projection.project(case) if p.code == step.code), None)
        if projected is not None:
            tasks.append(Task(case, projected))
    far = date.max
    return sorted(
        tasks,
        key=lambda t: (not t.overdue, t.step.deadline or far, t.step.earliest, t.case.pk),
    )
