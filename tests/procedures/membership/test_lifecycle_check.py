"""The lifecycle's transitions are held to the step records at start-up: a step whose role or
resulting status the two write differently stops the start with the step's name."""

from __future__ import annotations

import dataclasses

from procedures.membership import checks, steps
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
    extra = dataclasses.replace(steps.ANY_STEP["talk"], code="visit", name="入户走访")
    monkeypatch.setitem(steps.ANY_STEP, "visit", extra)
    monkeypatch.delitem(steps.ANY_STEP, "archive")
    found = {(error.id, error.msg.split("）")[0]) for error in checks.lifecycle_agrees()}
    assert ("membership.E004", "步骤“入户走访”（visit") in found
    assert any(code == "membership.E001" and "archive" in msg for code, msg in found)
