"""Start-up check: the letter's lifecycle agrees with its step records."""

from __future__ import annotations

from workflows import steps as step_records

from . import declaration
from .models import Letter
from .steps import BOOK


def lifecycle_agrees(app_configs=None, **kwargs):
    return [
        *step_records.check(Letter, BOOK, prefix="example_procedure"),
        *step_records.check_inputs(BOOK, declaration.STEP_INPUTS, prefix="example_procedure"),
    ]
