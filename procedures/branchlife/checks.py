"""Start-up check: the branch's records' lifecycles (models.BranchMeeting, models.DuesPayment)
agree with their step records (steps.MEETING_BOOK, steps.DUES_BOOK), through the engine's
`workflows.steps.check`: a disagreement stops the start with the step's name."""

from __future__ import annotations

from django.core.checks import Error

from workflows import steps as step_records

from . import declaration
from .models import BranchMeeting, DuesPayment
from .steps import DUES_BOOK, MEETING_BOOK

# A meeting's corrections (撤回, and the supersession a date's 更正 makes) are no steps.
MEETING_CORRECTIONS = frozenset({"take_back", "supersede"})


def lifecycles_agree(app_configs=None, **kwargs) -> list[Error]:
    return [
        *step_records.check(
            BranchMeeting, MEETING_BOOK, prefix="branchlife", corrections=MEETING_CORRECTIONS
        ),
        *step_records.check(DuesPayment, DUES_BOOK, prefix="branchlife"),
        *step_records.check_inputs(
            MEETING_BOOK,
            declaration.MEETING_INPUTS | declaration.BRANCH_INPUTS,
            prefix="branchlife",
        ),
        *step_records.check_inputs(DUES_BOOK, declaration.DUES_INPUTS, prefix="branchlife"),
    ]
