from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.errors import ProcedureError

from . import history, services
from .models import (
    Discipline,
    Household,
    Membership,
    NotCounted,
    Organisation,
    Person,
    Position,
    Village,
)


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


class _History(admin.TabularInline):
    """A person's history, shown: written by the people services only (a transfer, a
    处置, a record of 不计入应到 or of a 党纪处分), never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(_History):
    model = Membership
    fields = ["organisation", "starts_on", "ends_on", "started_why", "ended_why"]
    readonly_fields = fields


class NotCountedInline(_History):
    model = NotCounted
    fields = ["kind", "reason", "starts_on", "ends_on"]
    readonly_fields = fields


class DisciplineInline(_History):
    model = Discipline
    fields = ["kind", "decided_on", "deciding_body", "ends_on", "matter"]
    readonly_fields = fields


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """ID numbers and phones show masked unless the user holds `view_personal_data`. A new
    person is registered through the service (his first membership with him); his
    organisation then changes only by a move, which keeps the one before."""

    list_display = ["name", "gender", "masked_id", "standing", "organisation"]
    list_filter = ["standing", "gender", "organisation__kind"]
    search_fields = ["name"]
    autocomplete_fields = ["organisation", "household", "user"]
    inlines = [PositionInline, MembershipInline, NotCountedInline, DisciplineInline]
    readonly_fields = ["standing", "standing_since", "full_member_since"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in {f.name for f in Person._meta.concrete_fields}
        }
        registered = services.person_register(actor=request.user, **fields)
        obj.pk = registered.pk
        obj._state.adding, obj._state.db = False, registered._state.db

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
        if obj is not None:
            readonly.append("organisation")
        if obj is not None and not self._may_see_personal_data(request):
            readonly += ["masked_id", "masked_phone_display"]
        return readonly


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "organisation", "start_date", "end_date"]
    list_filter = ["title", "organisation__kind"]
    search_fields = ["person__name", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]


class _RecordedOnce(admin.ModelAdmin):
    """A row of a person's history, added through its service (checked, audited) and never
    edited or deleted here: a period not counted is ended by its own act, a 党纪处分 stands."""

    autocomplete_fields = ["person"]
    checked_by = None  # the service's checks, without writing: (person, **fields) -> None
    recorded_by = None  # the service: (actor, person, **fields) -> row

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        check = type(self).checked_by

        class Checked(form):
            def clean(self):
                data = super().clean()
                fields = {name: data.get(name) for name in self._meta.fields if name != "person"}
                if data.get("person") is not None and not self.errors:
                    try:
                        check(person=data["person"], **fields)
                    except ProcedureError as refused:
                        raise ValidationError(refused.message) from None
                return data

        return Checked

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in form._meta.fields}
        person = fields.pop("person")
        saved = type(self).recorded_by(actor=request.user, person=person, **fields)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db


@admin.register(NotCounted)
class NotCountedAdmin(_RecordedOnce):
    list_display = ["person", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["person__name"]
    fields = ["person", "kind", "reason", "starts_on", "ends_on"]
    checked_by = staticmethod(history.not_counted_check)
    recorded_by = staticmethod(history.not_counted_record)
    actions = ["end_today"]

    @admin.action(description=_("结束所选的不计入应到（截至今天）"))
    def end_today(self, request, queryset):
        today, ended = timezone.localdate(), 0
        for row in queryset.filter(ends_on__isnull=True, starts_on__lte=today):
            history.not_counted_end(actor=request.user, row=row, ends_on=today)
            ended += 1
        self.message_user(request, _("已结束%(count)s条。") % {"count": ended})


@admin.register(Discipline)
class DisciplineAdmin(_RecordedOnce):
    list_display = ["person", "kind", "decided_on", "deciding_body", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["person__name", "deciding_body"]
    fields = ["person", "kind", "decided_on", "deciding_body", "ends_on", "matter"]
    checked_by = staticmethod(history.discipline_check)
    recorded_by = staticmethod(history.discipline_record)
