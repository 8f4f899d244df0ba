"""Every field the branch's organisational life declares reaches its record: the meeting's
row, its attendance rows and the audit event (as the other procedures' walks check)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone
from rest_framework import serializers

from portal.surfaces import step_inputs
from procedures.branchlife.declaration import BRANCH_INPUTS, MEETING_INPUTS
from procedures.branchlife.models import BranchLife, BranchMeeting
from procedures.branchlife.steps import Grade, Kind
from procedures.people.models import Person
from tests import factories
from tests.records import flatten
from workflows.audit import events_of, stream_of

from ..membership.walk import world

pytestmark = pytest.mark.django_db


def _recorded(meeting: BranchMeeting) -> set[str]:
    found = flatten(model_to_dict(meeting), set())
    for row in meeting.attendance.all():
        flatten(model_to_dict(row), found)
    for event in events_of(stream_of(meeting)):
        flatten(event.payload, found)
        found.add(str(event.act_date))
    return found


def _texts(prefix: str, declared, body: dict) -> dict:
    serializer_class = step_inputs.serializer_for(prefix, declared)
    for name, field in serializer_class().fields.items():
        if (
            name not in body
            and isinstance(field, serializers.CharField)
            and not isinstance(field, serializers.ChoiceField)
        ):
            body[name] = f"{declared.code}的{name}"
    return body


def _lost(body: dict, recorded: set[str]) -> list[str]:
    names = dict(Person.objects.values_list("pk", "name"))
    lost = []
    for name, value in body.items():
        items = list(value) if isinstance(value, list | dict) else [value]
        for item in items:
            if not {str(item), names.get(item)} & recorded:
                lost.append(f"{name}={item!r}")
    return lost


def test_every_declared_field_of_every_branch_life_input_reaches_its_record():
    w = world()
    life, _ = BranchLife.objects.get_or_create(branch=w.branch)
    today = timezone.localdate()
    present = [m.pk for m in w.members[:6]]
    minutes = {
        "on": (today - timedelta(days=3)).isoformat(),
        "chair": w.members[0].pk,
        "recorder": w.members[2].pk,
        "present": present,
        "on_leave": [w.members[6].pk],
        "grades": {str(pk): Grade.QUALIFIED for pk in present},
        "group": w.group.pk,
    }
    factories.regroup(Person.objects.filter(pk__in=[*present, w.members[7].pk]), w.group)
    factories.hold(w.members[0], w.group, "group_leader")
    lost = []
    # 登记组织生活 (a 民主评议, which takes every field but the group's and the matter's).
    body = _texts("BranchLife", BRANCH_INPUTS["hold"], {"kind": Kind.APPRAISAL, **minutes})
    body.pop("group")
    meeting = step_inputs.run(
        step_inputs.table("BranchLife", BRANCH_INPUTS), life, "hold", None, body
    )
    lost += [f"hold.{x}" for x in _lost(body, _recorded(meeting))]
    # 预约报备, then 登记召开情况 of a 党小组会 (the group), then a plan cancelled.
    plan_body = _texts(
        "BranchLife",
        BRANCH_INPUTS["plan"],
        {
            "kind": Kind.GROUP_MEETING,
            "planned_on": (today + timedelta(days=2)).isoformat(),
            "group": w.group.pk,
        },
    )
    plan = step_inputs.run(
        step_inputs.table("BranchLife", BRANCH_INPUTS), life, "plan", None, plan_body
    )
    lost += [f"plan.{x}" for x in _lost(plan_body, _recorded(plan))]
    record_body = _texts("BranchMeeting", MEETING_INPUTS["record"], {**minutes, "grades": {}})
    record_body["on_leave"] = [w.members[7].pk]
    recorded = step_inputs.run(
        step_inputs.table("BranchMeeting", MEETING_INPUTS), plan, "record", None, record_body
    )
    lost += [f"record.{x}" for x in _lost(record_body, _recorded(recorded))]
    other = step_inputs.run(
        step_inputs.table("BranchLife", BRANCH_INPUTS), life, "plan", None, plan_body
    )
    cancel_body = _texts("BranchMeeting", MEETING_INPUTS["cancel"], {"on": today.isoformat()})
    cancelled = step_inputs.run(
        step_inputs.table("BranchMeeting", MEETING_INPUTS), other, "cancel", None, cancel_body
    )
    lost += [f"cancel.{x}" for x in _lost(cancel_body, _recorded(cancelled))]
    assert lost == [], f"typed in and not recorded: {lost}"


def test_a_leave_reason_with_nobody_on_leave_is_refused_not_dropped():
    from workflows.errors import ProcedureError

    w = world()
    life, _ = BranchLife.objects.get_or_create(branch=w.branch)
    body = {
        "kind": Kind.THEME_DAY,
        "on": timezone.localdate().isoformat(),
        "topic": "主题党日",
        "place": "村部",
        "chair": w.members[0].pk,
        "present": [m.pk for m in w.members[:6]],
        "summary": "学习。",
        "leave_reason": "外出务工",
    }
    with pytest.raises(ProcedureError) as refused:
        step_inputs.run(step_inputs.table("BranchLife", BRANCH_INPUTS), life, "hold", None, body)
    assert refused.value.code == "leave_reason_without_people"
    assert not BranchMeeting.objects.exists()
