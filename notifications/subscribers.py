"""Listeners of the procedures' domain events (sent after commit)."""

from django.dispatch import receiver
from django.utils import timezone

from procedures.membership.services import case_step_done


@receiver(case_step_done)
def clear_stagnation_on_admission(sender, *, case_id, step, **kwargs):
    """A branch that admits a member is no longer 长期不发展."""
    if step != "approve":
        return
    from procedures.membership.models import Case

    from .models import StagnationWarning

    branch_id = Case.objects.filter(pk=case_id).values_list("branch_id", flat=True).first()
    StagnationWarning.objects.filter(branch_id=branch_id, cleared_on__isnull=True).update(
        cleared_on=timezone.localdate()
    )
