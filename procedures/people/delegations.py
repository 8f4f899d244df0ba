"""委托: who acts for an absent branch secretary, and when. A delegation is recorded by the
secretary himself or by the township, for a period; the deputy secretary or the 第一书记
holding a post in the branch then chairs what the secretary chairs, and every act he
records in that period says "代" with both names."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows import pipeline
from workflows.errors import NotAllowed, NotFound, ProcedureError

from . import roles, scopes
from .models import Delegation, Organisation, Person, Position
from .procedure import ORGANISATIONS

T = Position.Title
DELEGATES = frozenset({T.DEPUTY_SECRETARY, T.FIRST_SECRETARY})

MSG_NOT_SECRETARY = gettext_noop("委托人须是本支部在委托期间任职的书记。")
MSG_NOT_DELEGATE = gettext_noop("受托人须是本支部在委托期间任职的副书记或第一书记。")
MSG_PERIOD = gettext_noop("截止日期不能早于起始日期。")
MSG_LONG = gettext_noop("一次委托不超过%(days)s日；更长的缺位应调整职务。")
MSG_OVERLAP = gettext_noop("该期间已有委托（%(start)s至%(end)s），不能重复委托。")
MSG_REASON = gettext_noop("请说明委托事由（如外出学习、病假）。")
MSG_FORBIDDEN = gettext_noop("委托由书记本人或乡镇党委登记。")
MSG_END = gettext_noop("提前结束日期须在委托期间内。")
MSG_NOT_FOUND = gettext_noop("没有找到该委托，或不在您的管理范围内。")

MAX_DAYS = 180  # half a year: a longer absence is a change of post, not a delegation


def _holding(person: Person, branch: Organisation, titles, start: date, end: date) -> bool:
    return (
        Position.objects.filter(
            person=person, organisation=branch, title__in=titles, start_date__lte=start
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
        .exists()
    )


def may_record(user, branch: Organisation, principal: Person) -> bool:
    if user is None:
        return True
    own = getattr(getattr(user, "person", None), "pk", None) == principal.pk
    return (own and roles.holds(user, branch, roles.Role.BRANCH)) or roles.holds(
        user, branch, roles.Role.TOWNSHIP
    )


@transaction.atomic
def delegation_record(
    *,
    actor,
    branch: Organisation,
    principal: Person,
    delegate: Person,
    starts_on: date,
    ends_on: date,
    reason: str,
) -> Delegation:
    if actor is not None and not roles.in_scope(actor, branch):
        raise NotAllowed("delegation_forbidden", _(MSG_FORBIDDEN))
    if not may_record(actor, branch, principal):
        raise NotAllowed("delegation_forbidden", _(MSG_FORBIDDEN))
    reason = (reason or "").strip()
    if not reason:
        raise ProcedureError("reason_required", _(MSG_REASON))
    if ends_on < starts_on:
        raise ProcedureError("delegation_period", _(MSG_PERIOD))
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ProcedureError("delegation_too_long", _(MSG_LONG) % {"days": MAX_DAYS})
    if not _holding(principal, branch, {T.SECRETARY}, starts_on, ends_on):
        raise ProcedureError("not_secretary", _(MSG_NOT_SECRETARY))
    if delegate.pk == principal.pk or not _holding(delegate, branch, DELEGATES, starts_on, ends_on):
        raise ProcedureError("not_delegate", _(MSG_NOT_DELEGATE))
    # Locks the branch's delegations: two overlapping ones cannot both be recorded.
    branch = pipeline.hold(ORGANISATIONS, branch.pk, None)
    for other in Delegation.objects.filter(organisation=branch, starts_on__lte=ends_on):
        if other.last_day >= starts_on:
            raise ProcedureError(
                "delegation_overlap",
                _(MSG_OVERLAP) % {"start": other.starts_on, "end": other.last_day},
            )
    delegation = Delegation.objects.create(
        organisation=branch, principal=principal, delegate=delegate, starts_on=starts_on,
        ends_on=ends_on, reason=reason[:300], recorded_by=actor,
    )  # fmt: skip
    pipeline.logged(
        ORGANISATIONS,
        branch,
        "delegation_recorded",
        actor=actor,
        act_date=starts_on,
        payload={
            "delegation": delegation.pk,
            "principal": principal.name,
            "delegate": delegate.name,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "reason": delegation.reason,
        },
    )
    return delegation


@transaction.atomic
def delegation_end(*, actor, delegation_id: int, ended_on: date) -> Delegation:
    """The secretary is back before the period's end."""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("organisation", "principal")
        .filter(pk=delegation_id)
        .first()
    )
    if delegation is None or (
        actor is not None and not roles.in_scope(actor, delegation.organisation)
    ):
        raise NotFound("delegation_not_found", _(MSG_NOT_FOUND))
    if not may_record(actor, delegation.organisation, delegation.principal):
        raise NotAllowed("delegation_forbidden", _(MSG_FORBIDDEN))
    if delegation.ended_on or not delegation.starts_on <= ended_on <= delegation.ends_on:
        raise ProcedureError("delegation_end", _(MSG_END))
    delegation.ended_on = ended_on
    delegation.save(update_fields=["ended_on"])
    pipeline.logged(
        ORGANISATIONS,
        delegation.organisation,
        "delegation_ended",
        actor=actor,
        act_date=ended_on,
        payload={"delegation": delegation.pk, "ended_on": ended_on},
    )
    return delegation


