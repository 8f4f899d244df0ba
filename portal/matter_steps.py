"""Village matters' inputs on the portal: their declared steps (procedures/village/
declaration.py) through the one adapter, and registering a matter."""

from __future__ import annotations

from rest_framework import serializers

from procedures.village import declaration
from procedures.village.models import Matter
from procedures.village.steps import Category

from . import step_inputs
from .step_inputs import id_field


class RegisterInput(serializers.Serializer):
    village = id_field(label="行政村")
    title = serializers.CharField(max_length=200, label="事项")
    category = serializers.ChoiceField(choices=Category.choices, label="类别")
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, label="内容"
    )


# The steps, as village matters declare them: {code: (body serializer, perform)}.
STEP_INPUTS = step_inputs.table("Matter", declaration.STEP_INPUTS)


def perform(matter: Matter, step: str, actor, data, *, check_only: bool = False) -> Matter:
    return step_inputs.run(STEP_INPUTS, matter, step, actor, data, check_only=check_only)
