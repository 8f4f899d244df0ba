from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Household, Organisation, Person, Position, Village


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "village"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a subtree would leave its members' paths stale: parents are fixed once set.
        return ["parent"] if obj else []


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "township"]
    list_filter = ["township"]
    search_fields = ["name"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    """The households; their codes (户码) are not shown here: only the village's own staff
    read them, on the 明白纸. A code may be made anew here without being read."""

    list_display = ["number", "village", "group_name"]
    list_filter = ["village__township", "village"]
    search_fields = ["number"]
    exclude = ["read_code"]
    actions = ["reissue_codes"]

    @admin.action(description=_("重新生成所选各户的户码（旧户码作废，需重新打印明白纸）"))
    def reissue_codes(self, request, queryset):
        for household in queryset:
            services.household_code_reissue(actor=request.user, household=household)
        self.message_user(request, _("已重新生成%(count)s户的户码。") % {"count": queryset.count()})


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """ID numbers and phones show masked unless the user holds `view_personal_data`."""

    list_display = ["name", "gender", "masked_id", "standing", "organisation"]
    list_filter = ["standing", "gender", "organisation__kind"]
    search_fields = ["name"]
    autocomplete_fields = ["organisation", "household", "user"]
    inlines = [PositionInline]
    readonly_fields = ["standing", "standing_since", "full_member_since"]

    @admin.display(description=_("居民身份证号码"))
    def masked_id(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("联系电话"))
    def masked_phone_display(self, obj):
        return obj.masked_phone

    def _may_see_personal_data(self, request) -> bool:
        return request.user.has_perm("people.view_personal_data")

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and not self._may_see_personal_data(request):
            masked = {"id_number": "masked_id", "phone": "masked_phone_display"}
            fields = [masked.get(field, field) for field in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self._may_see_personal_data(request):
            readonly += ["masked_id", "masked_phone_display"]
        return readonly


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "organisation", "start_date", "end_date"]
    list_filter = ["title", "organisation__kind"]
    search_fields = ["person__name", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
