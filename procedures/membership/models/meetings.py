"""The meetings of member development and their secret ballots."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people.models import Organisation, Person

from .cases import Case


class Meeting(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("支部委员会")
        GENERAL = "general", _("支部大会")
        TOWNSHIP = "township", _("乡镇党委会议")

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("会议"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("会议日期"))
    chair = models.ForeignKey(
        Person, verbose_name=_("主持人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorder = models.ForeignKey(
        Person, verbose_name=_("记录人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    should_attend = models.ManyToManyField(
        Person, verbose_name=_("应到会有表决权人员"), related_name="+"
    )
    attended = models.ManyToManyField(Person, verbose_name=_("实到人员"), related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Ballot(models.Model):
    """A secret ballot on one candidate: the tally of those present, and the written opinions
    sent before the meeting by those who could not attend."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="ballots")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ballots")
    purpose = models.CharField(_("表决事项"), max_length=40)
    yes = models.PositiveSmallIntegerField(_("同意"))
    no = models.PositiveSmallIntegerField(_("不同意"))
    abstain = models.PositiveSmallIntegerField(_("弃权"))
    written_yes = models.PositiveSmallIntegerField(_("书面同意"), default=0)
    written_no = models.PositiveSmallIntegerField(_("书面不同意"), default=0)
    written_abstain = models.PositiveSmallIntegerField(_("书面弃权"), default=0)
    passed = models.BooleanField(_("通过"))

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")

    def __str__(self) -> str:
        return f"{self.purpose}: {self.yes}/{self.no}/{self.abstain}"
