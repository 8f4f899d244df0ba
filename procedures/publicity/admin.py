from django.contrib import admin

from .models import Notice, Objection


class ObjectionInline(admin.TabularInline):
    model = Objection
    extra = 0
    can_delete = False
    fields = ["receipt", "received_at", "status", "finding", "resolved_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Notices change state only through the staff pages and the API (services)."""

    list_display = ["title", "village", "kind", "status", "published_on", "ends_on"]
    list_filter = ["status", "kind", "village__township"]
    search_fields = ["title", "village__name"]
    readonly_fields = [
        "status",
        "published_on",
        "starts_on",
        "ends_on",
        "provisional_note",
        "closed_on",
        "withdrawn_on",
        "withdrawn_reason",
        "public_fields",
    ]
    inlines = [ObjectionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["receipt", "notice", "received_at", "status", "finding"]
    list_filter = ["status", "finding"]
    search_fields = ["receipt"]
    exclude = ["name", "phone"]  # contact details only on the township's staff page
    readonly_fields = [
        "receipt",
        "notice",
        "text",
        "received_at",
        "status",
        "verification_note",
        "finding",
        "explanation",
        "resolved_on",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
