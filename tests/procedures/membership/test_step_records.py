"""Every field a step's form or API body declares reaches the step's record (全程纪实): a
value typed in and then dropped (the 上级党委派人谈话's note once was) is a lost fact.

The case is walked through every declared step of every path (both variants, both
rulebooks), each performed through the same parser the staff page and the API use, with a
distinct value in every field; then each value is looked for in what the step recorded."""

from __future__ import annotations

import json
from datetime import date

import pytest
from rest_framework import serializers

from fixtures import case_script
from portal import surfaces
from portal.surfaces import step_inputs
from procedures.membership import declaration
from procedures.membership.models import Case, StepRecord
from procedures.membership.rulebooks import CPC_2014, CPC_2026
from procedures.membership.steps import AMENDS, EXITS, Variant, applicable_steps
from procedures.people.models import Organisation, Person
from tests.records import flatten
from workflows.audit import events_of, stream_of

from .walk import date_of, open_case, walk, world

pytestmark = pytest.mark.django_db

# Flags that choose how a step is recorded rather than being a fact of it.
FLAGS = {"record_failure"}


def _payload(step: str, w, when: date) -> dict:
    members = w.members
    meeting = {
        "held_on": when.isoformat(),
        "present": [m.pk for m in members[:7]],
        "yes": 6,
        "no": 0,
        "abstain": 1,
        "written": {str(members[8].pk): "yes"},
        "chair": members[0].pk,
        "recorder": members[2].pk,
    }
    committee = {"present": 4, "yes": 4}
    by_step = {
        "choose_activist": {**committee, "recommendation": "youth_league"},
        "assign_mentors": {"people": [members[4].pk, members[5].pk]},
        "propose_candidate": committee,
        "choose_candidate": committee,
        "assign_sponsors": {"people": [members[4].pk, members[6].pk]},
        "record_review": {"passed": True},
        "record_training": {"days": 3, "hours": 25},
        "committee_review": committee,
        "branch_admit": meeting,
        "approve": committee | {"present": 3, "yes": 3},
        "assign_group": {"group": w.group.pk},
        "branch_convert": meeting,
    }
    payload = dict(by_step.get(step, {}))
    serializer_class = surfaces.get("cases").table[step][0]
    for name, field in serializer_class().fields.items():
        if name == "on":
            payload["on"] = when.isoformat()
        elif isinstance(field, serializers.CharField) and not isinstance(
            field, serializers.ChoiceField
        ):
            payload[name] = f"{step}的{name}记录"
    return payload


def _recorded(record: StepRecord) -> set[str]:
    return flatten(record.data, {record.act_date.isoformat(), record.note})


def _missing(step: str, payload: dict, record: StepRecord) -> list[str]:
    recorded = _recorded(record)
    names = dict(Person.objects.values_list("pk", "name"))
    if "group" in payload:  # a party group, recorded by its name
        names[payload["group"]] = Organisation.objects.get(pk=payload["group"]).name
    lost = []
    for name, value in payload.items():
        if name in FLAGS:
            continue
        if name == "held_on":
            value = date.fromisoformat(value)
        wanted = value if isinstance(value, list) else [value]
        if isinstance(value, dict):
            wanted = list(value)
        for item in wanted:
            if str(item) not in recorded and names.get(item) not in recorded:
                lost.append(f"{step}.{name}={item!r}")
    return lost


PATHS = [(CPC_2014, Variant.STANDARD), (CPC_2026, Variant.LOCAL)]


def test_the_paths_walked_below_cover_every_declared_step():
    walked = {
        step.code
        for rulebook, variant in PATHS
        for step in applicable_steps(variant=variant, candidate_notice=rulebook == CPC_2026)
    }
    # The corrections and hand-offs are walked in test_corrections.py.
    assert walked - {"apply"} | set(EXITS) | set(AMENDS) == set(declaration.STEP_INPUTS)


@pytest.mark.parametrize(("rulebook", "variant"), PATHS)
def test_every_declared_field_of_every_step_reaches_its_record(rulebook, variant):
    lost: list[str] = []
    w = world(rulebook=rulebook, variant=variant)
    case = open_case(w)
    for step in case_script.ORDER:
        if not case_script.applies(case, step):
            continue
        when = date_of(step)
        case = Case.objects.get(pk=case.pk)
        if step in ("propose_candidate", "choose_candidate"):
            case_script._cultivated(case, date_of("propose_candidate"))
        if step == "archive":
            case_script.file_materials(case)
        payload = _payload(step, w, when)
        _perform(case, step, None, payload)
        record = case.records.filter(step=step).latest("pk")
        lost += _missing(step, payload, record)
        # The audit chain keeps what the record keeps, for the same act.
        event = [e for e in events_of(stream_of(case)) if e.action == step][-1]
        assert event.payload["data"] == _json(record.data), step
        assert event.act_date == record.act_date and event.role == record.role, step
    assert Case.objects.get(pk=case.pk).status == "archived"
    assert lost == [], f"typed in and not recorded: {lost}"


def _json(value):
    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@pytest.mark.parametrize(
    ("step", "until", "on"),
    [
        ("stop", "talk", date(2023, 3, 5)),
        ("extend_probation", "apply_conversion", date(2025, 7, 10)),
        ("cancel", "take_oath", date(2024, 9, 10)),
        ("rediscuss", "approve", date(2024, 10, 20)),
    ],
)
def test_every_declared_field_of_every_exit_reaches_its_record(step, until, on):
    w = world()
    case = walk(w, until=until)
    payload = _payload(step, w, on)
    if step == "extend_probation":
        payload["months"] = 6
    _perform(case, step, None, payload)
    assert _missing(step, payload, case.records.get(step=step)) == []


def _perform(subject, step, actor, payload):
    """The step, parsed and performed as the staff page and the API do."""
    return step_inputs.run(surfaces.get("cases").table, subject, step, actor, payload)
