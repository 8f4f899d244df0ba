"""年度发展党员计划 set and adjusted: the county organisation department gives each township
committee its quota for the year; the township committee splits it among its branches. A plan
is never edited: each change is a new version, checked, audited on the organisation's stream."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import roles
from procedures.people.models import Organisation
from procedures.people.procedure import ORGANISATIONS
from workflows import pipeline
from workflows.errors import NotAllowed, NotFound, ProcedureError

from ..models import DevelopmentPlan
from ..statistics import current_plans

Kind = Organisation.Kind
MAX_QUOTA = 100_000

MSG_NOT_FOUND = gettext_noop("没有找到该组织，或不在您的管理范围内。")
MSG_FORBIDDEN = gettext_noop(
    "年度发展党员计划由县委组织部下达到乡镇党委，由乡镇党委分解到所属党支部。"
)
MSG_YEAR = gettext_noop("只能制定或调整去年、今年和明年（%(first)s—%(last)s年）的计划。")
MSG_QUOTA = gettext_noop("计划发展党员数应为0至%(max)s之间的整数。")
MSG_TARGET = gettext_noop("“%(target)s”应为0至100之间的整数，或不填。")
MSG_REASON = gettext_noop("调整已下达的计划，请说明原因。")
MSG_REASON_LONG = gettext_noop("调整原因不超过300字。")
MSG_SAME = gettext_noop("与现行计划相同，无需调整。")
MSG_NO_UPPER = gettext_noop("%(upper)s%(year)s年的计划尚未下达，不能分解到支部。")
MSG_OVER = gettext_noop(
    "%(upper)s%(year)s年计划发展%(quota)s名，已分解到其他支部%(split)s名，"
    "本支部最多可分%(room)s名。"
)
MSG_UNDER = gettext_noop(
    "%(organisation)s已将%(year)s年计划分解到支部共%(split)s名，计划数不能少于此数。"
)

TARGET_LABELS = {
    "women": gettext_noop("女党员比例目标"),
    "youth": gettext_noop("35岁及以下比例目标"),
    "frontline": gettext_noop("生产一线比例目标"),
}


def may_set(user, organisation: Organisation) -> bool:
    """The county sets a township's plan; the township splits to its branches."""
    if organisation.kind == Kind.TOWNSHIP_COMMITTEE:
        return user is None or roles.holds(user, organisation, roles.Role.COUNTY)
    if organisation.kind == Kind.VILLAGE_BRANCH:
        return user is None or roles.holds(user, organisation, roles.Role.TOWNSHIP)
    return False


def _whole(value, message: str, params: dict, *, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ProcedureError("plan_invalid", _(message) % params) from None
    if not low <= number <= high:
        raise ProcedureError("plan_invalid", _(message) % params)
    return number


def _target(name: str, value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    return _whole(value, MSG_TARGET, {"target": _(TARGET_LABELS[name])}, low=0, high=100)


@transaction.atomic
def plan_set(
    *,
    actor,
    organisation_id: int,
    year: int,
    quota,
    women=None,
    youth=None,
    frontline=None,
    reason: str = "",
) -> DevelopmentPlan:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or (actor is not None and not roles.in_scope(actor, organisation)):
        raise NotFound("organisation_not_found", _(MSG_NOT_FOUND))
    if not may_set(actor, organisation):
        raise NotAllowed("plan_forbidden", _(MSG_FORBIDDEN))
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 1:
        raise ProcedureError(
            "plan_year", _(MSG_YEAR) % {"first": this_year - 1, "last": this_year + 1}
        )
    quota = _whole(quota, MSG_QUOTA, {"max": MAX_QUOTA}, low=0, high=MAX_QUOTA)
    targets = {
        "women": _target("women", women),
        "youth": _target("youth", youth),
        "frontline": _target("frontline", frontline),
    }
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ProcedureError("plan_reason_long", _(MSG_REASON_LONG))

    # The township's row is the lock of its own plan and of its branches' split: two
    # officials splitting at once cannot together exceed the quota.
    township = organisation if organisation.kind == Kind.TOWNSHIP_COMMITTEE else organisation.parent
    pipeline.hold(ORGANISATIONS, township.pk, None)
    standing = current_plans([organisation.pk], year).get(organisation.pk)
    if standing is not None:
        if quota == standing.quota and all(
            getattr(standing, name) == value for name, value in targets.items()
        ):
            raise ProcedureError("plan_same", _(MSG_SAME))
        if not reason:
            raise ProcedureError("reason_required", _(MSG_REASON))

    branches = Organisation.objects.filter(parent=township, kind=Kind.VILLAGE_BRANCH)
    split = current_plans(branches.values("pk"), year)
    if organisation.kind == Kind.VILLAGE_BRANCH:
        upper = current_plans([township.pk], year).get(township.pk)
        if upper is None:
            raise ProcedureError(
                "plan_no_upper", _(MSG_NO_UPPER) % {"upper": township.name, "year": year}
            )
        others = sum(plan.quota for pk, plan in split.items() if pk != organisation.pk)
        if others + quota > upper.quota:
            raise ProcedureError(
                "plan_over",
                _(MSG_OVER)
                % {
                    "upper": township.name,
                    "year": year,
                    "quota": upper.quota,
                    "split": others,
                    "room": max(upper.quota - others, 0),
                },
            )
    else:
        already = sum(plan.quota for plan in split.values())
        if quota < already:
            raise ProcedureError(
                "plan_under",
                _(MSG_UNDER) % {"organisation": organisation.name, "year": year, "split": already},
            )

    plan = DevelopmentPlan.objects.create(
        organisation=organisation,
        year=year,
        version=(standing.version + 1) if standing else 1,
        quota=quota,
        reason=reason,
        set_by=actor if getattr(actor, "pk", None) else None,
        **targets,
    )
    pipeline.logged(
        ORGANISATIONS,
        organisation,
        "development_plan_set",
        actor=actor,
        payload={
            "plan": plan.pk,
            "year": year,
            "version": plan.version,
            "quota": quota,
            "previous": standing.quota if standing else None,
            **targets,
            "reason": reason,
        },
    )
    return plan
