"""委托: the branch secretary's absences, recorded by him or the township, and ended early."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from procedures.people import delegations
from workflows.errors import ProcedureError

from .. import errors
from ..surfaces.params import positive_int


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
def delegation_list(request):
    return render(
        request,
        "portal/staff/delegations.html",
        {
            "delegations": delegations.visible(request.user),
            "recordable": delegations.recordable(request.user),
        },
    )


@login_required
@require_POST
def delegation_new(request):
    post = request.POST
    found = delegations.recordable_branch(request.user, positive_int(post.get("branch")))
    starts_on, ends_on = _date(post.get("starts_on")), _date(post.get("ends_on"))
    if found is None:
        messages.error(request, _("请选择您可以登记委托的党支部。"))
        return redirect("staff:delegations")
    branch, secretary, deputies = found
    delegate = next((p for p in deputies if p.pk == positive_int(post.get("delegate"))), None)
    if delegate is None or starts_on is None or ends_on is None:
        messages.error(request, _("请选择受托人，并填写起止日期。"))
        return redirect("staff:delegations")
    try:
        delegations.delegation_record(
            actor=request.user, branch=branch, principal=secretary, delegate=delegate,
            starts_on=starts_on, ends_on=ends_on, reason=post.get("reason", "")[:300],
        )  # fmt: skip
    except ProcedureError as error:
        errors.flash(request, error)
    else:
        messages.success(request, _("已登记委托：%(name)s") % {"name": delegate.name})
    return redirect("staff:delegations")


@login_required
@require_POST
def delegation_end(request, pk: int):
    ended_on = _date(request.POST.get("ended_on"))
    if ended_on is None:
        messages.error(request, _("请填写提前结束日期。"))
        return redirect("staff:delegations")
    try:
        delegations.delegation_end(actor=request.user, delegation_id=pk, ended_on=ended_on)
    except ProcedureError as error:
        errors.flash(request, error)
    else:
        messages.success(request, _("委托已提前结束。"))
    return redirect("staff:delegations")
