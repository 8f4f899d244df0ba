"""The portal's own records: the Word templates a county puts in place of the default, per
kind of printed page (a registered subject's key)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentTemplate(models.Model):
    key = models.CharField(_("文书"), max_length=40)
    name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("模板"))
    active = models.BooleanField(_("启用"), default=True)
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
