"""Listeners of other subjects' domain events."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.utils import timezone

from procedures.publicity.services import objection_upheld

from .models import Case
from .services import case_stop
from .steps import BEFORE_ADMISSION

UPHELD_REASON = "公示期间群众反映的问题经乡镇党委核查属实"


@receiver(objection_upheld)
def stop_case_on_upheld_objection(sender, *, subject_type_id, subject_id, notice_id, **kwargs):
    """A concern found true during a candidate or admission notice stops the case (不予确定).
    During a conversion notice the member is already probationary: the gate holds the
    conversion, and the township decides between extending the probation and cancelling."""

    if subject_type_id != ContentType.objects.get_for_model(Case).pk:
        return
    case = Case.objects.filter(pk=subject_id).first()
    if case is None or case.status not in BEFORE_ADMISSION:
        return
    case_stop(
        case_id=case.pk,
        actor=None,
        stopped_on=timezone.localdate(),
        reason=f"{UPHELD_REASON}（公示编号{notice_id}）",
    )
