"""Reads of reminders and deliveries, through the user's scope."""

from django.db.models import Q, QuerySet

from procedures.people import scopes

from .models import Delivery, Notification


def inbox(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("read_at", "-created_at")


def failed_deliveries(*, user) -> QuerySet[Delivery]:
    """Failed deliveries of the deadlines in the user's scope (township and county only)."""
    roots = [root for root in scopes.scope_roots(user) if root.kind != "village_branch"]
    if user.is_superuser:
        condition = Q()
    elif not roots:
        return Delivery.objects.none()
    else:
        condition = Q()
        for root in roots:
            condition |= Q(notification__deadline__scope_path__startswith=root.path)
    return (
        Delivery.objects.filter(condition, status=Delivery.Status.FAILED)
        .select_related("notification", "notification__recipient")
        .order_by("-updated_at")
    )
