from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from procedures.village.forms import TEMPLATE_KEY as VILLAGE_MINUTES
from workflows.errors import ProcedureError

from . import documents, surfaces
from .models import DocumentTemplate

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class DocumentTemplateForm(forms.ModelForm):
    """A Word template uploaded in place of the default: checked by rendering a sample page,
    so a broken one is refused here with what failed, not when someone prints."""

    upload = forms.FileField(label=_("Word 模板（.docx）"))

    class Meta:
        model = DocumentTemplate
        fields = ["key", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(key, s.label) for key, s in surfaces.all_surfaces().items()]
        choices += [
            (key, _("文书：%(title)s") % {"title": title})
            for surface in surfaces.all_surfaces().values()
            for key, title in surface.template_keys()
        ]
        choices += [(key, _(label)) for key, label in documents.REPORTS.items()]
        choices.append((VILLAGE_MINUTES, _("表格：村级事务会议记录")))
        self.fields["key"] = forms.ChoiceField(label=_("文书"), choices=choices)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise ValidationError(_("模板文件不能超过5MB。"))
        content = upload.read()
        if not content.startswith(b"PK"):
            raise ValidationError(_("请上传 Word（.docx）文件。"))
        try:
            documents.check_template(content)
        except ProcedureError as error:
            raise ValidationError(error.message) from None
        self.cleaned_data["content"] = content
        return upload

    def save(self, commit=True):
        row = super().save(commit=False)
        row.content = self.cleaned_data["content"]
        row.name = self.cleaned_data["upload"].name[:200]
        row.problem = ""  # a template that passed the check now
        if commit:
            row.save()
        return row


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["key", "name", "active", "problem", "uploaded_at", "uploaded_by"]
    readonly_fields = ["problem", "uploaded_at", "uploaded_by"]

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
