"""The branch's organisational life: each meeting (or talk) recorded once, with who should
have attended, who did and who was away and why; the lifecycle reads here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from procedures.people.models import Organisation, Person

from . import policy
from .periods import add_months
from .steps import DUES_BOOK, MEETING_BOOK, DuesStatus, Grade, Kind, Presence, Status

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
    # A 主题党日 that carried another procedure's business (a village matter's 民主议事): the
    # record it served, as registered in `procedures.people.agenda`.
    carried_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    carried_id = models.PositiveBigIntegerField(_("议事事项"), null=True, blank=True)
    carried = GenericForeignKey("carried_type", "carried_id")
    cancelled_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    # 更正: the record whose date this one corrects (it stays, marked 已更正).
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
        verbose_name=_("更正的记录"),
    )  # fmt: skip
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

    # Each step's transition, made from its record (steps.MEETING_BOOK).
    @MEETING_BOOK.transition("record")
    def record(self):
        pass

    @MEETING_BOOK.transition("cancel")
    def cancel(self):
        pass

    # Corrections (workflows.amend): who recorded the meeting takes it back (撤回); the
    # township or the county approves a correction of its date, which supersedes it.
    @transition("status", source=S.HELD, target=S.WITHDRAWN, permission=policy.may_take_back)
    def take_back(self, status: str = S.WITHDRAWN):
        pass

    @transition("status", source=S.HELD, target=S.SUPERSEDED, permission=policy.oversees)
    def supersede(self):
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


class DuesPayment(ConcurrentTransitionMixin, models.Model):
    """One payment of 党费 by one member, for whole months (monthly, quarterly with the
    branch's consent, or in advance up to a year). Never edited: a correction is a new
    payment referring to the one it supersedes."""

    class Basis(models.TextChoices):
        RURAL = "rural", _("农民党员（按月定额）")
        INCOME = "income", _("按收入比例")
        EXEMPT = "exempt", _("经支部同意免交")

    Status = DuesStatus

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_payments")
    member = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="dues_payments", verbose_name=_("党员")
    )
    first_month = models.DateField(_("起始月份"))  # the first day of the first month
    months = models.PositiveSmallIntegerField(_("月数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=9, decimal_places=2)
    basis = models.CharField(_("交纳标准"), max_length=10, choices=Basis.choices)
    paid_on = models.DateField(_("交纳日期"))
    collector = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("收缴人"),
    )  # fmt: skip
    receipt_no = models.CharField(_("收据号"), max_length=40, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
        verbose_name=_("更正的记录"),
    )  # fmt: skip
    status = FSMField(_("状态"), default=Status.VALID, choices=Status.choices, protected=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_month", "-pk"]
        indexes = [models.Index(fields=["branch", "member", "status"], name="dues_member")]
        verbose_name = _("党费交纳记录")
        verbose_name_plural = _("党费交纳记录")

    def __str__(self) -> str:
        return f"{self.member_id}:{self.first_month:%Y-%m}+{self.months}"

    @property
    def last_month(self):

        return add_months(self.first_month, self.months - 1)

    @DUES_BOOK.transition("supersede")
    def supersede(self):
        pass


class LapseDecision(models.Model):
    """The branch's decision on a member flagged under 党章 第九条 (six months in a row
    without paying dues, or without taking part in organisational life, without proper
    reason): the system flags and records; the branch decides."""

    class Ground(models.TextChoices):
        DUES = "dues", _("连续六个月不交纳党费")
        ABSENCE = "absence", _("连续六个月不参加党的组织生活")

    class Decision(models.TextChoices):
        REASON_FOUND = "reason_found", _("经核实有正当理由，不作处理")
        EDUCATE = "educate", _("批评教育，限期改正")
        LAPSED = "lapsed", _("按自行脱党除名（报上级党委批准）")

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("情形"), max_length=10, choices=Ground.choices)
    decision = models.CharField(_("支部决定"), max_length=20, choices=Decision.choices)
    decided_on = models.DateField(_("决定日期"))
    note = models.CharField(_("说明"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("党章第九条处理决定")
        verbose_name_plural = _("党章第九条处理决定")

    def __str__(self) -> str:
        return f"{self.member_id}:{self.ground}:{self.decision}"


class TownshipLife(Organisation):
    """A township's view over its branches' 工作手册 (a proxy of its organisation): plans,
    completion, dues and flags, branch by branch."""

    class Meta:
        proxy = True
        verbose_name = _("乡镇党支部工作手册汇总")
        verbose_name_plural = _("乡镇党支部工作手册汇总")


class MeetingAttachment(models.Model):
    """A file kept with a meeting's record: a photo, the sign-in sheet, a scan of the
    minutes. Added with the record; never replaced (its digest is in the audit event)."""

    meeting = models.ForeignKey(BranchMeeting, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to="branch-life/%Y/%m/")
    content_type = models.CharField(_("类型"), max_length=40)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("组织生活附件")
        verbose_name_plural = _("组织生活附件")

    def __str__(self) -> str:
        return self.name
