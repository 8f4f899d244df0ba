from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from . import rules
from .models import AuditEvent, AuditStreamHead, CalendarDay, CalendarYear, RuleSetting


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "schedule_entered", "source", "updated_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class RuleSettingForm(forms.ModelForm):
    """A setting names a rulebook and a rule that exist, and changes only the parameters
    that rule has, each of the type it has: a typo here would break every case under the
    rulebook, so it is refused on the form, in Chinese."""

    rulebook = forms.ChoiceField(label=_("规则集"))

    class Meta:
        model = RuleSetting
        fields = ["rulebook", "rule_id", "article", "params", "enabled", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rulebook"].choices = [
            (key, book.title) for key, book in rules.rulebooks().items()
        ]

    def clean(self):
        cleaned = super().clean()
        key, rule_id = cleaned.get("rulebook"), cleaned.get("rule_id")
        if not key or not rule_id:
            return cleaned
        rulebook = rules.get_rulebook(key)
        if rule_id not in rulebook:
            self.add_error("rule_id", _("该规则集没有这条规则：%(id)s") % {"id": rule_id})
            return cleaned
        known = rulebook.base_rule(rule_id).params
        params = cleaned.get("params") or {}
        if not isinstance(params, dict):
            self.add_error("params", _('参数应写成 {"名称": 数值} 的形式。'))
            return cleaned
        for name, value in params.items():
            if name not in known:
                names = "、".join(known) or _("（无参数）")
                self.add_error(
                    "params",
                    _("这条规则没有参数“%(name)s”，可用：%(names)s")
                    % {"name": name, "names": names},
                )
            elif type(value) is not type(known[name]):
                self.add_error(
                    "params",
                    _("参数“%(name)s”应与原值同类（原值：%(value)s）。")
                    % {"name": name, "value": known[name]},
                )
        return cleaned


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    form = RuleSettingForm
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
