"""The branch's organisational life: each meeting (or talk) recorded once, with who should
have attended, who did and who was away and why; the lifecycle reads here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from procedures.people.models import Organisation, Person

from . import policy
from .steps import Grade, Kind, Presence, Status

S = Status


class BranchLife(models.Model):
    """A village branch's 《党支部工作手册》: the subject its frequency deadlines hang on (one
    row per branch, made when first needed)."""

    branch = models.OneToOneField(
        Organisation,
        primary_key=True,  # the 手册's id is its branch's
        on_delete=models.PROTECT,
        related_name="life",
        verbose_name=_("党支部"),
    )

    class Meta:
        verbose_name = _("党支部工作手册")
        verbose_name_plural = _("党支部工作手册")

    def __str__(self) -> str:
        return f"{self.branch.name}工作手册"


class BranchMeeting(ConcurrentTransitionMixin, models.Model):
    """One meeting of the branch (or one 谈心谈话), planned ahead (预约报备) or recorded
    directly. Created planned or held; a plan is then recorded as held, or cancelled."""

    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="life_meetings",
        verbose_name=_("党支部"),
    )
    group = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("党小组"),
    )
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    status = FSMField(_("状态"), default=S.PLANNED, choices=S.choices, protected=True)
    topic = models.CharField(_("主题"), max_length=200)
    planned_on = models.DateField(_("预约日期"), null=True, blank=True)
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("主持人"),
    )  # fmt: skip
    recorder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("记录人"),
    )  # fmt: skip
    summary = models.TextField(_("内容摘要"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True)
    should_attend = models.PositiveIntegerField(_("应到人数"), default=0)
    attended = models.PositiveIntegerField(_("实到人数"), default=0)
    # A 主题党日 that carried 民主议事 of a village matter: the matter it served.
    matter = models.ForeignKey(
        "village.Matter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branch_meetings",
        verbose_name=_("议事事项"),
    )
    cancelled_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-planned_on", "-pk"]
        indexes = [models.Index(fields=["branch", "kind", "held_on"], name="branch_meeting_kind")]
        verbose_name = _("组织生活记录")
        verbose_name_plural = _("组织生活记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}"

    @property
    def day(self):
        return self.held_on or self.planned_on

    @transition("status", source=S.PLANNED, target=S.HELD, permission=policy.may_act)
    def record(self):
        pass

    @transition("status", source=S.PLANNED, target=S.CANCELLED, permission=policy.may_act)
    def cancel(self):
        pass


class MeetingAttendance(models.Model):
    """One person who should have attended: present, on leave, or absent without reason."""

    meeting = models.ForeignKey(BranchMeeting, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(_("出席情况"), max_length=10, choices=Presence.choices)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    grade = models.CharField(_("评议结果"), max_length=20, choices=Grade.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="uniq_meeting_person")
        ]
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")

    def __str__(self) -> str:
        return f"{self.person_id}:{self.presence}"