def acting_for(person_id: int | None, branch_id: int, on: date | None = None) -> Delegation | None:
    """The delegation under which `person` acts for the branch's secretary on `on`."""
    if person_id is None:
        return None
    on = on or timezone.localdate()
    for delegation in Delegation.objects.filter(
        organisation_id=branch_id, delegate_id=person_id, starts_on__lte=on, ends_on__gte=on
    ).select_related("principal"):
        if delegation.covers(on):
            return delegation
    return None


def acting_label(user, branch: Organisation, on: date | None = None, *, cache=None) -> str:
    """ "（甲代书记乙）" when the user acts under a delegation on `on`, else "": the audit
    and the 全程纪实 then carry both names. Only one holding a deputy's or a 第一书记's
    post in the branch can be a delegate: for anyone else (his positions read once per
    `cache`, as the permission check read them) nothing more is read."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if not any(
        position.organisation_id == branch.pk and position.title in DELEGATES
        for position in roles.positions_over(user, branch, cache=cache)
    ):
        return ""
    person = getattr(user, "person", None)
    delegation = acting_for(getattr(person, "pk", None), branch.pk, on)
    if delegation is None:
        return ""
    return _("（%(delegate)s代书记%(principal)s）") % {
        "delegate": person.name,
        "principal": delegation.principal.name,
    }


def visible(user) -> list[Delegation]:
    """The delegations of the branches the user sees, latest first."""
    branches = scopes.visible_organisations(user).filter(kind=Organisation.Kind.VILLAGE_BRANCH)
    return list(
        Delegation.objects.filter(organisation__in=branches).select_related(
            "organisation", "principal", "delegate"
        )[:300]
    )


def recordable(user) -> list[tuple[Organisation, Person, list[Person]]]:
    """The branches whose secretary's absence the user may record, each with its current
    secretary and those who may act for him (deputy secretary, 第一书记)."""
    on = timezone.localdate()
    found = []
    branches = scopes.visible_organisations(user).filter(kind=Organisation.Kind.VILLAGE_BRANCH)
    for branch in branches.order_by("path")[:200]:
        held = (
            Position.objects.filter(organisation=branch, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .select_related("person")
        )
        secretary = next((p.person for p in held if p.title == T.SECRETARY), None)
        if secretary is None or not may_record(user, branch, secretary):
            continue
        deputies = [p.person for p in held if p.title in DELEGATES and p.person_id != secretary.pk]
        if deputies:
            found.append((branch, secretary, deputies))
    return found


def recordable_branch(user, branch_id: int | None):
    """(branch, secretary) the user may record a delegation for, or None."""
    for branch, secretary, deputies in recordable(user):
        if branch.pk == branch_id:
            return branch, secretary, deputies
    return None


def delegation_for(user, pk: int) -> Delegation:
    """One delegation of a branch the user sees; else, to him, none (not found)."""
    branches = scopes.visible_organisations(user).filter(kind=Organisation.Kind.VILLAGE_BRANCH)
    delegation = Delegation.objects.filter(pk=pk, organisation__in=branches).first()
    if delegation is None:
        raise NotFound("delegation_not_found", _(MSG_NOT_FOUND))
    return delegation
