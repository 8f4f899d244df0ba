"""What follows in the ledger from other procedures' meetings: a village matter's meeting of
the branch (its 提议, its 审议) or member development's 支部大会 may meet the period's 支委会
or 党员大会, so the branch's frequency rows are synchronised again once the shared fact of the
meeting held has changed (after commit). The branch's own records do it in their step."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from procedures.people.facts import meetings_held_changed
from procedures.people.models import Organisation

from .deadlines import sync_branch
from .models import BranchMeeting


@receiver(meetings_held_changed, dispatch_uid="branchlife.other_meetings_count")
def other_meetings_count(sender, *, branch_ids, **kwargs):
    if sender is BranchMeeting:
        return
    for branch in Organisation.objects.filter(pk__in=branch_ids):
        with transaction.atomic():
            sync_branch(branch)
