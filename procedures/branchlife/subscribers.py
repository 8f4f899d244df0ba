"""What follows in the ledger from other procedures' acts (the pipeline's `step_done`, after
commit): a village matter's meeting of the branch (its 提议, its 审议) or member development's
支部大会 may meet the period's 支委会 or 党员大会, so the branch's frequency rows are
synchronised again."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from workflows.pipeline import step_done

MATTER_MEETINGS = {"propose", "propose_and_consult", "deliberate", "fail"}
CASE_MEETINGS = {"branch_admit", "branch_admit_failed", "branch_convert", "branch_convert_failed"}


def _branch_of(sender, subject_id: int, verb: str):
    from procedures.membership.models import Case
    from procedures.people import scopes
    from procedures.village.models import Matter

    if sender is Matter and verb in MATTER_MEETINGS:
        matter = Matter.objects.select_related("village").filter(pk=subject_id).first()
        return scopes.branch_of(matter.village) if matter else None
    if sender is Case and verb in CASE_MEETINGS:
        case = Case.objects.select_related("branch").filter(pk=subject_id).first()
        return case.branch if case else None
    return None


@receiver(step_done, dispatch_uid="branchlife.other_meetings_count")
def other_meetings_count(sender, *, subject_id, verb, **kwargs):
    branch = _branch_of(sender, subject_id, verb)
    if branch is None:
        return
    from .deadlines import sync_branch

    with transaction.atomic():
        sync_branch(branch)
