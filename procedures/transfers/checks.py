"""Start-up check: a transfer's lifecycle agrees with its step records (steps.BOOK), and
every step taken from a status has its declared input."""

from __future__ import annotations

from django.core.checks import Error

from workflows import steps as step_records

from . import declaration
from .models import Transfer
from .steps import BOOK


def lifecycle_agrees(app_configs=None, **kwargs) -> list[Error]:
    return [
        *step_records.check(Transfer, BOOK, prefix="transfers"),
        *step_records.check_inputs(
            BOOK, declaration.STEP_INPUTS | declaration.DESK_INPUTS, prefix="transfers"
        ),
    ]
