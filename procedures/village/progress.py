"""Where a village matter stands: the step it waits for, who may chair it, what is missing
before it can advance and by when; its rulebook; the villagers' meeting planned for it; the
notice that made its result public. Read by the pages, the deadline rows and the
corrections alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.people.models import Position
from procedures.publicity.models import Notice
from workflows import calendar
from workflows.rules import get_rulebook

from .models import Matter, VillagersMeetingPlan
from .rulebooks import VILLAGE_FOUR, VILLAGE_THREE
from .steps import CHAIRS, READABLE, Method, Status, Step

# A planned villagers' meeting still needs its notice while the decision is not yet taken.
PLANNABLE = (Status.PROPOSED, Status.CONSULTED, Status.DELIBERATED)
_RULEBOOK_OF_METHOD = {Method.THREE: VILLAGE_THREE, Method.FOUR: VILLAGE_FOUR}


def rulebook_of(matter: Matter):
    return get_rulebook(_RULEBOOK_OF_METHOD.get(matter.method, str(matter.method)))


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
