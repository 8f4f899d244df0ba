"""Village matters (村级事务), their meetings, implementation, and how villagers knew."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from procedures.people.models import Household, Organisation, Person, Village

from . import policy
from .steps import BOOK, RESERVED, RETURNABLE_FROM, RETURNED_TO, Category, Method, Status

S = Status


def _three(matter) -> bool:
    return matter.method == Method.THREE


def _four(matter) -> bool:
    return matter.method == Method.FOUR


def _known_or_no_acknowledgement_step(matter) -> bool:
    """Archiving waits for 一知晓 under 三议一会一公开一知晓; 四议两公开 has no such step."""
    return matter.status == S.ACKNOWLEDGED or _four(matter)


class DecisionSettings(models.Model):
    """A county's method for village decisions. Matters keep the method they started with."""

    county = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="decision_settings",
        limit_choices_to={"kind": Organisation.Kind.COUNTY_COMMITTEE},
        verbose_name=_("县委"),
    )
    method = models.CharField(_("工作法"), max_length=10, choices=Method.choices)

    class Meta:
        verbose_name = _("村级事务设置")
        verbose_name_plural = _("村级事务设置")

    def __str__(self) -> str:
        return f"{self.county}: {self.get_method_display()}"


class Matter(ConcurrentTransitionMixin, models.Model):
    """The whole lifecycle reads here: each transition's source, target and condition."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="matters", verbose_name=_("行政村")
    )
    title = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    category = models.CharField(_("类别"), max_length=30, choices=Category.choices)
    method = models.CharField(_("工作法"), max_length=10, choices=Method.choices)
    status = FSMField(_("进度"), default=S.REGISTERED, choices=Status.choices, protected=True)
    decided_on = models.DateField(_("决议日期"), null=True, blank=True)
    decision = models.TextField(_("决议内容"), blank=True)
    result = models.TextField(_("实施结果"), blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closed_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["village", "status"])]
        verbose_name = _("村级事务")
        verbose_name_plural = _("村级事务")

    def __str__(self) -> str:
        return self.title

    @cached_property
    def branch(self) -> Organisation:
        """The village's party branch, whose roles act on the matter."""
        return Organisation.objects.get(
            kind=Organisation.Kind.VILLAGE_BRANCH, village_id=self.village_id
        )

    @property
    def reserved(self) -> bool:
        return self.category in RESERVED

    # Each step's transition, made from its record (steps.BOOK); only the guards are here.
    @BOOK.transition("propose")
    def propose(self):
        pass

    @BOOK.transition("consult")
    def consult(self):
        pass

    @BOOK.transition("propose_and_consult", conditions=[_four])
    def propose_and_consult(self):
        pass

    @BOOK.transition("deliberate")
    def deliberate(self):
        pass

    @BOOK.transition("resolve")
    def resolve(self):
        pass

    @BOOK.transition("publish_resolution")
    def publish_resolution(self):
        pass

    @BOOK.transition("record_progress")
    def record_progress(self):
        pass

    @BOOK.transition("publish_result")
    def publish_result(self):
        pass

    @BOOK.transition("acknowledge", conditions=[_three])
    def acknowledge(self):
        pass

    @BOOK.transition("archive", conditions=[_known_or_no_acknowledgement_step])
    def archive(self):
        pass

    @BOOK.transition("decline")
    def decline(self):
        pass

    @BOOK.transition("fail")
    def fail(self):
        pass

    @BOOK.transition("withdraw")
    def withdraw(self):
        pass

    # Corrections (workflows.amend), before the decision is published. 退回: the township or
    # the county sends the matter back to an earlier meeting; 撤回: who recorded the last
    # meeting takes it back. Both return the status the meetings still standing give it.
    @transition(
        "status",
        source=RETURNABLE_FROM,
        target=RETURN_VALUE(*RETURNED_TO),
        permission=policy.may_send_back,
    )
    def send_back(self, status: str) -> str:
        return status

    @transition(
        "status",
        source=RETURNABLE_FROM,
        target=RETURN_VALUE(*RETURNED_TO),
        permission=policy.may_take_back,
    )
    def take_back(self, status: str) -> str:
        return status


class MatterMeetingQuerySet(models.QuerySet):
    def dated(self):
        """Each meeting with `day`: its date as its latest correction left it (or its own),
        to filter and order by."""
        latest = (
            MeetingCorrection.objects.filter(meeting=models.OuterRef("pk"))
            .order_by("-pk")
            .values("held_on")[:1]
        )
        return self.annotate(day=Coalesce(models.Subquery(latest), models.F("held_on")))


