from django.contrib import admin

from .models import AuditEvent, AuditStreamHead, CalendarDay, CalendarYear, RuleSetting


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "schedule_entered", "source", "updated_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ["rulebook", "rule_id", "article", "enabled", "updated_at"]
    list_filter = ["rulebook", "enabled"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by services (the audit chain, cases, matters and their
    records): visible in the admin, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditStreamHead)
class AuditStreamHeadAdmin(ReadOnlyAdmin):
    list_display = ["stream", "sequence", "hash"]
    search_fields = ["stream"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["stream", "sequence", "action", "actor_name", "role", "act_date", "recorded_at"]
    list_filter = ["action"]
    search_fields = ["stream"]
