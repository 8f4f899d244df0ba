"""Listeners of the procedures' domain events (sent after commit)."""

from django.dispatch import receiver
from django.utils import timezone

from procedures.membership.models import Case
from procedures.membership.services import case_step_done
from workflows.amend import handed_off

from .models import StagnationWarning
from .services import hand_off


@receiver(case_step_done)
def clear_stagnation_on_admission(sender, *, case_id, admitted=False, **kwargs):
    """A branch that admits a member is no longer 长期不发展 (the event says whether the step
    admitted one; no verb is compared here)."""
    if not admitted:
        return

    branch_id = Case.objects.filter(pk=case_id).values_list("branch_id", flat=True).first()
    StagnationWarning.objects.filter(branch_id=branch_id, cleared_on__isnull=True).update(
        cleared_on=timezone.localdate()
    )


@receiver(handed_off)
def tell_of_hand_off(sender, *, subject_id, kind, title, status, note, by, audience, users, **kw):
    """退回, 催办, 抄送: each recipient hears of it in his inbox."""

    hand_off(
        model=sender, subject_id=subject_id, kind=kind, title=title, status=status, note=note,
        by=by, audience=audience, users=users,
    )  # fmt: skip
