"""党费: a payment recorded once, a correction as a new payment that supersedes it (the
superseded one stays in the record, marked 已更正), and the branch's decision on a member
flagged under 党章 第九条. The monthly ledger, the arrears and the flags are read from these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.meetings import party_members
from procedures.people.models import Organisation, Person
from procedures.people.procedure import PEOPLE
from workflows import pipeline
from workflows.audit import stream_of
from workflows.errors import NotAllowed, ProcedureError
from workflows.rules import get_rulebook

from .. import deadlines, policy
from ..models import DuesPayment, LapseDecision
from ..periods import add_months, month_start
from ..rulebooks import BRANCH_2018
from ..steps import DUES_BOOK
from .meetings import _check_branch, _require
from .procedure import MSG_RECORD_FORBIDDEN, BranchSteps

B = DuesPayment.Basis
MSG_NOT_FOUND = gettext_noop("没有找到该党费记录，或不在您的管理范围内。")
MSG_DECISION_NOT_FOUND = gettext_noop("没有找到该处理决定，或不在您的管理范围内。")
MSG_NOT_NOW = gettext_noop("该党费记录当前为“%(status)s”，现在不能%(step)s。")
MSG_FORBIDDEN = gettext_noop("%(step)s应由本支部书记、副书记、组织委员或第一书记办理。")
MSG_NOT_MEMBER = gettext_noop("所选人员不是本支部的党员（编号：%(id)s）。")
MSG_AMOUNT = gettext_noop("请填写正确的金额（元，最多两位小数）。")
MSG_EXEMPT = gettext_noop("免交党费须经支部同意：金额应为0，并写明理由。")
MSG_OVERLAP = gettext_noop(
    "%(name)s已交纳至%(last)s，与本次的月份重叠，请核对（需要更正请办理更正）。"
)
MSG_PAID_FUTURE = gettext_noop("交纳日期不能晚于今天。")
MSG_REASON = gettext_noop("请说明更正的原因。")
MSG_NOTE = gettext_noop("请写明处理决定的依据和说明。")
MSG_GROUND = gettext_noop("请选择情形。")
MSG_DECISION = gettext_noop("请选择支部的处理决定。")

STEP_LABELS = {
    **{step.code: step.label for step in DUES_BOOK.steps},
    "decide": "党章第九条处理决定",  # a decision of the branch, no step of the payment
}


class DuesSteps(BranchSteps):
    model = DuesPayment
    related = ("branch", "member")
    not_found = ("payment_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    labels = STEP_LABELS

    def follow(self, act: pipeline.Act) -> None:
        deadlines.sync_branch(act.subject.branch)

    def audit_payload(self, act: pipeline.Act) -> dict:
        return {"status": act.subject.status, "member": act.subject.member_id, **act.data}


class LapseSteps(BranchSteps):
    """The branch's decision under 党章第九条: made once, on the member's own stream (whoever
    reads his history reads it there), no step of a payment."""

    model = LapseDecision
    related = ("branch", "member")
    not_found = ("decision_not_found", MSG_DECISION_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    labels = STEP_LABELS
    actions = {"decide": "lapse_decision"}  # the name its readers know

    def stream(self, subject) -> str:
        return stream_of(subject.member)

    def follow(self, act: pipeline.Act) -> None:
        deadlines.sync_branch(act.subject.branch)  # the flag closes

    def audit_payload(self, act: pipeline.Act) -> dict:
        return dict(act.data)


DUES = DuesSteps()
LAPSES = LapseSteps()


@dataclass
class Payment:
    member_id: int
    first_month: date
    months: int
    amount: str | Decimal
    basis: str
    paid_on: date
    collector_id: int | None = None
    receipt_no: str = ""
    note: str = ""


def _member(branch: Organisation, member_id: int, on: date) -> Person:
    """A party member of the branch on `on` (a payment's day, a decision's day)."""
    member = next((p for p in party_members(branch, on) if p.pk == member_id), None)
    _require(member is not None, "not_a_member", MSG_NOT_MEMBER, id=member_id)
    return member


def _amount(raw) -> Decimal:
    try:
        amount = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ProcedureError("amount", _(MSG_AMOUNT)) from None
    _require(Decimal("0") <= amount <= Decimal("1000000"), "amount", MSG_AMOUNT)
    return amount


def _check(branch: Organisation, payment: Payment, *, replacing: DuesPayment | None = None):
    """The payment's own checks; returns (member, amount, first month)."""
    rulebook = get_rulebook(BRANCH_2018)
    _require(payment.paid_on <= timezone.localdate(), "paid_in_future", MSG_PAID_FUTURE)
    member = _member(branch, payment.member_id, payment.paid_on)
    amount = _amount(payment.amount)
    first = month_start(payment.first_month)
    rulebook.require(rulebook.check("dues_advance_limit", given=payment.months))
    if payment.basis == B.EXEMPT:
        _require(amount == 0 and bool(payment.note.strip()), "exempt", MSG_EXEMPT)
    elif payment.basis == B.RURAL:
        per_month = (amount / payment.months).quantize(Decimal("0.01"))
        rulebook.require(rulebook.check("rural_dues_standard", per_month=per_month))
    else:
        _require(payment.basis == B.INCOME and amount > 0, "amount", MSG_AMOUNT)
    last = add_months(first, payment.months - 1)
    overlapping = (
        DuesPayment.objects.select_for_update()
        .filter(branch=branch, member=member, status=DuesPayment.Status.VALID)
        .exclude(pk=getattr(replacing, "pk", None))
    )
    for other in overlapping:
        if other.first_month <= last and first <= other.last_month:
            raise ProcedureError(
                "months_overlap",
                _(MSG_OVERLAP) % {"name": member.name, "last": f"{other.last_month:%Y年%m月}"},
            )
    return member, amount, first


