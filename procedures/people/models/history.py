"""A person over time: the organisations he belonged to (from, to, why), the periods he was
not counted among those who should attend (不计入应到会人数), and the 党纪处分 he received.
Everything about the past reads these as of its day (ARCHITECTURE.md): who should attend a
meeting, who may vote, whose dues a branch collects, and what its statistics count.

Each row is written once by `procedures.people.services` and closed, never rewritten: a
transfer ends one membership and opens the next."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .persons import Person


def _covers(on: date, start: str, end: str) -> Q:
    """Rows in force on `on`: begun on or before it (or before records) and not ended before."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": on})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": on})
    )


class Membership(models.Model):
    """A person's organisation over a period (his 组织关系; for someone who is no party member,
    the village branch he lives under). `starts_on` empty: since before the county's records
    began; `ends_on` empty: to this day. Both days are inclusive: a transfer's day is the
    sending branch's last (条例 第二十五条: it stays responsible until the member is
    received), the receiving branch's first is the day after."""

    class Reason(models.TextChoices):
        BEFORE_RECORDS = "before_records", _("系统启用前已在本组织")
        REGISTERED = "registered", _("登记")
        ADMITTED = "admitted", _("接收为预备党员")
        TRANSFERRED = "transferred", _("组织关系转接")
        REGROUPED = "regrouped", _("调整党小组")
        SUSPENDED = "suspended", _("停止党籍")
        RESTORED = "restored", _("恢复党籍")
        PERSUADED_OUT = "persuaded_out", _("劝退")
        STRUCK_OFF = "struck_off", _("除名")
        PROBATION_CANCELLED = "probation_cancelled", _("取消预备党员资格")
        LEFT = "left", _("退党")
        EXPELLED = "expelled", _("开除党籍")
        DIED = "died", _("去世")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    started_why = models.CharField(_("开始原因"), max_length=30, choices=Reason.choices)
    ended_why = models.CharField(_("结束原因"), max_length=30, choices=Reason.choices, blank=True)
    # A transfer's letter says the month his dues were paid to (党费交至); the receiving
    # branch counts his dues from the month after it, or from his arrival if later.
    dues_paid_to = models.DateField(_("党费交至（月）"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["person", "starts_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "starts_on", "ends_on"]),
            models.Index(fields=["person", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ends_on__isnull=True), name="one_open_membership"
            ),
        ]
        verbose_name = _("所属组织记录")
        verbose_name_plural = _("所属组织记录")

    def __str__(self) -> str:
        start = self.starts_on or _("系统启用前")
        end = self.ends_on or _("至今")
        return f"{self.person} {self.organisation} {start}～{end}"

    @staticmethod
    def covering(on: date, prefix: str = "") -> Q:
        return _covers(on, f"{prefix}starts_on", f"{prefix}ends_on")


class NotCounted(models.Model):
    """A period in which a member is not counted among those who should attend (应到会人数)
    and so not in a meeting's quorum: each with its kind, reason and dates."""

    class Kind(models.TextChoices):
        ILL = "ill", _("患有精神病或因其他疾病不能表达本人意志")
        MISSING = "missing", _("下落不明")
        CONFINED = "confined", _("虽未受留党察看处分，但失去行动自由")
        ABROAD = "abroad", _("出国半年以上")
        AWAY_WITH_LEAVE = "away_with_leave", _("长期外出并经支部同意请假")

    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="not_counted"
    )
    kind = models.CharField(_("情形"), max_length=30, choices=Kind.choices)
    reason = models.CharField(_("具体原因"), max_length=300)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["person", "starts_on", "pk"]
        indexes = [models.Index(fields=["person", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="not_counted_ends_after_start",
                violation_error_message=_("截止日期不能早于起始日期。"),
            )
        ]
        verbose_name = _("不计入应到会人数")
        verbose_name_plural = _("不计入应到会人数")

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.starts_on}～{self.ends_on or ''}"

    @staticmethod
    def covering(on: date, prefix: str = "") -> Q:
        return _covers(on, f"{prefix}starts_on", f"{prefix}ends_on")


class Discipline(models.Model):
    """A 党纪处分 (《中国共产党纪律处分条例》第八条): its kind, the day it was decided and by
    whom. Under 留党察看 a member has no right to vote, elect or be elected, nor to sponsor,
    until `ends_on` (第十一条)."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("警告")
        SERIOUS_WARNING = "serious_warning", _("严重警告")
        REMOVAL = "removal", _("撤销党内职务")
        PROBATION = "probation", _("留党察看")
        EXPULSION = "expulsion", _("开除党籍")

    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="disciplines"
    )
    kind = models.CharField(_("处分种类"), max_length=20, choices=Kind.choices)
    # Empty for a decision taken before the county's records began (its day is not known).
    decided_on = models.DateField(_("处分决定日期"), null=True, blank=True)
    deciding_body = models.CharField(_("作出处分的组织"), max_length=100)
    ends_on = models.DateField(_("留党察看期至"), null=True, blank=True)
    matter = models.CharField(_("事由"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["person", "decided_on", "pk"]
        indexes = [models.Index(fields=["person", "kind", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="probation", ends_on__isnull=False)
                | (~Q(kind="probation") & Q(ends_on__isnull=True)),
                name="discipline_probation_has_end",
                violation_error_message=_("留党察看须写明察看期至何日，其他处分不填此项。"),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("decided_on")),
                name="discipline_ends_after_decision",
                violation_error_message=_("留党察看期不能早于处分决定日期。"),
            ),
        ]
        verbose_name = _("党纪处分")
        verbose_name_plural = _("党纪处分")

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.decided_on or ''}"

    @staticmethod
    def suspending_rights(on: date, prefix: str = "") -> Q:
        """留党察看 in force on `on` (its day of decision to its last day)."""
        return Q(**{f"{prefix}kind": Discipline.Kind.PROBATION}) & _covers(
            on, f"{prefix}decided_on", f"{prefix}ends_on"
        )
