"""Reminders and their deliveries. A reminder is identified by (deadline, kind, recipient,
due moment): the unique key makes a second one impossible, whoever races to create it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import Deadline

from . import robots


class Notification(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("即将到期")
        OVERDUE = "overdue", _("已超期")
        ESCALATED_TOWNSHIP = "escalated_township", _("超期报乡镇")
        ESCALATED_COUNTY = "escalated_county", _("超期报县")
        RETURNED = "returned", _("退回")
        PRESSED = "pressed", _("催办")
        COPIED = "copied", _("抄送")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    # None: a hand-off (退回, 抄送), which no deadline row raised.
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField(_("期限"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "recipient", "due_at"], name="one_reminder_per_key"
            )
        ]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One attempt history per channel: inbox, email, SMS."""

    class Channel(models.TextChoices):
        INBOX = "inbox", _("站内")
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")
        WECOM = "wecom", _("企业微信群")
        DINGTALK = "dingtalk", _("钉钉群")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "channel"]),
            # The redispatch sweep: pending deliveries untouched for a while.
            models.Index(fields=["status", "updated_at"], name="delivery_stale_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")

    def __str__(self) -> str:
        return f"{self.notification_id}:{self.channel}:{self.status}"


class RobotWebhook(models.Model):
    """A county's group robot (企业微信 or 钉钉): every reminder and hand-off to a user of the
    county is also posted there, once. One robot of each kind per county."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    county = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "county_committee"},
        verbose_name=_("县委"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("群名称"), max_length=100)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥（钉钉）"),
        max_length=200,
        blank=True,
        help_text=_("钉钉机器人“加签”的密钥；企业微信不需要。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "kind"], name="one_robot_per_county_kind")
        ]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def clean(self) -> None:

        try:
            robots.check_url(self.kind, self.url)
        except robots.RobotError:
            host = robots.HOSTS.get(self.kind, "")
            raise ValidationError(
                {"url": _("地址须为 https://%(host)s/ 开头的机器人地址。") % {"host": host}}
            ) from None


class StagnationWarning(models.Model):
    """长期不发展党员预警: a branch with no new member for two consecutive years is a
    重点管理单位 of the township committee; three years, of the county committee. Cleared when
    the branch admits a member."""

    class Level(models.TextChoices):
        TOWNSHIP = "township", _("乡镇党委重点管理（连续两年未发展）")
        COUNTY = "county", _("县委重点管理（连续三年未发展）")

    branch = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        related_name="stagnation_warnings",
        verbose_name=_("党支部"),
    )
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    last_admission = models.DateField(_("最近一次接收预备党员"), null=True, blank=True)
    raised_on = models.DateField(_("预警日期"))
    cleared_on = models.DateField(_("解除日期"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "branch"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "level"],
                condition=models.Q(cleared_on__isnull=True),
                name="one_open_warning_per_branch_level",
            )
        ]
        verbose_name = _("长期不发展党员预警")
        verbose_name_plural = _("长期不发展党员预警")

    def __str__(self) -> str:
        return f"{self.branch}: {self.get_level_display()}"


class Digest(models.Model):
    """The daily digest of one user: what is due and overdue. One per user and day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("接收人"),
    )
    day = models.DateField(_("日期"))
    due = models.PositiveIntegerField(_("即将到期"))
    overdue = models.PositiveIntegerField(_("已超期"))
    body = models.TextField(_("内容"))
    emailed = models.BooleanField(_("已发邮件"), default=False)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_user_day")
        ]
        verbose_name = _("每日摘要")
        verbose_name_plural = _("每日摘要")

    def __str__(self) -> str:
        return f"{self.recipient_id}@{self.day}"
