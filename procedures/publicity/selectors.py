"""Reads of notices: the public board (no login, public fields only) and the staff views."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import scopes
from procedures.people.models import Organisation, Village
from workflows.errors import NotFound, ProcedureError
from workflows.notices import (
    Finding,
    NoticeStatus,
    ObjectionStatus,
    normalize_receipt,
    receipt_checks,
)

from .models import Notice, Objection

MSG_NOTICE_NOT_FOUND = gettext_noop("没有找到该公示。")
MSG_VILLAGE_NOT_FOUND = gettext_noop("没有找到该村。")
MSG_RECEIPT_NOT_FOUND = gettext_noop("没有找到该回执号，请核对后再查。")
MSG_RECEIPT_MISTYPED = gettext_noop(
    "回执号有误：应为10位数字，最后一位是校验位，请逐位核对（可能有数字抄错或前后颠倒）。"
)
MSG_OBJECTION_NOT_FOUND = gettext_noop("没有找到该反映，或不在您的管理范围内。")

PUBLIC_STATUSES = (NoticeStatus.PUBLISHED, NoticeStatus.CLOSED, NoticeStatus.WITHDRAWN)


def townships_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP_COMMITTEE).annotate(
        village_count=Count("villages")
    )


def villages_public(*, township_id: int | None = None, query: str = "") -> QuerySet[Village]:
    villages = Village.objects.select_related("township").annotate(
        current=Count("notices", filter=Q(notices__status=NoticeStatus.PUBLISHED))
    )
    if township_id is not None:
        villages = villages.filter(township_id=township_id)
    query = query.strip()[:20]
    if query:
        villages = villages.filter(name__contains=query)
    return villages.order_by("township__name", "name")


def township_public(*, pk: int) -> Organisation:
    township = townships_public().filter(pk=pk).first()
    if township is None:
        raise NotFound("township_not_found", _(MSG_VILLAGE_NOT_FOUND))
    return township


def village_public(*, pk: int) -> Village:
    village = Village.objects.select_related("township").filter(pk=pk).first()
    if village is None:
        raise NotFound("village_not_found", _(MSG_VILLAGE_NOT_FOUND))
    return village


@dataclass
class Board:
    current: list[Notice]
    archived: list[Notice]


def village_board(*, village: Village) -> Board:
    notices = list(
        Notice.objects.filter(village=village, status__in=PUBLIC_STATUSES).order_by(
            "-published_on", "-pk"
        )
    )
    return Board(
        current=[n for n in notices if n.status == NoticeStatus.PUBLISHED],
        archived=[n for n in notices if n.status != NoticeStatus.PUBLISHED],
    )


def notice_public(*, pk: int) -> Notice:
    notice = (
        Notice.objects.select_related("village__township")
        .filter(pk=pk, status__in=PUBLIC_STATUSES)
        .first()
    )
    if notice is None:
        raise NotFound("notice_not_found", _(MSG_NOTICE_NOT_FOUND))
    return notice


@dataclass(frozen=True)
class ObjectionSummary:
    received: int
    in_progress: int
    outcomes: list[tuple[str, int]]  # (finding label, count)


def objections_public_summary(*, notice: Notice) -> ObjectionSummary:
    """How many concerns were raised and what came of them: never who, never what."""
    rows = list(notice.objections.values("status", "finding"))
    outcomes = []
    for value, label in Finding.choices:
        count = sum(1 for row in rows if row["finding"] == value)
        if count:
            outcomes.append((str(label), count))
    in_progress = sum(1 for row in rows if row["status"] != ObjectionStatus.RESOLVED)
    return ObjectionSummary(len(rows), in_progress, outcomes)


def objection_by_receipt(*, receipt: str) -> Objection:
    receipt = normalize_receipt(receipt)
    if receipt.isdigit() and not receipt_checks(receipt):
        raise ProcedureError("receipt_mistyped", _(MSG_RECEIPT_MISTYPED))
    objection = (
        Objection.objects.select_related("notice__village").filter(receipt=receipt).first()
        if 8 <= len(receipt) <= 20
        else None
    )
    if objection is None:
        raise NotFound("receipt_not_found", _(MSG_RECEIPT_NOT_FOUND))
    return objection


def notices_for(
    *, user, status: str | None = None, village_id: int | None = None
) -> QuerySet[Notice]:
    villages = scopes.visible_villages(user)
    notices = (
        Notice.objects.filter(village__in=villages)
        .select_related("village__township")
        .annotate(
            open_objections=Count(
                "objections", filter=~Q(objections__status=ObjectionStatus.RESOLVED)
            )
        )
    )
    if status in NoticeStatus.values:
        notices = notices.filter(status=status)
    if village_id:
        notices = notices.filter(village_id=village_id)
    return notices.order_by("-open_objections", "-created_at", "-pk")


def notice_for(*, user, pk: int) -> Notice:
    notice = notices_for(user=user).filter(pk=pk).first()
    if notice is None:
        raise NotFound("notice_not_found", _(MSG_NOTICE_NOT_FOUND))
    return notice


def objection_for(*, user, pk: int) -> Objection:
    objection = (
        Objection.objects.filter(pk=pk, notice__village__in=scopes.visible_villages(user))
        .select_related("notice__village")
        .first()
    )
    if objection is None:
        raise NotFound("objection_not_found", _(MSG_OBJECTION_NOT_FOUND))
    return objection
