"""What a case gathers along its way: the thought reports and assessments, and the
materials of its file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class Observation(models.Model):
    """Quarterly thought reports and half-yearly assessments during cultivation/probation."""

    class Kind(models.TextChoices):
        THOUGHT_REPORT = "thought_report", _("思想汇报")
        ASSESSMENT = "assessment", _("考察意见")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="observations")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("日期"))
    summary = models.TextField(_("内容摘要"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("思想汇报与考察")
        verbose_name_plural = _("思想汇报与考察")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class Material(models.Model):
    """A document of the personal file: an uploaded scan or a generated document. The upper
    committee reviews the file at 预审 and at 审批: what it reviewed is locked; a correction
    is a new material naming the one it replaces, with its reason (both stay)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="materials")
    step = models.CharField(_("步骤"), max_length=40)
    kind = models.CharField(_("材料"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to="materials/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    reviewed_at = models.CharField(_("审核环节"), max_length=40, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("更正的材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    reason = models.CharField(_("更正原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("档案材料")
        verbose_name_plural = _("档案材料")

    def __str__(self) -> str:
        return self.title

    @property
    def locked(self) -> bool:
        return self.reviewed_on is not None
