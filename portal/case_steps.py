"""Member development's inputs on the portal: its declared steps (procedures/membership/
declaration.py) through the one adapter, and the few inputs that are not steps (opening a
case, an observation, a material)."""

from __future__ import annotations

from rest_framework import serializers

from procedures.membership import declaration
from procedures.membership.models import Case, Observation
from procedures.membership.steps import CHECKLIST

from . import step_inputs
from .step_inputs import id_field


class OpenCaseInput(serializers.Serializer):
    person = id_field(label="申请人")
    branch = id_field(label="党支部")
    applied_on = serializers.DateField(label="递交申请书日期")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label="说明"
    )


class ObservationInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Observation.Kind.choices,
        label="类型",
        error_messages={"invalid_choice": "请选择思想汇报或考察意见。"},
    )
    on = serializers.DateField(label="日期")
    summary = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", label="内容摘要"
    )


class MaterialInput(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(CHECKLIST), label="步骤")
    kind = serializers.CharField(max_length=40, label="材料")
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label="标题"
    )
    file = serializers.FileField(required=False, label="文件")
    reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", label="更正原因"
    )


# The steps, as member development declares them: {code: (body serializer, perform)}.
STEP_INPUTS = step_inputs.table("Case", declaration.STEP_INPUTS)


def perform(case: Case, step: str, actor, data, *, check_only: bool = False) -> Case:
    """Parse `data` for the case's `step` and perform it (or, with `check_only`, check it)."""
    return step_inputs.run(STEP_INPUTS, case, step, actor, data, check_only=check_only)
