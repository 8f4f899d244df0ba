"""Driving a procedure's viewflow flow from its step's service: the engine's one override of
viewflow, here and nowhere else.

viewflow's public way to complete a waiting `Handle` task is `node.run(task)`: it takes the
flow's lock (`lock_impl`, `select_for_update_lock`: the process row locked, in a savepoint),
reads the task again, runs the task's activation and activates what comes next. A step's
service holds that lock already: it reads the subject's waiting tasks with the process row
locked (`waiting`, `FOR UPDATE OF process`, the row `lock_impl` locks), in the step's own
transaction. `complete` then makes the same activation calls `Handle.run` makes under its
lock (`run`, `execute`), without taking the lock or reading the task a second time. The
statements that saves are counted by tests/workflows/test_flow_tasks.py and written in
BENCHMARKS.md. Timers, returns and corrections use viewflow's activations as they are
(`start`/`execute`, `cancel`, `create`/`activate`)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .compiled import Compiled

# The waiting tasks and timers of a subject's process, with the process row locked: compiled
# once (`workflows.compiled`), every step reads it.
_WAITING = Compiled(
    lambda content_type_id, pk: (
        Task.objects.filter(
            process__artifact_content_type_id=content_type_id,
            process__artifact_object_id=pk,
            status__in=[STATUS.NEW, STATUS.SCHEDULED],
        )
        .select_related("process")
        .select_for_update(of=("process",))
        .order_by()
    ),  # any order: the caller picks by node
    int,
    int,
)


def waiting(model, pk: int) -> list[Task]:
    """The subject's process's waiting tasks and timers, taking the flow's lock."""
    return _WAITING(ContentType.objects.get_for_model(model).pk, pk)


def complete(node, task: Task) -> None:
    """Complete a waiting Handle task read by `waiting` (under the flow's lock) as
    `Handle.run` does once it holds the lock: run (the step nodes have no function of their
    own), complete, activate what comes next."""
    activation = node.activation_class(task)
    activation.run(None)
    activation.execute()


def fire_due_timers(tasks: list[Task], *, up_to: datetime) -> bool:
    """A step may legally happen on the day its waiting period ends, before beat's next
    sweep, or be entered afterwards for a past date: fire the timers among `tasks` due by
    `up_to`. True if one fired (the flow has moved on: its tasks must be read again)."""
    fired = False
    for task in tasks:
        if task.flow_task_type != "TIMER" or task.scheduled is None or task.scheduled > up_to:
            continue
        with task.activation() as activation:
            if activation.start.can_proceed():
                activation.start()
                activation.execute()
                fired = True
    return fired


def cancel(task: Task) -> None:
    task.flow_task.activation_class(task).cancel()


def reopen(node, previous: Task) -> Task:
    """A task of `node` made and activated after `previous` (a return, a correction, a case
    placed where its acts left it)."""
    prior = previous.flow_task.activation_class(previous)
    activation = node.activation_class.create(node, prior, previous.token)
    activation.activate()
    return activation.task
