"""Start-up check: a village matter's lifecycle (models.Matter) agrees with its step records
(steps.BOOK), through the engine's `workflows.steps.check`: a disagreement stops the start
with the step's name."""

from __future__ import annotations

from django.core.checks import Error

from workflows import steps as step_records

from . import declaration
from .models import Matter
from .steps import BOOK

# The corrections (退回, 撤回) are no step of the path: their own permissions decide.
CORRECTIONS = frozenset({"send_back", "take_back"})


def lifecycle_agrees(app_configs=None, **kwargs) -> list[Error]:
    """The transitions, and the declared inputs (declaration.py), against the records."""
    return [
        *step_records.check(Matter, BOOK, prefix="village", corrections=CORRECTIONS),
        *step_records.check_inputs(BOOK, declaration.STEP_INPUTS, prefix="village"),
    ]
