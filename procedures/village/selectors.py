"""Reads of village matters through the user's scope: the next step, who may chair it, what
is missing; the township's overview of its villages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from procedures.people import scopes
from procedures.people.models import Village
from procedures.publicity.models import Notice
from workflows.audit import events_of, stream_of
from workflows.errors import NotFound
from workflows.models import AuditEvent

from .declaration import AMENDS
from .models import Matter, ReadReceipt
from .progress import Next, next_step
from .services import corrections
from .services.matters import MSG_NOT_FOUND
from .steps import Method, Status

OPEN = [
    Status.REGISTERED,
    Status.PROPOSED,
    Status.CONSULTED,
    Status.DELIBERATED,
    Status.RESOLVED,
    Status.RESOLUTION_PUBLISHED,
    Status.IMPLEMENTING,
    Status.RESULT_PUBLISHED,
    Status.ACKNOWLEDGED,
]


def matters_for(
    *, user, village_id: int | None = None, status: str | None = None
) -> QuerySet[Matter]:
    matters = Matter.objects.filter(village__in=scopes.visible_villages(user)).select_related(
        "village", "village__township"
    )
    if village_id:
        matters = matters.filter(village_id=village_id)
    if status in Status.values:
        matters = matters.filter(status=status)
    return matters


def matter_for(*, user, pk: int) -> Matter:
    matter = matters_for(user=user).filter(pk=pk).first()
    if matter is None:
        raise NotFound("matter_not_found", _(MSG_NOT_FOUND))
    return matter


def village_for(*, user, pk: int) -> Village:
    village = scopes.visible_villages(user).filter(pk=pk).first()
    if village is None:
        raise NotFound("village_not_found", _("没有找到该村，或不在您的管理范围内。"))
    return village


@dataclass(frozen=True)
class VillageRow:
    village: Village
    open: int
    without_result_notice: int
    without_acknowledgement: int
    overdue: int
    pressed: int = 0  # 催办 of its open matters


def township_overview(*, user) -> list[VillageRow]:
    """Per village: open matters, those lacking a result notice or a 知晓 record, overdue."""
    rows = []
    for village in (
        scopes.visible_villages(user).select_related("township").order_by("township__name", "name")
    ):
        matters = list(Matter.objects.filter(village=village, status__in=OPEN))
        rows.append(
            VillageRow(
                village=village,
                open=len(matters),
                without_result_notice=sum(
                    m.status in (Status.RESOLUTION_PUBLISHED, Status.IMPLEMENTING) for m in matters
                ),
                without_acknowledgement=sum(
                    m.status == Status.RESULT_PUBLISHED and m.method == Method.THREE
                    for m in matters
                ),
                overdue=sum(next_step(m).overdue for m in matters),
                pressed=AuditEvent.objects.filter(
                    stream__in=[stream_of(m) for m in matters], action="press"
                ).count()
                if matters
                else 0,
            )
        )
    return sorted(
        rows, key=lambda row: (-row.overdue, -row.without_acknowledgement, row.village.name)
    )


def by_urgency(matters) -> list[tuple[Matter, Next]]:
    """Open matters with their next step, overdue first."""
    pairs = [(m, next_step(m)) for m in matters]
    return sorted(
        pairs, key=lambda pair: (not pair[1].overdue, pair[1].due or date.max, -pair[0].pk)
    )


@dataclass(frozen=True)
class AmendEntry:
    """A return, withdrawal, correction, pressing or copy of the matter, as its record
    shows it (the same entry the case's 全程纪实 shows)."""

    on: date
    title: str
    actor: str
    role: str
    entered_at: object
    detail: dict
    mark: str = ""
    corrections: tuple = ()


def amends(events) -> list[AmendEntry]:
    return [
        AmendEntry(
            event.act_date,
            str(AMENDS[event.action].label),
            event.actor_name,
            event.role,
            event.recorded_at,
            event.payload,
        )
        for event in events
        if event.action in AMENDS
    ]


def record(matter: Matter):
    events = events_of(stream_of(matter))
    return {
        # As they stand: the date as corrected, 已退回/已撤回 marks, the corrections folded.
        "meetings": corrections.meetings(matter),
        "amends": amends(events),
        "progress": list(matter.progress.all()),
        "acknowledgements": list(matter.acknowledgements.all()),
        "notices": list(Notice.objects.filter(subject_id=matter.pk, subject_type__model="matter")),
        "events": events,
        "read_count": matter.read_receipts.count(),
        "read_counts": read_counts(matter),
    }


def read_counts(matter: Matter) -> list[tuple[str, int]]:
    """How many households are known to have read the result, by how it is known."""
    counted = dict(
        matter.read_receipts.values_list("how").annotate(n=Count("pk")).values_list("how", "n")
    )
    return [(str(label), counted.get(how, 0)) for how, label in ReadReceipt.How.choices]
