"""The organisation tree, administrative villages and their households."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY_COMMITTEE = "county_committee", _("县委")
        ORG_DEPARTMENT = "org_department", _("县委组织部")
        TOWNSHIP_COMMITTEE = "township_committee", _("乡镇党委")
        VILLAGE_BRANCH = "village_branch", _("村党支部")
        PARTY_GROUP = "party_group", _("党小组")
        VILLAGERS_COMMITTEE = "villagers_committee", _("村民委员会")

    # Which kind may sit under which: the tree is county -> township -> village branch -> group.
    PARENT_KINDS = {
        Kind.COUNTY_COMMITTEE: (None,),
        Kind.ORG_DEPARTMENT: (Kind.COUNTY_COMMITTEE,),
        Kind.TOWNSHIP_COMMITTEE: (Kind.COUNTY_COMMITTEE,),
        Kind.VILLAGE_BRANCH: (Kind.TOWNSHIP_COMMITTEE,),
        Kind.PARTY_GROUP: (Kind.VILLAGE_BRANCH,),
        # The villagers' committee works under the village branch's leadership.
        Kind.VILLAGERS_COMMITTEE: (Kind.VILLAGE_BRANCH,),
    }

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    village = models.ForeignKey(
        "Village",
        verbose_name=_("所在行政村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # `path` is derived (ancestors' ids), kept so that a scope is one indexed prefix query.
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    def clean(self) -> None:
        allowed = self.PARENT_KINDS.get(self.kind, ())
        parent_kind = self.parent.kind if self.parent_id else None
        if parent_kind not in allowed:
            raise ValidationError(
                {
                    "parent": _("%(kind)s不能设在%(parent)s之下。")
                    % {"kind": self.get_kind_display(), "parent": self.parent or _("（无上级）")}
                }
            )
        needs_village = self.kind in (self.Kind.VILLAGE_BRANCH, self.Kind.VILLAGERS_COMMITTEE)
        if needs_village and not self.village_id:
            raise ValidationError({"village": _("村党支部和村民委员会必须指定所在行政村。")})

    @property
    def county_id(self) -> int:
        """The id of the county committee this organisation belongs to: its path's root."""
        return int(self.path.strip("/").split("/")[0])

    def ancestors_and_self(self) -> list[Organisation]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        by_id = Organisation.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


class Village(models.Model):
    """An administrative village (行政村) of a township."""

    name = models.CharField(_("村名"), max_length=100)
    township = models.ForeignKey(
        Organisation,
        verbose_name=_("所属乡镇党委"),
        on_delete=models.PROTECT,
        related_name="villages",
        limit_choices_to={"kind": Organisation.Kind.TOWNSHIP_COMMITTEE},
    )

    class Meta:
        ordering = ["township__name", "name"]
        verbose_name = _("行政村")
        verbose_name_plural = _("行政村")

    def __str__(self) -> str:
        return self.name


def new_read_code() -> str:
    """A household's code for saying on the portal that it knows a result (一知晓): six
    digits printed on the 明白纸 delivered to it, which a stranger cannot know."""
    return f"{secrets.randbelow(1_000_000):06d}"


class Household(models.Model):
    village = models.ForeignKey(
        Village, verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="households"
    )
    number = models.CharField(_("户号"), max_length=30)
    group_name = models.CharField(_("村民小组"), max_length=50, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    read_code = models.CharField(_("户码（明白纸）"), max_length=6, default=new_read_code)

    class Meta:
        ordering = ["village", "number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="uniq_household_number")
        ]
        verbose_name = _("户")
        verbose_name_plural = _("户")

    def __str__(self) -> str:
        return f"{self.village.name} {self.number}"
