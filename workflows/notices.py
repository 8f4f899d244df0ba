"""Public notices (generic): the period in working or calendar days, a protected lifecycle,
objections raised during the period and their verification, and the gate a procedure step
passes only once its notice is over and every objection is settled.

Concrete models live with the procedures (they know what a notice is about and where it is
posted); this module gives them the abstract models and the rules of the engine.

Convention: the period is counted from the publishing day. With `count_publish_day`, the
publishing day is day 1 when it is a working day (for calendar days it is always day 1);
otherwise day 1 is the next (working) day. The notice runs to the end of `ends_on` and is
closed from the next day on. Both are shown on the notice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_fsm import FSMField, FSMModelMixin, transition

from . import calendar
from .errors import Conflict, ProcedureError
from .rules import Citation

MSG_NOT_PUBLISHED = gettext_noop("公示尚未发布，不能进行下一步。")
MSG_WITHDRAWN = gettext_noop("公示已撤回，需重新公示后才能进行下一步。")
MSG_RUNNING = gettext_noop("公示期至%(ends_on)s止，公示期满后才能进行下一步。")
MSG_UNRESOLVED = gettext_noop("公示期间收到的反映尚有%(count)d件未核查办结，办结后才能进行下一步。")
MSG_UPHELD = gettext_noop("公示期间反映的问题经核查属实，不能进行下一步。")


class PeriodUnit(models.TextChoices):
    WORKDAYS = "workdays", gettext_lazy("工作日")
    DAYS = "days", gettext_lazy("日")


@dataclass(frozen=True)
class Period:
    length: int
    unit: str = PeriodUnit.WORKDAYS
    count_publish_day: bool = True

    def describe(self) -> str:
        unit = _("个工作日") if self.unit == PeriodUnit.WORKDAYS else _("天")
        convention = _("发布当日计入") if self.count_publish_day else _("自发布次日起计算")
        return f"{self.length}{unit}（{convention}）"


@dataclass(frozen=True)
class PeriodDates:
    starts_on: date
    ends_on: date
    provisional_years: tuple[int, ...]
    warning: str | None


MSG_PROVISIONAL_END = gettext_noop(
    "%(years)s年的国务院放假安排尚未公布，截止日期为暂定（已排除法定节假日）；"
    "如国务院公布的放假安排不同，截止日期可能调整。"
)


def period_dates(period: Period, published_on: date) -> PeriodDates:
    if period.length < 1:
        raise ValueError("a notice period has at least one day")
    if period.unit == PeriodUnit.WORKDAYS:
        first = calendar.add_workdays(published_on, 1, count_start=period.count_publish_day)
        last = calendar.add_workdays(first.value, period.length, count_start=True)
        warning = None
        if last.provisional_years:
            years = "、".join(str(year) for year in last.provisional_years)
            warning = _(MSG_PROVISIONAL_END) % {"years": years}
        return PeriodDates(first.value, last.value, last.provisional_years, warning)
    first_day = published_on if period.count_publish_day else published_on + timedelta(days=1)
    return PeriodDates(first_day, first_day + timedelta(days=period.length - 1), (), None)


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    PUBLISHED = "published", gettext_lazy("公示中")
    CLOSED = "closed", gettext_lazy("公示结束")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤回")


class AbstractNotice(FSMModelMixin, models.Model):
    """A public notice. `public_fields` holds only what the notice's kind whitelists, as
    [label, value] pairs in display order."""

    kind = models.CharField(gettext_lazy("公示类型"), max_length=40)
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    public_fields = models.JSONField(gettext_lazy("公示内容"), default=list)
    body = models.TextField(gettext_lazy("说明"), blank=True)
    period_length = models.PositiveSmallIntegerField(gettext_lazy("公示期长度"))
    period_unit = models.CharField(
        gettext_lazy("公示期单位"), max_length=10, choices=PeriodUnit.choices
    )
    count_publish_day = models.BooleanField(gettext_lazy("发布当日计入公示期"), default=True)
    status = FSMField(
        gettext_lazy("状态"),
        default=NoticeStatus.DRAFT,
        choices=NoticeStatus.choices,
        protected=True,
    )
    published_on = models.DateField(gettext_lazy("发布日期"), null=True, blank=True)
    starts_on = models.DateField(gettext_lazy("公示期起"), null=True, blank=True)
    ends_on = models.DateField(gettext_lazy("公示期止"), null=True, blank=True)
    provisional_note = models.CharField(gettext_lazy("日期暂定说明"), max_length=200, blank=True)
    closed_on = models.DateField(gettext_lazy("结束日期"), null=True, blank=True)
    withdrawn_on = models.DateField(gettext_lazy("撤回日期"), null=True, blank=True)
    withdrawn_reason = models.CharField(gettext_lazy("撤回原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period(self.period_length, self.period_unit, self.count_publish_day)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_note)

    def accepts_objections(self, on: date) -> bool:
        return (
            self.status == NoticeStatus.PUBLISHED
            and self.published_on is not None
            and self.published_on <= on <= self.ends_on
        )

    def is_due_to_close(self, on: date) -> bool:
        return (
            self.status == NoticeStatus.PUBLISHED and self.ends_on is not None and on > self.ends_on
        )

    @transition(field=status, source=NoticeStatus.DRAFT, target=NoticeStatus.PUBLISHED)
    def publish(self, *, published_on: date) -> None:
        dates = period_dates(self.period, published_on)
        self.published_on = published_on
        self.starts_on = dates.starts_on
        self.ends_on = dates.ends_on
        self.provisional_note = dates.warning or ""

    @transition(field=status, source=NoticeStatus.PUBLISHED, target=NoticeStatus.CLOSED)
    def close(self, *, closed_on: date) -> None:
        self.closed_on = closed_on

    @transition(
        field=status,
        source=[NoticeStatus.DRAFT, NoticeStatus.PUBLISHED],
        target=NoticeStatus.WITHDRAWN,
    )
    def withdraw(self, *, withdrawn_on: date, reason: str) -> None:
        self.withdrawn_on = withdrawn_on
        self.withdrawn_reason = reason


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", gettext_lazy("已受理")
    VERIFYING = "verifying", gettext_lazy("核查中")
    RESOLVED = "resolved", gettext_lazy("已办结")


class Finding(models.TextChoices):
    UPHELD = "upheld", gettext_lazy("属实")
    REJECTED = "rejected", gettext_lazy("不属实")
    PARTLY = "partly", gettext_lazy("部分属实")


# A receipt a villager can read aloud on the phone: ten digits, shown in groups of four
# ("3816 0427 95"), the last a Luhn check digit, so a digit misheard or two swapped is caught
# before anything is looked up.
RECEIPT_DIGITS = 10


def _luhn_digit(body: str) -> str:
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return str((10 - total % 10) % 10)


def new_receipt() -> str:
    body = str(secrets.randbelow(9 * 10 ** (RECEIPT_DIGITS - 2)) + 10 ** (RECEIPT_DIGITS - 2))
    return body + _luhn_digit(body)


def receipt_checks(code: str) -> bool:
    """A receipt of the current form whose check digit holds."""
    return (
        len(code) == RECEIPT_DIGITS
        and code.isascii()
        and code.isdigit()
        and _luhn_digit(code[:-1]) == code[-1]
    )


def normalize_receipt(text: str) -> str:
    """What a villager typed or said, as stored: spaces and dashes dropped, letters of an
    older receipt (FY…) upper-cased."""
    return "".join(char for char in (text or "") if char.isalnum()).upper()[:30]


def grouped_receipt(code: str) -> str:
    """A receipt as shown and read aloud: groups of four digits."""
    if not (code.isascii() and code.isdigit()):
        return code  # an older receipt (FY…), shown as it was given
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


class AbstractObjection(FSMModelMixin, models.Model):
    """A concern raised during a notice. Who raised it is never shown publicly."""

    receipt = models.CharField(gettext_lazy("回执号"), max_length=20, unique=True)
    text = models.TextField(gettext_lazy("反映内容"))
    name = models.CharField(gettext_lazy("姓名"), max_length=30, blank=True)
    phone = models.CharField(gettext_lazy("联系电话"), max_length=20, blank=True)
    # Keyed hashes (never the address itself) for rate limiting: the browser, and its network.
    client_key = models.CharField(max_length=64, editable=False)
    network_key = models.CharField(max_length=64, editable=False, default="")
    received_at = models.DateTimeField(gettext_lazy("受理时间"))
    status = FSMField(
        gettext_lazy("办理状态"),
        default=ObjectionStatus.RECEIVED,
        choices=ObjectionStatus.choices,
        protected=True,
    )
    verification_note = models.TextField(gettext_lazy("核查情况"), blank=True)
    finding = models.CharField(
        gettext_lazy("核查结论"), max_length=10, choices=Finding.choices, blank=True
    )
    explanation = models.TextField(gettext_lazy("结论说明"), blank=True)
    resolved_on = models.DateField(gettext_lazy("办结日期"), null=True, blank=True)

    class Meta:
        abstract = True

    @transition(field=status, source=ObjectionStatus.RECEIVED, target=ObjectionStatus.VERIFYING)
    def start_verification(self, *, note: str) -> None:
        self.verification_note = note

    @transition(
        field=status,
        source=[ObjectionStatus.RECEIVED, ObjectionStatus.VERIFYING],
        target=ObjectionStatus.RESOLVED,
    )
    def resolve(self, *, finding: str, explanation: str, resolved_on: date) -> None:
        self.finding = finding
        self.explanation = explanation
        self.resolved_on = resolved_on


def gate(
    notice: AbstractNotice, objections, *, citation: Citation | None = None, on: date | None = None
) -> None:
    """Raise unless the step that needs `notice` may go ahead on `on`: the notice was
    published and its period is over (closed, or due to close), and every objection on it
    is settled and none was upheld."""
    if notice.status == NoticeStatus.WITHDRAWN:
        raise Conflict("notice_withdrawn", _(MSG_WITHDRAWN), citation)
    if notice.status == NoticeStatus.DRAFT:
        raise Conflict("notice_not_published", _(MSG_NOT_PUBLISHED), citation)
    if notice.status == NoticeStatus.PUBLISHED and not (on and notice.is_due_to_close(on)):
        ends_on = f"{notice.ends_on.year}年{notice.ends_on.month}月{notice.ends_on.day}日"
        raise Conflict("notice_running", _(MSG_RUNNING) % {"ends_on": ends_on}, citation)
    unresolved = sum(1 for objection in objections if objection.status != ObjectionStatus.RESOLVED)
    if unresolved:
        raise Conflict("objection_unresolved", _(MSG_UNRESOLVED) % {"count": unresolved}, citation)
    if any(objection.finding == Finding.UPHELD for objection in objections):
        raise ProcedureError("objection_upheld", _(MSG_UPHELD), citation, status=409)
