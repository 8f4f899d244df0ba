from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import (
    Ballot,
    Case,
    DevelopmentPlan,
    DevelopmentSettings,
    Material,
    Meeting,
    Observation,
    StepRecord,
)


@admin.register(DevelopmentSettings)
class DevelopmentSettingsAdmin(admin.ModelAdmin):
    """A county's rulebook and variant for new cases; cases keep what they started with."""

    list_display = ["county", "rulebook", "variant"]


class StepRecordInline(admin.TabularInline):
    model = StepRecord
    extra = 0
    can_delete = False
    fields = ["step", "act_date", "actor_name", "role", "entered_at", "late"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: cases move only through their services (staff pages and API)."""

    list_display = ["person", "branch", "status", "rulebook", "variant", "applied_on"]
    list_filter = ["status", "rulebook", "variant"]
    search_fields = ["person__name", "branch__name"]
    inlines = [StepRecordInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["branch", "kind", "held_on", "chair", "recorder"]
    list_filter = ["kind"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "case", "purpose", "yes", "no", "abstain", "passed"]


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "on"]


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ["case", "step", "kind", "title", "uploaded_at"]


@admin.register(StepRecord)
class StepRecordAdmin(ReadOnlyAdmin):
    list_display = ["case", "step", "act_date", "actor_name", "role", "entered_at"]
    list_filter = ["step"]


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(ReadOnlyAdmin):
    """Read-only: plans are set on the 发展计划 page (each change a new version, audited)."""

    list_display = ["organisation", "year", "version", "quota", "set_by", "set_at"]
    list_filter = ["year"]
