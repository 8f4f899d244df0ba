from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import BranchMeeting, DuesPayment, LapseDecision, MeetingAttendance


@admin.register(BranchMeeting)
class BranchMeetingAdmin(ReadOnlyAdmin):
    """Records move only through their services (staff pages and API); a record is never
    edited here."""

    list_display = ["branch", "kind", "status", "topic", "planned_on", "held_on", "attended"]
    list_filter = ["kind", "status"]
    search_fields = ["topic", "branch__name"]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "person", "presence", "reason", "grade"]
    list_filter = ["presence", "grade"]


@admin.register(DuesPayment)
class DuesPaymentAdmin(ReadOnlyAdmin):
    """Corrections are new payments that supersede the wrong one (the payment's page)."""

    list_display = ["branch", "member", "first_month", "months", "amount", "paid_on", "status"]
    list_filter = ["status", "basis"]


@admin.register(LapseDecision)
class LapseDecisionAdmin(ReadOnlyAdmin):
    list_display = ["branch", "member", "ground", "decision", "decided_on"]
    list_filter = ["ground", "decision"]
