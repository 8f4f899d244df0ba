"""组织关系转接: each step once (workflows.steps). The sending branch proposes, its township
(基层党委) issues the 介绍信, the receiving township accepts it (the member's organisation
changes that day, 条例 第二十五条), refuses it or returns it for correction, the sender may
withdraw it before acceptance, and the 回执 back to the issuing township closes it
(members-and-transfers.md T1–T7).

A step's role is a side and a level: `from:branch` is the sending branch's leaders,
`to:township` the township (or county) over the receiving branch (policy.permission_for)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows import steps as records

from . import policy


class Status(models.TextChoices):
    PROPOSED = "proposed", _("待开具")
    ISSUED = "issued", _("待接收")
    RETURNED = "returned", _("已退回待修改")
    ACCEPTED = "accepted", _("待回执")
    CLOSED = "closed", _("已办结")
    REFUSED = "refused", _("不予接收")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN = (Status.PROPOSED, Status.ISSUED, Status.RETURNED, Status.ACCEPTED)
ENDED = (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN)
BEFORE_ACCEPTANCE = (Status.PROPOSED, Status.ISSUED, Status.RETURNED)

BOOK = records.StepBook(
    (
        records.Step(
            "propose",
            "提出转接",
            policy.FROM_BRANCH,
            Status.PROPOSED,
            number=1,
            rules=("member_transfers",),
        ),
        records.Step(
            "issue",
            "开具介绍信",
            policy.FROM_TOWNSHIP,
            Status.ISSUED,
            source=(Status.PROPOSED, Status.RETURNED),
            number=2,
            rules=("member_transfers", "letter_validity", "dues_month"),
            sets=(
                "letter_year",
                "letter_number",
                "issued_by",
                "issued_on",
                "valid_days",
                "valid_until",
                "dues_paid_to",
                "member_kind",
            ),
        ),
        records.Step(
            "accept",
            "接收",
            policy.TO_TOWNSHIP,
            Status.ACCEPTED,
            source=(Status.ISSUED,),
            number=3,
            rules=("accept_within_validity",),
            sets=("accepted_on", "late_papers"),
            taken_back=False,  # the member has moved: a wrong acceptance is corrected apart
        ),
        records.Step(
            "receipt",
            "回执已退回",
            policy.FROM_TOWNSHIP,
            Status.CLOSED,
            source=(Status.ACCEPTED,),
            number=4,
            rules=("receipt_within",),
            sets=("receipt_on",),
        ),
        records.Step(
            "send_back",
            "退回修改",
            policy.TO_TOWNSHIP,
            Status.RETURNED,
            source=(Status.ISSUED,),
            exit=True,
            sets=("answer",),
        ),
        records.Step(
            "refuse",
            "不予接收",
            policy.TO_TOWNSHIP,
            Status.REFUSED,
            source=(Status.ISSUED,),
            exit=True,
            sets=("answer",),
            taken_back=False,
        ),
        records.Step(
            "withdraw",
            "撤回",
            policy.FROM_SIDE,
            Status.WITHDRAWN,
            source=BEFORE_ACCEPTANCE,
            exit=True,
            sets=("answer",),
            taken_back=False,
        ),
    ),
    permission_for=policy.permission_for,
)
