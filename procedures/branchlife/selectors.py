"""Reads of the branch's organisational life through the user's scope."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from procedures.people import scopes
from procedures.people.models import Organisation
from workflows.errors import NotFound

from .models import BranchLife, BranchMeeting, DuesPayment, TownshipLife
from .services.dues import MSG_NOT_FOUND as MSG_PAYMENT_NOT_FOUND
from .services.procedure import MSG_NOT_FOUND
from .steps import Status

MSG_LIFE_NOT_FOUND = "没有找到该党支部，或不在您的管理范围内。"
MSG_TOWNSHIP_NOT_FOUND = "没有找到该乡镇党委，或不在您的管理范围内。"


def life_for(*, user, pk: int) -> BranchLife:
    """A branch's 工作手册 by its branch's id (made when first read)."""
    branch = (
        scopes.visible_organisations(user)
        .filter(pk=pk, kind=Organisation.Kind.VILLAGE_BRANCH)
        .first()
    )
    if branch is None:
        raise NotFound("branch_not_found", _(MSG_LIFE_NOT_FOUND))
    life, _created = BranchLife.objects.get_or_create(branch=branch)
    return life


def handbooks(*, user, limit: int = 60) -> list[tuple[str, BranchLife]]:
    """The 工作手册 of the branches in the user's scope (his own first: the fewest)."""
    branches = (
        scopes.visible_organisations(user)
        .filter(kind=Organisation.Kind.VILLAGE_BRANCH)
        .order_by("path")[:limit]
    )
    return [(f"{branch.name}工作手册", BranchLife(branch=branch)) for branch in branches]


def township_for(*, user, pk: int) -> TownshipLife:
    township = (
        scopes.visible_organisations(user)
        .filter(pk=pk, kind=Organisation.Kind.TOWNSHIP_COMMITTEE)
        .first()
    )
    if township is None or not _sees_township(user, township):
        raise NotFound("township_not_found", _(MSG_TOWNSHIP_NOT_FOUND))
    return TownshipLife.objects.get(pk=township.pk)


def _sees_township(user, township: Organisation) -> bool:
    """The township's own people and the county: not a village seeing its township row."""
    return user.is_superuser or any(
        township.path.startswith(root.path) for root in scopes.scope_roots(user)
    )


def townships(*, user) -> list[tuple[str, TownshipLife]]:
    found = [
        (f"{t.name}：各村党支部工作手册汇总", TownshipLife(pk=t.pk))
        for t in scopes.visible_organisations(user).filter(
            kind=Organisation.Kind.TOWNSHIP_COMMITTEE
        )
        if _sees_township(user, t)
    ]
    return found


def meeting_for(*, user, pk: int) -> BranchMeeting:
    meeting = (
        BranchMeeting.objects.filter(branch__in=scopes.visible_organisations(user), pk=pk)
        .select_related("branch", "chair", "recorder", "group")
        .first()
    )
    if meeting is None:
        raise NotFound("meeting_not_found", _(MSG_NOT_FOUND))
    return meeting


def payment_for(*, user, pk: int) -> DuesPayment:
    payment = (
        DuesPayment.objects.filter(branch__in=scopes.visible_organisations(user), pk=pk)
        .select_related("branch", "member", "collector", "corrects")
        .first()
    )
    if payment is None:
        raise NotFound("payment_not_found", _(MSG_PAYMENT_NOT_FOUND))
    return payment


def plans(branch: Organisation, year: int):
    return BranchMeeting.objects.filter(branch=branch, planned_on__year=year).order_by(
        "planned_on", "pk"
    )


def meetings_carrying(record) -> QuerySet[BranchMeeting]:
    """The branch's 主题党日 held that carried `record` (a village matter's 民主议事), by day:
    one record, shown on the record's page too."""
    return BranchMeeting.objects.filter(
        carried_type=ContentType.objects.get_for_model(record),
        carried_id=record.pk,
        status=Status.HELD,
    ).order_by("held_on")
