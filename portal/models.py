"""The portal's own records: the Word templates a county puts in place of the default, per
kind of printed page (a registered subject's key); and the Excel imports the workers run for
the import page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentTemplate(models.Model):
    key = models.CharField(_("文书"), max_length=40)
    name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("模板"))
    active = models.BooleanField(_("启用"), default=True)
    # Why the template was disabled when checked again (portal.documents.word): shown in the admin;
    # the built-in template serves meanwhile.
    problem = models.TextField(_("停用原因"), blank=True, default="")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["key", "-uploaded_at"]
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self) -> str:
        return f"{self.key}：{self.name}"


def template_for(key: str) -> bytes | None:
    """The county's active template for a kind of page, newest first; None: the default."""
    row = DocumentTemplate.objects.filter(key=key, active=True).order_by("-uploaded_at").first()
    return bytes(row.content) if row is not None else None


class ImportRun(models.Model):
    """A workbook sent to the import page, checked or imported by a worker (a county's file
    takes minutes): the file as sent, what was asked, and the report once done."""

    class Action(models.TextChoices):
        CHECK = "check", _("校验")
        IMPORT = "import", _("导入")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("出错")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("用户")
    )
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("表格"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    report = models.JSONField(_("结果"), default=dict, blank=True)
    # How many times a worker took the run: one that died mid-run (killed for memory, say)
    # is delivered again, a bounded number of times (portal.staff.import_runs.MAX_DELIVERIES).
    deliveries = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("Excel 导入")
        verbose_name_plural = _("Excel 导入")

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"
