"""Public notices posted on a village's board, and the objections raised on them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people.models import Village
from workflows.notices import AbstractNotice, AbstractObjection

from .kinds import KINDS


class Notice(AbstractNotice):
    village = models.ForeignKey(
        Village, verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="notices"
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    issuer = models.CharField(_("发布单位"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [
            models.Index(fields=["village", "status"]),
            models.Index(fields=["status", "ends_on"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class Objection(AbstractObjection):
    notice = models.ForeignKey(
        Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections"
    )

    class Meta:
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["client_key", "received_at"]),
            models.Index(fields=["network_key", "received_at"]),
            models.Index(fields=["notice", "status"]),
        ]
        verbose_name = _("反映问题")
        verbose_name_plural = _("反映问题")

    def __str__(self) -> str:
        return self.receipt

    def __repr__(self) -> str:
        return f"<Objection {self.receipt}>"
