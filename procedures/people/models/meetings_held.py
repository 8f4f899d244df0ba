"""A branch meeting held: the one fact every procedure's party meeting writes (the branch's
own 三会一课 and 主题党日, a village matter's 提议 and 审议, member development's 支部大会),
through the pipeline, and the one fact the branch ledger and the statistics read. No
procedure reads another's meetings: each says here what its meeting was to the branch."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


class MeetingHeld(models.Model):
    """One meeting as the branch's organisational life counts it. A record that serves two
    kinds (a 主题党日 held as the quarter's 党员大会) is two facts. Kept in step with its
    record by `procedures.people.services.meetings_held_sync`: a record withdrawn or
    superseded has none, a corrected date is the fact's date."""

    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", _("支部党员大会")
        COMMITTEE_MEETING = "committee_meeting", _("支部委员会会议")
        GROUP_MEETING = "group_meeting", _("党小组会")
        PARTY_LECTURE = "party_lecture", _("党课")
        THEME_DAY = "theme_day", _("主题党日")
        LIFE_MEETING = "life_meeting", _("组织生活会")
        APPRAISAL = "appraisal", _("民主评议党员")
        HEART_TALK = "heart_talk", _("谈心谈话")

    branch = models.ForeignKey(
        Organisation, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name=_("党小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    held_on = models.DateField(_("召开日期"))
    topic = models.CharField(_("主题"), max_length=200)
    should_attend = models.PositiveIntegerField(_("应到人数"), default=0)
    attended = models.PositiveIntegerField(_("实到人数"), default=0)
    source = models.CharField(_("来源"), max_length=300)
    # The procedure's record of the meeting (what the fact is of) ...
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    # ... and the page a reader of the ledger opens for it (the meeting, the matter, the case).
    page_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    page_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("page_type", "page_id")

    class Meta:
        ordering = ["held_on", "kind", "pk"]
        indexes = [models.Index(fields=["branch", "held_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "kind"], name="one_fact_per_record_and_kind"
            )
        ]
        verbose_name = _("支部会议召开情况")
        verbose_name_plural = _("支部会议召开情况")

    def __str__(self) -> str:
        return f"{self.branch} {self.held_on} {self.get_kind_display()}"
