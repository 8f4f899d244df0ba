"""Reads of transfers: one in the user's scope, an organisation's desk, and the transfers
of an organisation's subtree, out and in, each with what it is waiting for."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import scopes
from procedures.people.models import Organisation
from workflows.errors import NotFound

from . import policy
from .models import Transfer, TransferDesk
from .procedure import MSG_NOT_FOUND
from .steps import ENDED, Status

MSG_DESK_NOT_FOUND = gettext_noop("没有找到该组织，或不在您的管理范围内。")
DESK_KINDS = (
    Organisation.Kind.VILLAGE_BRANCH,
    Organisation.Kind.TOWNSHIP_COMMITTEE,
    Organisation.Kind.COUNTY_COMMITTEE,
)
RELATED = ("person", "from_branch", "to_branch", "issued_by")


def transfer_for(*, user, pk: int) -> Transfer:
    transfer = Transfer.objects.select_related(*RELATED).filter(pk=pk).first()
    if transfer is None or not policy.in_scope(transfer, user):
        raise NotFound("transfer_not_found", _(MSG_NOT_FOUND))
    return transfer


def desk_for(*, user, pk: int) -> TransferDesk:
    found = scopes.visible_organisations(user).filter(pk=pk, kind__in=DESK_KINDS).first()
    if found is None:
        raise NotFound("desk_not_found", _(MSG_DESK_NOT_FOUND))
    return TransferDesk.objects.get(pk=found.pk)


def desks(*, user, limit: int = 60) -> list[tuple[str, TransferDesk]]:
    """The desks of the organisations the user's posts are over (the highest first)."""
    roots = scopes.scope_roots(user)
    rows = TransferDesk.objects.filter(pk__in=[root.pk for root in roots], kind__in=DESK_KINDS)
    return [(f"{desk.name}：组织关系转接", desk) for desk in rows.order_by("path")[:limit]]


def out_of(organisation: Organisation) -> QuerySet[Transfer]:
    return Transfer.objects.filter(from_branch__path__startswith=organisation.path).select_related(
        *RELATED
    )


def into(organisation: Organisation) -> QuerySet[Transfer]:
    return Transfer.objects.filter(to_branch__path__startswith=organisation.path).select_related(
        *RELATED
    )


def open_ones(transfers: QuerySet[Transfer]) -> QuerySet[Transfer]:
    return transfers.exclude(status__in=ENDED).order_by("proposed_on", "pk")


def ended_ones(transfers: QuerySet[Transfer], limit: int = 20) -> list[Transfer]:
    return list(transfers.filter(status__in=ENDED).order_by("-proposed_on", "-pk")[:limit])


def waiting(transfer: Transfer, today: date) -> str:
    """What the transfer waits for, as a township's 未办结 list says it: 待开具, 待接收,
    已退回待修改, 待回执, or 已逾期 (a letter past its validity, not yet accepted)."""
    if transfer.status == Status.ISSUED and transfer.valid_until < today:
        days = (today - transfer.valid_until).days
        return _("已逾期%(days)s天（有效期至%(until)s）") % {
            "days": days,
            "until": f"{transfer.valid_until:%Y-%m-%d}",
        }
    return str(transfer.get_status_display())


def overlapping(organisation: Organisation) -> Q:
    return Q(from_branch__path__startswith=organisation.path) | Q(
        to_branch__path__startswith=organisation.path
    )


def units_of(organisation: Organisation) -> list[Organisation]:
    """The parts a desk counts by: a county's townships, a township's branches; a branch
    counts itself."""
    child = {
        Organisation.Kind.COUNTY_COMMITTEE: Organisation.Kind.TOWNSHIP_COMMITTEE,
        Organisation.Kind.TOWNSHIP_COMMITTEE: Organisation.Kind.VILLAGE_BRANCH,
    }.get(organisation.kind)
    if child is None:
        return [organisation]
    return list(Organisation.objects.filter(parent=organisation, kind=child).order_by("path"))


def year_counts(organisation: Organisation, year: int) -> list[tuple[Organisation, int, int]]:
    """The members received into and sent out of `organisation`, then of each of its units,
    in `year` (by the day of acceptance, when his organisation changed): a move between two
    branches of one unit is neither, for that unit."""
    rows = list(
        Transfer.objects.filter(accepted_on__year=year)
        .filter(overlapping(organisation))
        .values_list("from_branch__path", "to_branch__path")
    )

    def counted(unit: Organisation) -> tuple[Organisation, int, int]:
        inside = [(src.startswith(unit.path), dst.startswith(unit.path)) for src, dst in rows]
        return (
            unit,
            sum(1 for was, now in inside if now and not was),
            sum(1 for was, now in inside if was and not now),
        )

    units = units_of(organisation)
    whole = counted(organisation)
    return [whole] if units == [organisation] else [whole, *map(counted, units)]
