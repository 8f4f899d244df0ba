"""The lifecycle's transitions are held to the step records at start-up: a step whose role or
resulting status the two write differently stops the start with the step's name."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from procedures.membership import checks, steps
from procedures.membership.models import Case
from procedures.membership.steps import Role, Status


def test_today_the_lifecycle_and_the_step_records_agree():
    assert checks.lifecycle_agrees() == []


def test_a_role_written_differently_is_an_error_naming_the_step(monkeypatch):
    approve = steps.ANY_STEP["approve"]
    monkeypatch.setitem(steps.ANY_STEP, "approve", dataclasses.replace(approve, role=Role.BRANCH))
    [error] = checks.lifecycle_agrees()
    assert error.id == "membership.E003" and "上级党委审批" in error.msg and "approve" in error.msg


def test_a_status_written_differently_is_an_error_naming_the_step(monkeypatch):
    talk = steps.ANY_STEP["talk"]
    monkeypatch.setitem(steps.ANY_STEP, "talk", dataclasses.replace(talk, reached=Status.ACTIVIST))
    [error] = checks.lifecycle_agrees()
    assert error.id == "membership.E002" and "党组织派人谈话" in error.msg


def test_a_step_without_its_transition_and_a_transition_without_its_step(monkeypatch):
    extra = dataclasses.replace(steps.ANY_STEP["talk"], code="visit", label="入户走访")
    monkeypatch.setitem(steps.ANY_STEP, "visit", extra)
    monkeypatch.delitem(steps.ANY_STEP, "archive")
    found = {(error.id, error.msg.split("）")[0]) for error in checks.lifecycle_agrees()}
    assert ("membership.E004", "步骤“入户走访”（visit") in found
    assert any(code == "membership.E001" and "archive" in msg for code, msg in found)


def test_manage_py_check_fails_naming_a_step_whose_role_disagrees(monkeypatch):
    """The record is the only place a role is written: one changed after its transition was
    made from it stops `manage.py check` with the step's name and code."""
    call_command("check")  # passes as it stands
    approve = steps.ANY_STEP["approve"]
    monkeypatch.setitem(steps.ANY_STEP, "approve", dataclasses.replace(approve, role=Role.COUNTY))
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "membership.E003" in str(failed.value)
    assert "步骤“上级党委审批”（approve）" in str(failed.value)


def test_every_transitions_permission_is_made_from_its_records_role():
    for transition in Case().get_all_status_transitions():
        step = steps.ANY_STEP.get(transition.name)
        if step is None:
            continue  # the corrections
        assert transition.permission.role == step.role, step.code
        assert transition.target == step.reached and transition.source in step.source


def test_manage_py_check_fails_naming_a_step_without_its_declared_input(monkeypatch):
    """A step's form, API body and import row come from its declared input: a step left
    without one, or one named otherwise than its record, stops `manage.py check`."""
    from procedures.membership import declaration

    talk = declaration.STEP_INPUTS["talk"]
    monkeypatch.delitem(declaration.STEP_INPUTS, "talk")
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "membership.E006" in str(failed.value) and "（talk）" in str(failed.value)
    monkeypatch.setitem(declaration.STEP_INPUTS, "talk", dataclasses.replace(talk, label="谈话"))
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "membership.E008" in str(failed.value) and "输入名为“谈话”" in str(failed.value)
    monkeypatch.setitem(declaration.STEP_INPUTS, "teleport", dataclasses.replace(talk, code="x"))
    monkeypatch.setitem(declaration.STEP_INPUTS, "talk", talk)
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "membership.E007" in str(failed.value) and "teleport" in str(failed.value)
