"""Reads of village matters through the user's scope: the next step, who may chair it, what
is missing; the township's overview of its villages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.people import scopes
from procedures.people.models import Position, Village
from procedures.publicity.models import Notice
from workflows import calendar
from workflows.audit import events_of, stream_of
from workflows.errors import NotFound
from workflows.models import AuditEvent

from .deadlines import PLANNABLE, rulebook_of
from .declaration import AMENDS
from .models import Matter, ReadReceipt, VillagersMeetingPlan
from .services import corrections
from .services.matters import MSG_NOT_FOUND
from .steps import CHAIRS, READABLE, Method, Status, Step

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
NEXT = {
    Status.REGISTERED: Step.PROPOSE,
    Status.PROPOSED: Step.CONSULT,
    Status.CONSULTED: Step.DELIBERATE,
    Status.DELIBERATED: Step.RESOLVE,
    Status.RESOLVED: Step.PUBLISH_RESOLUTION,
    Status.RESOLUTION_PUBLISHED: Step.RECORD_PROGRESS,
    Status.IMPLEMENTING: Step.PUBLISH_RESULT,
    Status.ACKNOWLEDGED: Step.ARCHIVE,
}


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


def _notice(matter: Matter, kind: str) -> Notice | None:
    return (
        Notice.objects.filter(subject_id=matter.pk, subject_type__model="matter", kind=kind)
        .order_by("-pk")
        .first()
    )


def result_notice(matter: Matter) -> Notice | None:
    """The notice that made the matter's result public, if it is."""
    return _notice(matter, "result") if matter.status in READABLE else None


@dataclass
class Next:
    step: str | None
    label: str
    chairs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    due: date | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def villagers_meeting_plan(matter: Matter) -> VillagersMeetingPlan | None:
    return VillagersMeetingPlan.objects.filter(matter=matter).first()


def next_step(matter: Matter) -> Next:
    """What comes next, who may chair it, and what is missing before it can advance."""
    if matter.status == Status.RESULT_PUBLISHED:
        step = Step.ACKNOWLEDGE if matter.method == Method.THREE else Step.ARCHIVE
    else:
        step = NEXT.get(matter.status)
    if step is None:
        return Next(None, matter.get_status_display())
    chairs = [str(Position.Title(t).label) for t in sorted(CHAIRS[matter.method].get(step, ()))]
    if step == Step.PROPOSE and matter.method == Method.THREE:
        chairs.append(_("第一书记或副书记（书记委托期间）"))
    missing, due = [], None
    rulebook = rulebook_of(matter)
    if step == Step.RESOLVE and matter.reserved:
        notice_days = rulebook.param("villagers_meeting_notice", "days")  # the law's, as held
        missing.append(
            _(
                "本事项须由村民会议决定（或经村民会议授权由村民代表会议决定），"
                "村民会议须提前%(days)s日通知"
            )
            % {"days": notice_days}
        )
    plan = villagers_meeting_plan(matter) if matter.status in PLANNABLE else None
    if plan is not None and plan.announced_on is None:
        missing.append(
            _("%(date)s召开的村民会议尚未通知村民") % {"date": f"{plan.planned_on:%Y-%m-%d}"}
        )
    if step == Step.PUBLISH_RESOLUTION and matter.decided_on:
        days = rulebook.param("publish_promptly", "days")
        due = calendar.add_workdays(matter.decided_on, days, count_start=False).value
        missing.append(_("决议尚未公开"))
    if step == Step.PUBLISH_RESULT:
        missing.append(_("实施结果尚未公开"))
    if step == Step.ACKNOWLEDGE:
        notice = _notice(matter, "result")
        rule = rulebook.rule("acknowledge_promptly") if "acknowledge_promptly" in rulebook else None
        if notice and notice.ends_on and rule is not None and rule.enabled:
            due = notice.ends_on + timedelta(days=rule.params["days"])
        missing.append(_("尚未登记村民知晓情况（广播、公开栏、微信群、入户）"))
    return Next(step, str(Step(step).label), chairs, missing, due)


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
