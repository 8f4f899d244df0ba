"""A villagers' meeting planned ahead and announced 10 days before it (村民委员会组织法
第二十一条). Planning opens the deadline row for the notice; announcing closes it; the
decision taken at the meeting reads the announcement date from here."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows import pipeline
from workflows.errors import Conflict, ProcedureError

from .. import deadlines as matter_deadlines
from ..models import Matter, VillagersMeetingPlan
from .matters import MATTERS, MSG_PLACE, _check_date, hold

MSG_PLAN_NOT_NOW = gettext_noop(
    "事项当前进度为“%(status)s”，只有在提议之后、决议之前才能安排村民会议。"
)
MSG_TOO_SOON = gettext_noop(
    "召开村民会议，应当提前%(days)d日通知村民：%(date)s距今不足%(days)d日，请另选日期。"
)
MSG_NO_PLAN = gettext_noop("尚未安排村民会议，请先登记拟召开日期和地点。")
MSG_ALREADY_ANNOUNCED = gettext_noop("村民会议已于%(date)s通知，改期请重新安排会议日期。")
MSG_ANNOUNCED_LATE = gettext_noop(
    "召开村民会议，应当提前%(days)d日通知村民：%(date)s通知、%(planned)s召开，"
    "只提前了%(given)d日。请改期后重新通知。"
)
MSG_HOW = gettext_noop("请填写通知方式（如广播、公开栏、微信群、入户）。")


def _check_plannable(matter: Matter) -> None:
    if matter.status not in matter_deadlines.PLANNABLE:
        raise Conflict(
            "plan_not_available", _(MSG_PLAN_NOT_NOW) % {"status": matter.get_status_display()}
        )


def _audit(matter: Matter, action: str, actor, act_date: date, plan: VillagersMeetingPlan):
    pipeline.logged(
        MATTERS,
        matter,
        action,
        actor=actor,
        act_date=act_date,
        payload={
            "planned_on": plan.planned_on,
            "place": plan.place,
            "announced_on": plan.announced_on,
            "announced_how": plan.announced_how,
        },
    )


@transaction.atomic
def matter_plan_villagers_meeting(
    *, matter_id: int, actor, planned_on: date, place: str, today: date | None = None
) -> VillagersMeetingPlan:
    """安排村民会议: its date and place. The date must leave the 10 days' notice; a new date
    for a meeting already announced needs a new notice."""
    matter = hold(matter_id, actor)
    _check_plannable(matter)
    today = today or timezone.localdate()
    place = (place or "").strip()[:100]
    if not place:
        raise ProcedureError("place_required", _(MSG_PLACE))
    rulebook = matter_deadlines.rulebook_of(matter)
    days = rulebook.param("villagers_meeting_notice", "days")
    if planned_on < today + timedelta(days=days):
        raise ProcedureError(
            "notice_too_short",
            _(MSG_TOO_SOON) % {"days": days, "date": f"{planned_on:%Y-%m-%d}"},
            rulebook.citation("villagers_meeting_notice"),
        )
    rulebook.require(rulebook.check("villagers_meeting_horizon", given=(planned_on - today).days))
    plan = VillagersMeetingPlan.objects.select_for_update().filter(matter=matter).first()
    if plan is None:
        plan = VillagersMeetingPlan(matter=matter)
    plan.planned_on, plan.place = planned_on, place
    plan.announced_on, plan.announced_how = None, ""
    plan.planned_by = actor if getattr(actor, "pk", None) else None
    plan.full_clean()
    plan.save()
    _audit(matter, "plan_villagers_meeting", actor, today, plan)
    matter_deadlines.sync(matter)
    return plan


@transaction.atomic
def matter_announce_villagers_meeting(
    *, matter_id: int, actor, announced_on: date, how: str
) -> VillagersMeetingPlan:
    """通知村民会议: the day the villagers were told, at least 10 days before the meeting."""
    matter = hold(matter_id, actor)
    _check_plannable(matter)
    _check_date(announced_on)
    how = (how or "").strip()[:300]
    if not how:
        raise ProcedureError("how_required", _(MSG_HOW))
    plan = VillagersMeetingPlan.objects.select_for_update().filter(matter=matter).first()
    if plan is None:
        raise Conflict("no_plan", _(MSG_NO_PLAN))
    if plan.announced_on is not None:
        raise Conflict(
            "already_announced",
            _(MSG_ALREADY_ANNOUNCED) % {"date": f"{plan.announced_on:%Y-%m-%d}"},
        )
    rulebook = matter_deadlines.rulebook_of(matter)
    days = rulebook.param("villagers_meeting_notice", "days")
    given = (plan.planned_on - announced_on).days
    if given < days:
        raise ProcedureError(
            "announced_late",
            _(MSG_ANNOUNCED_LATE)
            % {
                "days": days,
                "date": f"{announced_on:%Y-%m-%d}",
                "planned": f"{plan.planned_on:%Y-%m-%d}",
                "given": given,
            },
            rulebook.citation("villagers_meeting_notice"),
        )
    plan.announced_on, plan.announced_how = announced_on, how
    plan.save(update_fields=["announced_on", "announced_how", "updated_at"])
    _audit(matter, "announce_villagers_meeting", actor, announced_on, plan)
    matter_deadlines.sync(matter)
    return plan