def _row(branch, payment: Payment, member, amount, first, actor, corrects=None) -> DuesPayment:
    return DuesPayment.objects.create(
        branch=branch,
        member=member,
        first_month=first,
        months=payment.months,
        amount=amount,
        basis=payment.basis,
        paid_on=payment.paid_on,
        collector_id=payment.collector_id,
        receipt_no=(payment.receipt_no or "").strip()[:40],
        note=(payment.note or "").strip()[:300],
        corrects=corrects,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def _data(row: DuesPayment) -> dict:
    return {
        "first_month": row.first_month,
        "months": row.months,
        "amount": str(row.amount),
        "basis": row.basis,
        "paid_on": row.paid_on,
        "collector": row.collector_id,
        "receipt_no": row.receipt_no,
        "note": row.note,
    }


@transaction.atomic
def dues_pay(*, actor, branch: Organisation, payment: Payment) -> DuesPayment:
    """A member's dues for whole months, with the receipt and who collected them."""
    _check_branch(actor, branch)
    member, amount, first = _check(branch, payment)
    row = _row(branch, payment, member, amount, first, actor)
    pipeline.started(DUES, row, "pay", actor=actor, act_date=payment.paid_on, data=_data(row))
    return row


@transaction.atomic
def dues_correct(*, payment_id: int, actor, payment: Payment, reason: str) -> DuesPayment:
    """更正: a new payment that supersedes a wrong one (which stays, marked 已更正)."""
    wrong = pipeline.begin(DUES, payment_id, "supersede", actor)
    _require(bool((reason or "").strip()), "reason_required", MSG_REASON)
    payment.member_id = wrong.member_id
    member, amount, first = _check(wrong.branch, payment, replacing=wrong)
    right = _row(wrong.branch, payment, member, amount, first, actor, corrects=wrong)
    pipeline.finish(
        DUES,
        wrong,
        "supersede",
        actor=actor,
        act_date=timezone.localdate(),
        data={"reason": reason.strip()[:300], "corrected_by": right.pk},
    )
    pipeline.started(
        DUES,
        right,
        "pay",
        actor=actor,
        act_date=payment.paid_on,
        data={**_data(right), "corrects": wrong.pk, "reason": reason.strip()[:300]},
    )
    return right


@transaction.atomic
def lapse_decide(
    *,
    actor,
    branch: Organisation,
    member_id: int,
    ground: str,
    decision: str,
    decided_on: date,
    note: str,
) -> LapseDecision:
    """The branch's decision on a member flagged under 党章 第九条, recorded (the flag then
    closes until the member falls behind again)."""
    if actor is not None and not policy.may_record(actor, branch):
        raise NotAllowed("life_forbidden", _(MSG_RECORD_FORBIDDEN))
    _require(decided_on <= timezone.localdate(), "date_in_future", MSG_PAID_FUTURE)
    member = _member(branch, member_id, decided_on)
    _require(ground in LapseDecision.Ground.values, "ground", MSG_GROUND)
    _require(decision in LapseDecision.Decision.values, "decision", MSG_DECISION)
    _require(bool((note or "").strip()), "note_required", MSG_NOTE)
    pipeline.hold(PEOPLE, member.pk, None)  # one decision on him at a time
    row = LapseDecision.objects.create(
        branch=branch,
        member=member,
        ground=ground,
        decision=decision,
        decided_on=decided_on,
        note=note.strip()[:500],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    pipeline.started(
        LAPSES,
        row,
        "decide",
        actor=actor,
        act_date=decided_on,
        data={"ground": ground, "decision": decision, "note": row.note, "branch": branch.pk},
    )
    return row
