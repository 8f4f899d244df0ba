"""The branch's records' lifecycles are made from their step records and held to them at
start-up: a record changed after its transition was made stops the start with its name."""

from __future__ import annotations

import dataclasses

from procedures.branchlife import checks, steps
from procedures.branchlife.models import BranchMeeting, DuesPayment
from procedures.people.roles import Role


def test_the_lifecycles_and_the_step_records_agree():
    assert checks.lifecycles_agree() == []
    for model, book, corrections in (
        (BranchMeeting, steps.MEETING_BOOK, checks.MEETING_CORRECTIONS),
        (DuesPayment, steps.DUES_BOOK, ()),
    ):
        for transition in model().get_all_status_transitions():
            if transition.name in corrections:
                continue
            step = book[transition.name]
            assert (transition.source, transition.target) == (step.source[0], step.reached)
            assert transition.permission.role == step.role == Role.BRANCH


def test_a_role_written_differently_is_an_error_naming_the_step(monkeypatch):
    cancel = steps.MEETING_BOOK["cancel"]
    monkeypatch.setitem(
        steps.MEETING_BOOK.by_code, "cancel", dataclasses.replace(cancel, role=Role.UPPER)
    )
    [error] = checks.lifecycles_agree()
    assert error.id == "branchlife.E003" and "步骤“取消预约”（cancel）" in error.msg
