"""Staff pages for notices: see them, publish, withdraw, and verify objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from procedures.publicity import policy, selectors, services
from workflows.notices import Finding, NoticeStatus
from workflows.privacy import mask_phone

from ..api.serializers import FindingSerializer, VerificationSerializer, WithdrawSerializer
from ..surfaces.params import positive_int
from ..surfaces.step_inputs import invalid_input


@login_required
def notice_list(request):
    status = request.GET.get("status") or None
    village = positive_int(request.GET.get("village"))
    return render(
        request,
        "portal/staff/notice_list.html",
        {
            "notices": selectors.notices_for(user=request.user, status=status, village_id=village)[
                :200
            ],
            "statuses": NoticeStatus.choices,
            "status": status,
        },
    )


@login_required
def notice_detail(request, pk: int):
    notice = selectors.notice_for(user=request.user, pk=pk)
    show_contact = policy.may_see_objector_contact(request.user, notice.village)
    objections = [
        {
            "objection": objection,
            "phone": objection.phone if show_contact else mask_phone(objection.phone),
            "name": objection.name
            if show_contact
            else (objection.name[:1] + "*" if objection.name else ""),
        }
        for objection in notice.objections.all()
    ]
    return render(
        request,
        "portal/staff/notice_detail.html",
        {
            "notice": notice,
            "objections": objections,
            "may_manage": policy.may_manage_notices(request.user, notice.village),
            "may_verify": policy.may_verify_objections(request.user, notice.village),
            "findings": Finding.choices,
        },
    )


@login_required
@require_POST
def notice_publish(request, pk: int):
    notice = selectors.notice_for(user=request.user, pk=pk)
    services.notice_publish(actor=request.user, notice=notice)
    messages.success(request, _("公示已发布。"))
    return redirect("staff:notice", pk=pk)


@login_required
@require_POST
def notice_withdraw(request, pk: int):
    notice = selectors.notice_for(user=request.user, pk=pk)
    data = _parsed(WithdrawSerializer, request)
    services.notice_withdraw(actor=request.user, notice=notice, reason=data["reason"])
    messages.success(request, _("公示已撤回。"))
    return redirect("staff:notice", pk=pk)


@login_required
@require_POST
def objection_verify(request, pk: int):
    objection = selectors.objection_for(user=request.user, pk=pk)
    data = _parsed(VerificationSerializer, request)
    services.objection_start_verification(
        actor=request.user, objection=objection, note=data["note"]
    )
    messages.success(request, _("已登记核查情况。"))
    return redirect("staff:notice", pk=objection.notice_id)


@login_required
@require_POST
def objection_resolve(request, pk: int):
    objection = selectors.objection_for(user=request.user, pk=pk)
    data = _parsed(FindingSerializer, request)
    services.objection_resolve(
        actor=request.user,
        objection=objection,
        finding=data["finding"],
        explanation=data["explanation"],
    )
    messages.success(request, _("已登记核查结论。"))
    return redirect("staff:notice", pk=objection.notice_id)


def _parsed(serializer_class, request) -> dict:
    """The form parsed as the API parses the same body: lengths, choices, a Chinese refusal."""
    parsed = serializer_class(data=request.POST)
    if not parsed.is_valid():
        raise invalid_input(parsed)
    return parsed.validated_data
