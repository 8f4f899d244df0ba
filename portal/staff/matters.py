"""Staff pages for village matters beside their generic subject page (the matter, its steps
and records: portal/staff/subjects.py): the secretary's list with the next step, who may
chair it and what is missing; the township's overview of its villages, overdue first;
registering a matter; the minutes to print and the households' 明白纸."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from procedures.people import scopes
from procedures.people.models import Household, Organisation
from procedures.village import forms as village_forms
from procedures.village import policy, progress, selectors, services
from procedures.village.steps import Category
from workflows.errors import Conflict, NotAllowed, ProcedureError

from .. import documents, errors
from ..api.matters import RegisterInput
from ..surfaces import step_inputs
from ..surfaces.params import positive_int


@login_required
def matter_list(request):
    village = positive_int(request.GET.get("village"))
    scoped = selectors.matters_for(user=request.user, village_id=village)
    matters = scoped.filter(status__in=selectors.OPEN)
    closed = scoped.exclude(status__in=selectors.OPEN)[:50]
    upper = (
        any(
            p.organisation.kind != Organisation.Kind.VILLAGE_BRANCH
            and p.organisation.kind != Organisation.Kind.VILLAGERS_COMMITTEE
            for p in scopes.current_positions(request.user)
        )
        or request.user.is_superuser
    )
    return render(
        request,
        "portal/staff/matter_list.html",
        {
            "rows": selectors.by_urgency(matters),
            "closed": closed,
            "overview": selectors.township_overview(user=request.user) if upper else None,
            "villages": scopes.visible_villages(request.user),
            "categories": Category.choices,
        },
    )


@login_required
@require_POST
def matter_new(request):
    try:
        parsed = RegisterInput(data=request.POST)
        if not parsed.is_valid():
            raise step_inputs.invalid_input(parsed)
        data = parsed.validated_data
        village = selectors.village_for(user=request.user, pk=data.pop("village"))
        matter = services.matter_register(actor=request.user, village=village, **data)
    except ProcedureError as error:
        errors.flash(request, error)
        return redirect("staff:matters")
    messages.success(request, _("事项已登记。"))
    return redirect("staff:subject", key="matters", pk=matter.pk)


@login_required
def matter_page(request, pk: int):
    """The address a matter had before it was a generic subject page: bookmarks and older
    reminders still reach it."""
    selectors.matter_for(
        user=request.user, pk=pk
    )  # outside his scope: refused as any page of it is
    return redirect("staff:subject", key="matters", pk=pk, permanent=True)


@login_required
def matter_minutes(request, pk: int, meeting: int, fmt: str):
    """A meeting's minutes (提议、商议、审议、决议记录) filled from it, to print and sign."""
    matter = selectors.matter_for(user=request.user, pk=pk)
    held = village_forms.held(matter, meeting)
    if held is None:
        raise Http404
    return documents.download(
        request,
        village_forms.minutes(matter, held),
        fmt=fmt,
        template_key=village_forms.TEMPLATE_KEY,
        back=reverse("staff:subject", args=["matters", pk]),
    )


@login_required
def matter_slips(request, pk: int):
    """明白纸: one slip per household, to print and deliver, with the result, the portal
    address and the household's code for saying it knows the result. The codes are for
    those who record the village's matters only."""
    matter = selectors.matter_for(user=request.user, pk=pk)
    if not policy.may_read_codes(request.user, matter.village):
        raise NotAllowed("slips_forbidden", _("只有本村负责村级事务的人员可以打印明白纸。"))
    notice = progress.result_notice(matter)
    if notice is None:
        raise Conflict("no_result_notice", _("结果尚未公开，还不能打印明白纸。"))
    return render(
        request,
        "portal/staff/matter_slips.html",
        {
            "matter": matter,
            "notice": notice,
            "households": Household.objects.filter(village=matter.village).order_by("number"),
            "notice_url": request.build_absolute_uri(reverse("public:notice", args=[notice.pk])),
        },
    )
