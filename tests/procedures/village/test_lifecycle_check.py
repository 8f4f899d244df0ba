"""A village matter's lifecycle is made from its step records and held to them at start-up:
a record changed after its transition was made stops the start with the step's name."""

from __future__ import annotations

import dataclasses

from procedures.people.roles import Role
from procedures.village import checks, steps
from procedures.village.models import Matter
from procedures.village.steps import Status


def test_the_lifecycle_and_the_step_records_agree():
    assert checks.lifecycle_agrees() == []
    for transition in Matter().get_all_status_transitions():
        if transition.name in checks.CORRECTIONS:
            continue
        step = steps.BOOK[transition.name]
        assert transition.target == step.reached and transition.source in step.source
        assert transition.permission.role == step.role == Role.VILLAGE_AFFAIRS


def test_a_status_or_a_role_written_differently_is_an_error_naming_the_step(monkeypatch):
    deliberate = steps.BOOK["deliberate"]
    changed = dataclasses.replace(deliberate, reached=Status.RESOLVED, role=Role.BRANCH)
    monkeypatch.setitem(steps.BOOK.by_code, "deliberate", changed)
    found = {error.id: error.msg for error in checks.lifecycle_agrees()}
    assert set(found) == {"village.E002", "village.E003"}
    assert all("审议（党员大会）" in msg and "deliberate" in msg for msg in found.values())


def test_every_meeting_steps_before_and_after_come_from_the_records():
    for step in steps.MEETING_STEPS:
        assert steps.BEFORE_STEP[step] == steps.BOOK[step].source[0]
        assert steps.REACHED_BY[step] == steps.BOOK[step].reached
