"""What the county sets for member development: the rulebook and variant in force,
and the annual development plans of its organisations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people.models import Organisation

from ..rulebooks import RULEBOOK_CHOICES
from ..steps import (
    Variant,
)


class DevelopmentSettings(models.Model):
    """A county's choice of rulebook and variant. Cases keep what they started with."""

    county = models.OneToOneField(
        Organisation,
        verbose_name=_("县委"),
        on_delete=models.PROTECT,
        related_name="development_settings",
        limit_choices_to={"kind": Organisation.Kind.COUNTY_COMMITTEE},
    )
    rulebook = models.CharField(_("规则集"), max_length=40, choices=RULEBOOK_CHOICES)
    variant = models.CharField(_("流程规程"), max_length=20, choices=Variant.choices)

    class Meta:
        verbose_name = _("发展党员设置")
        verbose_name_plural = _("发展党员设置")

    def __str__(self) -> str:
        return f"{self.county}: {self.rulebook} / {self.variant}"


class DevelopmentPlan(models.Model):
    """年度发展党员计划: a township committee's quota for a year as the county set it, or a
    branch's share as its township split it, with structure targets (percent of the new
    members). Never edited: each change is a new version, the newest stands, each with who set
    it and why (and an audit event on the organisation's stream)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="development_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"))
    quota = models.PositiveIntegerField(_("计划发展党员数"))
    women = models.PositiveSmallIntegerField(_("女党员比例目标（%）"), null=True, blank=True)
    youth = models.PositiveSmallIntegerField(_("35岁及以下比例目标（%）"), null=True, blank=True)
    frontline = models.PositiveSmallIntegerField(_("生产一线比例目标（%）"), null=True, blank=True)
    reason = models.CharField(_("调整原因"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("下达时间"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__path", "year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "version"], name="one_plan_version"
            )
        ]
        verbose_name = _("年度发展党员计划")
        verbose_name_plural = _("年度发展党员计划")

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年：{self.quota}名（第{self.version}版）"

    TARGETS = ("women", "youth", "frontline")
