from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import Acknowledgement, DecisionSettings, Matter, MatterMeeting, Progress, ReadReceipt


@admin.register(DecisionSettings)
class DecisionSettingsAdmin(admin.ModelAdmin):
    """A county's method for new matters; matters keep the method they started with."""

    list_display = ["county", "method"]


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    """Matters move only through their services (staff pages and API)."""

    list_display = ["title", "village", "category", "method", "status", "decided_on"]
    list_filter = ["status", "method", "category"]
    search_fields = ["title", "village__name"]


@admin.register(MatterMeeting)
class MatterMeetingAdmin(ReadOnlyAdmin):
    list_display = [
        "matter",
        "kind",
        "held_on",
        "chair",
        "chair_title",
        "recorder",
        "recorder_stand_in",
        "passed",
    ]
    list_filter = ["kind", "recorder_stand_in", "passed"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = ["matter", "on"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["matter", "channel", "on"]


@admin.register(ReadReceipt)
class ReadReceiptAdmin(ReadOnlyAdmin):
    list_display = ["matter", "household", "read_at"]
