"""The in-app inbox of reminders, and the failed deliveries staff can retry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import digest, selectors, services, stagnation


@login_required
def inbox(request):
    return render(
        request,
        "portal/staff/notifications.html",
        {
            "notifications": selectors.inbox(user=request.user)[:200],
            "failed": selectors.failed_deliveries(user=request.user)[:200],
            "warnings": stagnation.visible_to(request.user),
            "digest": digest.latest(user=request.user),
        },
    )


@login_required
@require_POST
def read(request, pk: int):
    services.mark_read(user=request.user, notification_id=pk)
    return redirect("staff:notifications")


@login_required
@require_POST
def retry(request, pk: int):
    delivery = selectors.failed_deliveries(user=request.user).filter(pk=pk).first()
    if delivery is not None:
        services.retry(delivery.pk)
        messages.success(request, _("已重新发送。"))
    return redirect("staff:notifications")
