"""Start-up check: member development's lifecycle (lifecycle.py) agrees with its step records
(steps.BOOK), which the pages, the API, the workbook and the projection read. The transitions
are made from the records, so they agree unless a record is changed after them; the check
(the engine's, `workflows.steps.check`) then stops the start with the step's name instead of
a page offering what the lifecycle refuses."""

from __future__ import annotations

from django.core.checks import Error

from workflows import steps as step_records

from . import declaration
from .models import Case
from .steps import BOOK

# The corrections (退回, 撤回) are no step of the path: their own permissions decide.
CORRECTIONS = frozenset({"send_back", "take_back"})


def lifecycle_agrees(app_configs=None, **kwargs) -> list[Error]:
    """The transitions, and the declared inputs (declaration.py), against the records."""
    return [
        *step_records.check(Case, BOOK, prefix="membership", corrections=CORRECTIONS),
        *step_records.check_inputs(BOOK, declaration.STEP_INPUTS, prefix="membership"),
    ]