class MatterMeeting(models.Model):
    """提议、商议、审议、决议: each a meeting with its chair, recorder, attendance and vote."""

    class Kind(models.TextChoices):
        BRANCH_COMMITTEE = "branch_committee", _("村党支部会议")
        JOINT = "joint", _("联席会议")
        MEMBERS = "members", _("党员大会")
        VILLAGERS = "villagers", _("村民会议")
        REPRESENTATIVES = "representatives", _("村民代表会议")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="meetings")
    step = models.CharField(_("步骤"), max_length=30)
    kind = models.CharField(_("会议"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    chair = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("主持人")
    )
    chair_title = models.CharField(_("主持人职务"), max_length=50)
    recorder = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorder_stand_in = models.BooleanField(_("包村干部代为记录"), default=False)
    should_attend = models.PositiveIntegerField(_("应到"))
    attended = models.PositiveIntegerField(_("实到"))
    attendees = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("到会人员")
    )
    households_present = models.PositiveIntegerField(_("到会户代表"), null=True, blank=True)
    yes = models.PositiveIntegerField(_("同意"), null=True, blank=True)
    no = models.PositiveIntegerField(_("不同意"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    proposal = models.TextField(_("议题"), blank=True)
    outcome = models.TextField(_("议定事项"), blank=True)
    passed = models.BooleanField(_("通过"), default=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = MatterMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("事项会议")
        verbose_name_plural = _("事项会议")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class MeetingCorrection(models.Model):
    """更正: a meeting's date corrected by a record of its own, naming the meeting, with the
    reason, who asked and who approved (the township or the county). The meeting itself is
    never edited; every view shows the corrected date and, folded, the original."""

    meeting = models.ForeignKey(MatterMeeting, on_delete=models.PROTECT, related_name="corrections")
    original = models.DateField(_("原日期"))
    held_on = models.DateField(_("更正后的日期"))
    reason = models.CharField(_("更正理由"), max_length=300)
    requested_by = models.CharField(_("提出更正的单位或个人"), max_length=100, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approver = models.CharField(_("批准人"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("会议日期更正")
        verbose_name_plural = _("会议日期更正")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.original} → {self.held_on}"


class Progress(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="progress")
    on = models.DateField(_("日期"))
    text = models.TextField(_("进展"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("实施进展")
        verbose_name_plural = _("实施进展")

    def __str__(self) -> str:
        return f"{self.matter_id}@{self.on}"


class Acknowledgement(models.Model):
    """一知晓: how the villagers were told the result."""

    class Channel(models.TextChoices):
        BROADCAST = "broadcast", _("广播")
        BOARD = "board", _("公开栏")
        WECHAT = "wechat", _("微信群")
        VISIT = "visit", _("入户告知")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="acknowledgements")
    channel = models.CharField(_("方式"), max_length=20, choices=Channel.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("知晓记录")
        verbose_name_plural = _("知晓记录")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.on}"


class ReadReceipt(models.Model):
    """A household known to have read the result, and how that is known: by the household's
    own code from its 明白纸, by a village cadre who told it in person, or only by its own
    word on the portal (自报: a household number anyone could type)."""

    class How(models.TextChoices):
        CODE = "code", _("凭户码确认")
        VISIT = "visit", _("村干部入户告知")
        SELF = "self", _("自报（未凭户码）")

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="read_receipts")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(_("时间"), auto_now_add=True)
    how = models.CharField(_("确认方式"), max_length=10, choices=How.choices, default=How.SELF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "household"], name="uniq_read_receipt")
        ]
        verbose_name = _("户知晓确认")
        verbose_name_plural = _("户知晓确认")

    def __str__(self) -> str:
        return f"{self.matter_id}:{self.household_id}"


class VillagersMeetingPlan(models.Model):
    """A villagers' meeting (村民会议) planned for a matter, and when the villagers were told.
    The law wants them told 10 days ahead (村民委员会组织法 第二十一条): while the notice is
    not given, its last day is a deadline row. A new date needs a new notice."""

    matter = models.OneToOneField(
        Matter, on_delete=models.PROTECT, related_name="villagers_meeting_plan"
    )
    planned_on = models.DateField(_("拟召开日期"))
    place = models.CharField(_("地点"), max_length=100)
    announced_on = models.DateField(_("通知日期"), null=True, blank=True)
    announced_how = models.CharField(_("通知方式"), max_length=300, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("村民会议安排")
        verbose_name_plural = _("村民会议安排")

    def __str__(self) -> str:
        return f"{self.matter_id}@{self.planned_on}"
