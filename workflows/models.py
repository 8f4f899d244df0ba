"""Engine tables: the editable calendar, rule settings and the append-only audit chain."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .statutory import statutory_holidays


class CalendarYear(models.Model):
    """Whether the State Council's schedule (holidays joined with weekends, make-up days) of a
    year has been entered. Years the `holidays` package already carries need no row."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    schedule_entered = models.BooleanField(
        _("已录入国务院放假安排"),
        default=False,
        help_text=_("录入当年全部放假日和调休上班日后勾选；未勾选的年份计算结果标为“暂定”。"),
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day set by hand: it overrides whatever the `holidays` package says of that day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("上班（含调休上班）")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.date and self.kind == self.Kind.WORKDAY:
            name = statutory_holidays(self.date.year).get(self.date)
            if name:
                raise ValidationError(
                    {
                        "kind": _("%(date)s是法定节假日（%(name)s），不能设为上班日。")
                        % {"date": self.date, "name": name}
                    }
                )


class RuleSetting(models.Model):
    """An organisation department's edit of one rule of a rulebook: its article text, its
    parameters, or switching a *reported* rule off. No code change needed."""

    rulebook = models.CharField(_("规则集"), max_length=50)
    rule_id = models.CharField(_("规则编号"), max_length=80)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rulebook", "rule_id"], name="uniq_rule_setting")
        ]
        verbose_name = _("规则设置")
        verbose_name_plural = _("规则设置")

    def __str__(self) -> str:
        return f"{self.rulebook}:{self.rule_id}"


class AuditEvent(models.Model):
    """Append-only and hash-chained per stream. On PostgreSQL a trigger refuses UPDATE/DELETE."""

    stream = models.CharField(_("对象"), max_length=120)
    sequence = models.PositiveIntegerField(_("序号"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    role = models.CharField(_("身份"), max_length=80, blank=True)
    action = models.CharField(_("动作"), max_length=80)
    act_date = models.DateField(_("发生日期"))
    recorded_at = models.DateTimeField(_("录入时间"))
    payload = models.JSONField(_("内容"), default=dict)
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        ordering = ["stream", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "sequence"], name="uniq_audit_stream_seq")
        ]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")

    def __str__(self) -> str:
        return f"{self.stream}#{self.sequence} {self.action}"


class AuditStreamHead(models.Model):
    """The last link of each stream, so that a deleted tail is detected too. Locked while
    appending, which also serialises writers of one stream."""

    stream = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.stream}@{self.sequence}"


class Deadline(models.Model):
    """A deadline a rule creates: a row with its due moment, its subject and its rule, opened
    and closed by the services that open and finish the step. Beat sweeps these rows; no
    long Celery ETAs."""

    class Status(models.TextChoices):
        OPEN = "open", _("未办")
        CLOSED = "closed", _("已办")

    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField()
    key = models.CharField(_("事项"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    rulebook = models.CharField(_("规则集"), max_length=40, blank=True)
    rule_id = models.CharField(_("规则"), max_length=80, blank=True)
    citation = models.CharField(_("依据"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("期限"))
    # Who must act, and where: a role word of the procedure and an organisation path prefix.
    audience = models.CharField(_("办理方"), max_length=30)
    scope_path = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "due_at"], name="deadline_status_due"),
            models.Index(fields=["subject_type", "subject_id", "key"], name="deadline_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "key"],
                condition=models.Q(status="open"),
                name="one_open_deadline_per_subject_key",
            )
        ]
        verbose_name = _("期限")
        verbose_name_plural = _("期限")

    def __str__(self) -> str:
        return f"{self.title} @ {self.due_at:%Y-%m-%d}"


class KeyLock(models.Model):
    """A row to lock by name, so that a check and the write it guards (a rate limit: count,
    then store) happen one request at a time per key, on every database."""

    key = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("互斥键")
        verbose_name_plural = _("互斥键")

    def __str__(self) -> str:
        return self.key


class RateEvent(models.Model):
    """One attempt counted against a rate limit (a key: a browser's or a network's hash),
    kept for the limit's window. Failed attempts count too: that is what stops guessing."""

    key = models.CharField(max_length=100)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]
        verbose_name = _("频率计数")
        verbose_name_plural = _("频率计数")

    def __str__(self) -> str:
        return f"{self.key}@{self.at:%Y-%m-%d %H:%M:%S}"


class AuditPublishedHead(models.Model):
    """The head of a stream as last published (workflows.publication): the publisher's note of
    what the files already say. The files, not this table, are what a verifier trusts."""

    stream = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        verbose_name = _("已公布的审计链头")
        verbose_name_plural = _("已公布的审计链头")

    def __str__(self) -> str:
        return f"{self.stream}@{self.sequence} ({self.day})"
