"""The engine's one override of viewflow (workflows/flow_tasks.py): a waiting Handle task read
under the flow's lock and completed through its activation leaves the flow as viewflow's own
`Handle.run` does, with fewer statements (the lock and the task not taken and read again).
The counts are what BENCHMARKS.md cites; they are asserted only in their order."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from procedures.membership import flows, services
from procedures.membership.flows import MemberDevelopmentFlow
from procedures.membership.models import Case
from tests import factories
from workflows import flow_tasks

from ..procedures.membership.walk import open_case, world


def _state(case) -> list[tuple[str, str]]:
    process = flows.process_of(case)
    return sorted(
        (task.flow_task.name, task.status)
        for task in process.task_set.all()
        if task.status in (STATUS.NEW, STATUS.SCHEDULED, STATUS.DONE)
    )


def test_completing_under_the_steps_lock_is_handle_run_with_fewer_statements(db):
    w = world()
    ours = open_case(w)  # each waits at ② 谈话
    other = factories.person(w.branch, name="另一申请人", born=date(1996, 2, 3))
    theirs = services.case_open(
        actor=None, person=other, branch=w.branch, applied_on=ours.applied_on
    )
    node = MemberDevelopmentFlow.talk
    with transaction.atomic(), CaptureQueriesContext(connection) as engine:
        [task] = [t for t in flow_tasks.waiting(Case, ours.pk) if t.flow_task == node]
        flow_tasks.complete(node, task)
    with transaction.atomic(), CaptureQueriesContext(connection) as viewflow:
        # viewflow's public way, from the task as a caller finds it
        task = flows.process_of(theirs).task_set.get(flow_task=node, status=STATUS.NEW)
        node.run(task)
    assert _state(ours) == _state(theirs)
    assert ("choose_activist", STATUS.NEW) in _state(ours)
    print(f"flow step: engine {len(engine)} statements, Handle.run {len(viewflow)}")
    assert len(engine) < len(viewflow)
