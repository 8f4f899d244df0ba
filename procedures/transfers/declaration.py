"""A transfer's inputs as the surfaces take them: on a branch's 组织关系转接 page the
proposal of a new one (no transition: it opens the transfer), and on the transfer's page
each step's fields and the service that performs it. The staff forms, the API bodies and
their schema are built from these tables (portal/surfaces/step_inputs.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.meetings import belonging
from procedures.people.models import Organisation
from workflows import inputs as i
from workflows.errors import ProcedureError

from . import policy, services
from .models import TransferDesk
from .steps import BOOK

MSG_MONTH = gettext_noop("党费交至月份应写成“年-月”，如2026-11。")


def month(raw: str) -> date:
    """A month typed as 2026-11 (or 2026-11-01), as its first day."""
    found = i.month_of(raw)
    if found is None:
        raise ProcedureError("month", _(MSG_MONTH))
    return found


def members(desk: TransferDesk, on: date) -> list[tuple[int, str]]:
    """The branch's party members, and those on their way to membership, of the day."""
    return [
        (person.pk, f"{person.name}（{person.get_standing_display()}）")
        for person in belonging(desk, on, services.TRANSFERRED)
    ]


def branches(desk: TransferDesk, on: date) -> list[tuple[int, str]]:
    """The branches a member may move to: every village branch but this one, named with
    its township and county."""
    rows = (
        Organisation.objects.filter(kind=Organisation.Kind.VILLAGE_BRANCH)
        .exclude(pk=desk.pk)
        .select_related("parent__parent")
        .order_by("path")
    )
    return [(branch.pk, _full_name(branch)) for branch in rows]


def _full_name(branch: Organisation) -> str:
    names = [branch.name]
    up = branch.parent
    while up is not None and up.kind != Organisation.Kind.COUNTY_COMMITTEE:
        names.insert(0, up.name)
        up = up.parent if up.parent_id else None
    if up is not None:
        names.insert(0, up.name)
    return " / ".join(names)


def _may_propose(desk: TransferDesk, user) -> str | None:
    if desk.kind != Organisation.Kind.VILLAGE_BRANCH or not policy.may_propose(user, desk):
        return None
    return "提出转接"


DESK_INPUTS: dict[str, i.StepInput] = {
    "propose": i.StepInput(
        "propose",
        str(BOOK["propose"].label),
        (
            i.record("member", "党员或入党积极分子等", members),
            i.record("to_branch", "转入党支部", branches),
            i.text("reason", "转接原因（如：外出务工、婚嫁、迁居）", 300, blank=True),
            i.date("on", "提出日期", today=True),
        ),
        lambda desk, a, d: services.transfer_propose(
            actor=a,
            branch=desk,
            person_id=d["member"],
            to_branch_id=d["to_branch"],
            reason=d["reason"],
            on=d["on"],
        ),
        _may_propose,
    ),
}

REASON = i.text("reason", "理由", 300, blank=True)


def _answered(code: str, service) -> i.StepInput:
    return i.StepInput(
        code,
        str(BOOK[code].label),
        (i.date("on", "日期", today=True), REASON),
        lambda t, a, d: service(transfer_id=t.pk, actor=a, on=d["on"], reason=d["reason"]),
    )


STEP_INPUTS: dict[str, i.StepInput] = {
    "issue": i.StepInput(
        "issue",
        str(BOOK["issue"].label),
        (
            i.date("on", "开具日期", today=True),
            i.optional_number("valid_days", "有效期（天，不填按县委组织部规定）", 366),
            i.text("dues_paid_to", "党费交至（年-月，如2026-11）", 10),
        ),
        lambda t, a, d: services.transfer_issue(
            transfer_id=t.pk,
            actor=a,
            on=d["on"],
            valid_days=d.get("valid_days"),
            dues_paid_to=month(d["dues_paid_to"]),
        ),
    ),
    "accept": i.StepInput(
        "accept",
        str(BOOK["accept"].label),
        (
            i.date("on", "接收日期", today=True),
            i.text(
                "late_papers",
                "逾期接收：党支部证明和本人申请（有效期内接收不填）",
                300,
                optional=True,
            ),
        ),
        lambda t, a, d: services.transfer_accept(
            transfer_id=t.pk, actor=a, on=d["on"], late_papers=d.get("late_papers", "")
        ),
    ),
    "receipt": i.StepInput(
        "receipt",
        str(BOOK["receipt"].label),
        (i.date("on", "回执退回日期", today=True),),
        lambda t, a, d: services.transfer_receipt(transfer_id=t.pk, actor=a, on=d["on"]),
    ),
    "send_back": _answered("send_back", services.transfer_send_back),
    "refuse": _answered("refuse", services.transfer_refuse),
    "withdraw": _answered("withdraw", services.transfer_withdraw),
}
