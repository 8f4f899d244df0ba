"""The flow drives the work: each step a task for the role that acts, waiting periods as
timers fired by beat."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from procedures.membership import flows, selectors, services
from procedures.membership.rulebooks import CPC_2014, CPC_2026
from procedures.membership.steps import Variant
from workflows import flow_tasks
from workflows.tasks import fire_due_flow_timers

from .walk import walk, world

pytestmark = pytest.mark.django_db


def _open(process):
    return sorted(
        t.flow_task.name
        for t in process.task_set.filter(status=STATUS.NEW)
        if t.flow_task_type == "FUNCTION"
    )


def test_a_new_case_waits_for_its_talk():
    w = world()
    case = walk(w, until="talk")
    process = flows.process_of(case)
    assert _open(process) == ["talk"]
    services.case_talk(case_id=case.pk, actor=None, talked_on=date(2023, 3, 20))
    assert _open(process) == ["choose_activist"]


def test_cultivation_is_a_timer_and_the_candidate_task_appears_when_it_fires():
    w = world()
    case = walk(w, until="propose_candidate")
    process = flows.process_of(case)
    timer = process.task_set.get(flow_task_type="TIMER")
    assert timer.status == STATUS.SCHEDULED
    assert timezone.localtime(timer.scheduled).date() == date(2024, 4, 10)  # a year later
    assert _open(process) == []
    assert fire_due_flow_timers() == 1  # beat's sweep: the year is long over
    assert _open(process) == ["choose_candidate"]


@pytest.mark.parametrize(
    ("rulebook", "variant"),
    [
        (CPC_2014, Variant.STANDARD),
        (CPC_2026, Variant.LOCAL),
    ],
)
def test_the_flow_follows_the_case_to_the_end(rulebook, variant):
    w = world(rulebook=rulebook, variant=variant)
    case = walk(w)
    process = flows.process_of(case)
    process.refresh_from_db()
    assert process.status == STATUS.DONE
    names = {t.flow_task.name for t in process.task_set.filter(status=STATUS.DONE)}
    assert ("propose_candidate" in names) is (rulebook == CPC_2026)
    assert ("publish_admission" in names) is (variant == Variant.LOCAL)
    assert {"cultivation", "probation", "archive"} <= names


def test_a_stopped_case_leaves_no_open_task():
    w = world()
    case = walk(w, until="choose_activist")
    services.case_stop(case_id=case.pk, actor=None, stopped_on=date(2023, 4, 1), reason="撤回")
    process = flows.process_of(case)
    process.refresh_from_db()
    assert process.status == STATUS.CANCELED and _open(process) == []


def test_an_extended_probation_waits_again_for_its_new_end(monkeypatch):
    """The probation timer is never rewritten: it fires at the old date, and the flow waits
    again for the new end before the conversion is due."""
    w = world()
    case = walk(w, until="take_oath")
    services.case_take_oath(case_id=case.pk, actor=None, oath_on=date(2024, 9, 1))
    services.case_extend_probation(
        case_id=case.pk, actor=None, decided_on=date(2024, 9, 2), months=6, reason="继续考察"
    )
    process = flows.process_of(case)
    timer = process.task_set.get(flow_task_type="TIMER", status=STATUS.SCHEDULED)
    assert timer.flow_task.name == "probation"
    assert timezone.localtime(timer.scheduled).date() == date(2025, 6, 15)  # the old end - 1m
    # Beat's sweep on a day after the old date, before the new one.
    day = timezone.make_aware(datetime(2025, 6, 20, 9))
    monkeypatch.setattr(flows.timezone, "now", lambda: day)
    assert flow_tasks.fire_due_timers([timer], up_to=day)
    again = process.task_set.get(flow_task_type="TIMER", status=STATUS.SCHEDULED)
    assert again.flow_task.name == "extended_probation"
    assert timezone.localtime(again.scheduled).date() == date(2025, 12, 15)  # 2026-01-15 - 1m
    assert _open(process) == []
    monkeypatch.undo()
    assert fire_due_flow_timers() == 1  # the new end has long come
    assert _open(process) == ["apply_conversion"]


def test_a_probation_extended_after_its_timer_fired_keeps_the_conversion_task():
    w = world()
    case = walk(w, until="apply_conversion")
    assert fire_due_flow_timers() == 1  # the probation has long ended
    assert _open(flows.process_of(case)) == ["apply_conversion"]
    services.case_extend_probation(
        case_id=case.pk, actor=None, decided_on=date(2025, 7, 1), months=6, reason="继续考察"
    )
    assert _open(flows.process_of(case)) == ["apply_conversion"]


def test_the_inbox_lists_the_flows_tasks_for_the_role_that_acts():
    w = world()
    case = walk(w, until="file_activist")
    assert [t.case.pk for t in selectors.inbox(user=w.organiser)] == [case.pk]
    assert selectors.inbox(user=w.secretary) == []
