"""The notices a case needs (发展对象, 接收预备党员, 转正), posted on the village's board."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType

from procedures.people.models import Organisation
from procedures.publicity import services as publicity
from procedures.publicity.kinds import person_fields
from procedures.publicity.models import Notice
from workflows.errors import ProcedureError
from workflows.notices import Period, PeriodUnit

from ..models import Case
from .base import rulebook_of

TITLES = {
    "candidate": "关于{name}同志拟列为发展对象的公示",
    "admission": "关于拟接收{name}同志为中共预备党员的公示",
    "conversion": "关于{name}同志拟按期转为中共正式党员的公示",
}


def public_fields(case: Case, kind: str, extra: dict) -> dict[str, str]:
    """The case's facts that the kind of notice may show, and nothing else."""
    return person_fields(
        kind, case.person, case.branch.name, application_date=case.applied_on, **extra
    )


def draft_and_publish(
    case: Case, *, kind: str, published_on: date, rule_id: str, extra: dict
) -> Notice:
    """Post the notice the rule asks for, for the period the rulebook sets. Published by the
    system on the step's date: the step's actor was checked by the case's transition."""
    rulebook = rulebook_of(case)
    days = rulebook.param(rule_id, "days")
    village = case.branch.village
    if village is None:
        raise ProcedureError("branch_without_village", "该党支部没有对应的行政村公示栏。")
    township = Organisation.objects.get(pk=case.branch.parent_id)
    issuer = township.name if kind == "admission" else case.branch.name
    notice = publicity.notice_draft(
        actor=None,
        village=village,
        kind=kind,
        subject=case,
        issuer=issuer,
        title=TITLES[kind].format(name=case.person.name),
        fields=public_fields(case, kind, extra),
        period=Period(days, PeriodUnit.WORKDAYS, count_publish_day=True),
    )
    return publicity.notice_publish(actor=None, notice=notice, published_on=published_on)


def case_notice(case: Case, kind: str) -> Notice | None:
    return (
        Notice.objects.filter(
            subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk, kind=kind
        )
        .order_by("-pk")
        .first()
    )


def candidate_notice(case: Case) -> Notice:
    return case_notice(case, "candidate")
