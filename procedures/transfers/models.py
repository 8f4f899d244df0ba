"""A transfer of a member's organisational relation (组织关系转接) and its 介绍信: from whom,
to where, the letter's number and validity, and each side's dates. The member's
organisation changes only when the receiving side accepts (`people.history`); until then
the sending branch answers for him (条例 第二十五条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from procedures.people.models import Organisation, Person

from .steps import BOOK, Status


class Transfer(ConcurrentTransitionMixin, models.Model):
    class MemberKind(models.TextChoices):
        FULL = "full", _("正式党员")
        PROBATIONARY = "probationary", _("预备党员")
        # Those on the way move with their development file (细则 第十二条).
        APPLICANT = "applicant", _("入党申请人")
        ACTIVIST = "activist", _("入党积极分子")
        CANDIDATE = "candidate", _("发展对象")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    from_branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("转出党支部")
    )
    to_branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("转入党支部")
    )
    reason = models.CharField(_("转接原因"), max_length=300)
    proposed_on = models.DateField(_("提出日期"))
    status = FSMField(_("状态"), default=Status.PROPOSED, choices=Status.choices, protected=True)

    # The 介绍信 (T5): numbered per issuing committee per year.
    issued_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("开具介绍信的党委"),
    )
    letter_year = models.PositiveSmallIntegerField(_("介绍信年份"), null=True, blank=True)
    letter_number = models.PositiveIntegerField(_("介绍信编号"), null=True, blank=True)
    issued_on = models.DateField(_("开具日期"), null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("有效期（天）"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    dues_paid_to = models.DateField(_("党费交至（月）"), null=True, blank=True)
    member_kind = models.CharField(
        _("人员类别"), max_length=20, choices=MemberKind.choices, blank=True
    )

    accepted_on = models.DateField(_("接收日期"), null=True, blank=True)
    # Accepted after the letter's validity: the branch's certificate and the member's own
    # application, as recorded (T7).
    late_papers = models.CharField(_("逾期接收的证明材料"), max_length=300, blank=True)
    receipt_on = models.DateField(_("回执退回日期"), null=True, blank=True)
    # Why it was sent back, refused or withdrawn (compulsory for each).
    answer = models.CharField(_("退回、不予接收或撤回的理由"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_by", "letter_year", "letter_number"],
                name="one_letter_number_per_committee_year",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["proposed", "issued", "returned", "accepted"]),
                name="one_open_transfer_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="transfer_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}：{self.from_branch.name}→{self.to_branch.name}"

    def __repr__(self) -> str:
        return f"<Transfer {self.pk} {self.status}>"

    @BOOK.transition("issue")
    def issue(self):
        pass

    @BOOK.transition("accept")
    def accept(self):
        pass

    @BOOK.transition("receipt")
    def receipt(self):
        pass

    @BOOK.transition("send_back")
    def send_back(self):
        pass

    @BOOK.transition("refuse")
    def refuse(self):
        pass

    @BOOK.transition("withdraw")
    def withdraw(self):
        pass


class TransferDesk(Organisation):
    """An organisation's 组织关系转接 page (a proxy of it): its transfers out and in, each
    with what it waits for, and the branch's proposal of a new one."""

    class Meta:
        proxy = True
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
