"""党费 and attendance under 党章 第九条, at their boundaries: the rural standard (0.2 to 1
yuan a month), a year in advance at most, 3 months unpaid reminded, 5, 6 and 7 months in a
row unpaid or absent without reason (flagged from six), corrections as new rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from procedures.branchlife import deadlines, services, standing
from procedures.branchlife.models import BranchLife, DuesPayment, LapseDecision
from procedures.branchlife.steps import Kind
from workflows import deadlines as rows
from workflows.audit import events_of, stream_of
from workflows.errors import ProcedureError

from ..membership.walk import world

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 15)  # the December of the tests; the current month may still be paid
R = DuesPayment.Basis


def pay(w, member, first: date, months: int, amount: str, basis=R.RURAL, note=""):
    return services.dues_pay(
        actor=w.secretary,
        branch=w.branch,
        payment=services.Payment(
            member_id=member.pk,
            first_month=first,
            months=months,
            amount=amount,
            basis=basis,
            paid_on=date(2026, 1, 10),
            collector_id=w.members[2].pk,
            receipt_no=f"R{member.pk}-{first:%Y%m}",
            note=note,
        ),
    )


def refused(call) -> ProcedureError:
    with pytest.raises(ProcedureError) as raised:
        call()
    return raised.value


@pytest.mark.parametrize(
    ("amount", "ok"), [("0.19", False), ("0.20", True), ("1.00", True), ("1.01", False)]
)
def test_a_rural_member_pays_between_two_jiao_and_one_yuan_a_month(amount, ok):
    w = world()
    call = lambda: pay(w, w.members[3], date(2026, 1, 1), 1, amount)
    if ok:
        assert call().amount == Decimal(amount)
    else:
        error = refused(call)
        assert error.code == "rural_dues_standard" and "党费规定" in error.message
        assert not DuesPayment.objects.exists()


@pytest.mark.parametrize(("months", "ok"), [(12, True), (13, False)])
def test_dues_are_paid_at_most_a_year_ahead(months, ok):
    w = world()
    call = lambda: pay(w, w.members[3], date(2026, 1, 1), months, str(Decimal("0.5") * months))
    if ok:
        assert call().last_month == date(2026, months, 1)
    else:
        assert refused(call).code == "dues_advance_limit"


def test_months_already_paid_are_refused_and_an_exemption_needs_its_reason():
    w = world()
    pay(w, w.members[3], date(2026, 1, 1), 6, "3.00")
    error = refused(lambda: pay(w, w.members[3], date(2026, 6, 1), 3, "1.50"))
    assert error.code == "months_overlap" and "2026年06月" in error.message
    assert refused(lambda: pay(w, w.members[4], date(2026, 1, 1), 3, "0", R.EXEMPT)).code == (
        "exempt"
    )
    exempt = pay(w, w.members[4], date(2026, 1, 1), 3, "0", R.EXEMPT, note="因病经支部同意免交")
    assert exempt.amount == 0


@pytest.mark.parametrize(
    ("paid_to_month", "behind", "reminded", "flagged"),
    [(9, 2, False, False), (8, 3, True, False), (6, 5, True, False), (5, 6, True, True),
     (4, 7, True, True)],
)  # fmt: skip
def test_months_unpaid_are_reminded_from_three_and_flagged_from_six(
    paid_to_month, behind, reminded, flagged
):
    w = world()
    member = w.members[5]
    pay(w, member, date(2026, 1, 1), paid_to_month, str(Decimal("0.5") * paid_to_month))
    [mine] = [a for a in standing.arrears(w.branch, TODAY) if a.member == member]
    assert mine.months == behind
    keys = {row.key for row in _rows(w)}
    assert (f"dues:{member.pk}" in keys) is reminded
    assert (f"lapse:dues:{member.pk}" in keys) is flagged


def _rows(w):
    deadlines.sync_branch(w.branch, today=TODAY)
    return rows.open_for(BranchLife.objects.get(branch=w.branch))


def test_a_correction_is_a_new_row_and_the_wrong_one_stays_superseded():
    w = world()
    wrong = pay(w, w.members[3], date(2026, 1, 1), 6, "3.00")
    right = services.dues_correct(
        payment_id=wrong.pk,
        actor=w.secretary,
        reason="收据金额登记错误",
        payment=services.Payment(
            member_id=0,  # taken from the payment corrected
            first_month=date(2026, 1, 1),
            months=6,
            amount="6.00",
            basis=R.RURAL,
            paid_on=date(2026, 1, 10),
        ),
    )
    wrong.refresh_from_db(fields=["status"]) if False else None
    assert DuesPayment.objects.get(pk=wrong.pk).status == DuesPayment.Status.SUPERSEDED
    assert right.corrects_id == wrong.pk and right.member_id == wrong.member_id
    assert [e.action for e in events_of(stream_of(wrong))] == ["pay", "supersede"]
    assert events_of(stream_of(wrong))[-1].payload["reason"] == "收据金额登记错误"
    assert next(m for m, _n, amount in standing.monthly_dues(w.branch, 2026) if amount) == (
        date(2026, 1, 1)
    )
    assert standing.monthly_dues(w.branch, 2026)[0][2] == Decimal("1.00")  # 6.00 over 6 months
    again = refused(
        lambda: services.dues_correct(
            payment_id=wrong.pk,
            actor=w.secretary,
            reason="再次更正",
            payment=services.Payment(0, date(2026, 1, 1), 6, "3.00", R.RURAL, date(2026, 1, 10)),
        )
    )
    assert again.code == "step_not_available"


def _theme_day(w, held_on: date, present):
    services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind=Kind.THEME_DAY,
        minutes=services.Minutes(
            held_on=held_on,
            topic="主题党日",
            summary="学习。",
            place="村部",
            chair_id=w.members[0].pk,
            present_ids=[m.pk for m in present],
        ),
    )


@pytest.mark.parametrize(
    ("last_present", "months", "flagged"), [(6, 5, False), (5, 6, True), (4, 7, True)]
)
def test_months_absent_without_reason_are_flagged_from_six(last_present, months, flagged):
    w = world()
    member = w.members[8]
    for month in range(1, 12):
        present = w.members[:6] + ([member] if month <= last_present else [])
        _theme_day(w, date(2026, month, 12), present)
    [mine] = [a for a in standing.absences(w.branch, TODAY) if a.member == member]
    assert mine.months == months
    keys = {row.key for row in _rows(w)}
    assert (f"lapse:absence:{member.pk}" in keys) is flagged


def test_a_month_on_leave_breaks_the_run_and_the_branch_s_decision_closes_the_flag():
    w = world()
    member = w.members[8]
    for month in range(1, 12):
        _theme_day(w, date(2026, month, 12), w.members[:6])
    assert {f.member for f in standing.flags(w.branch, TODAY)} >= {member}
    services.lapse_decide(
        actor=w.secretary,
        branch=w.branch,
        member_id=member.pk,
        ground=LapseDecision.Ground.ABSENCE,
        decision=LapseDecision.Decision.REASON_FOUND,
        decided_on=date(2026, 12, 1),
        note="外出务工，已书面请假，补登",
    )
    assert member not in {f.member for f in standing.flags(w.branch, TODAY)}
    assert f"lapse:absence:{member.pk}" not in {row.key for row in _rows(w)}
    assert [e.action for e in events_of(stream_of(member))][-1] == "lapse_decision"
