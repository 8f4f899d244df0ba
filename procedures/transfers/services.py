"""A transfer's steps on the engine's pipeline: one service per step (lock, check, transition,
record, audit). The acceptance moves the member through `people.history` alone: his
organisation changes that day, and what follows him (an open development case) moves with
him in the same transaction, or the acceptance is refused."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import history, scopes
from procedures.people.meetings import organisation_on
from procedures.people.models import Organisation, Person
from procedures.people.procedure import ORGANISATIONS, PEOPLE
from workflows import pipeline
from workflows.errors import NotAllowed, NotFound, ProcedureError
from workflows.rules import get_rulebook

from . import policy
from .models import Transfer
from .procedure import TRANSFERS
from .rulebooks import TRANSFER_2019
from .steps import OPEN

MSG_PROPOSE_FORBIDDEN = gettext_noop("只有本支部书记、副书记、组织委员或第一书记可以提出转接。")
MSG_MEMBER_NOT_HERE = gettext_noop("没有找到该人员，或其组织关系当日不在本支部。")
MSG_TO_KIND = gettext_noop("请选择转入的村党支部。")
MSG_TO_SAME = gettext_noop("转入的党支部不能是本支部。")
MSG_OPEN = gettext_noop("%(name)s已有一件正在办理的组织关系转接（%(status)s），请先办结或撤回。")
MSG_REASON = gettext_noop("请填写转接原因。")
MSG_ANSWER = gettext_noop("请填写理由。")
MSG_BEFORE_PROPOSED = gettext_noop("日期不能早于提出转接的日期（%(previous)s）。")
MSG_BEFORE_ISSUED = gettext_noop("日期不能早于开具介绍信的日期（%(previous)s）。")
MSG_BEFORE_ACCEPTED = gettext_noop("日期不能早于接收的日期（%(previous)s）。")
MSG_NO_COMMITTEE = gettext_noop("转出党支部没有上级党委，不能开具介绍信。")
# Who may be transferred: party members, and those on their way whose file moves with them
# (细则 第十二条); the letter's kind is his standing (`Transfer.MemberKind` takes its values).
TRANSFERRED = frozenset(Transfer.MemberKind.values)


def _rules():
    return get_rulebook(TRANSFER_2019)


def _member_check(person: Person) -> list:
    return _rules().check(
        "member_transfers",
        member=person.standing in TRANSFERRED,
        name=person.name,
        standing=person.get_standing_display(),
    )


@transaction.atomic
def transfer_propose(
    *, actor, branch: Organisation, person_id: int, to_branch_id: int, reason: str, on: date
) -> Transfer:
    """The sending branch proposes to move one of its members to another branch."""
    if not policy.may_propose(actor, branch):
        raise NotAllowed("propose_forbidden", _(MSG_PROPOSE_FORBIDDEN))
    pipeline.check_act_date(on)
    person = Person.objects.filter(pk=person_id).first()
    held = organisation_on(person, on) if person is not None else None
    if held is None or scopes.scope_root(held).pk != branch.pk:
        raise NotFound("member_not_here", _(MSG_MEMBER_NOT_HERE))
    person = pipeline.hold(PEOPLE, person.pk, None)  # one open transfer at a time, below
    _rules().require(_member_check(person))
    to_branch = Organisation.objects.filter(
        pk=to_branch_id, kind=Organisation.Kind.VILLAGE_BRANCH
    ).first()
    if to_branch is None:
        raise ProcedureError("to_branch", _(MSG_TO_KIND))
    if to_branch.pk == branch.pk:
        raise ProcedureError("to_same", _(MSG_TO_SAME))
    if not reason.strip():
        raise ProcedureError("reason_required", _(MSG_REASON))
    current = Transfer.objects.filter(person=person, status__in=OPEN).first()
    if current is not None:
        raise ProcedureError(
            "transfer_open",
            _(MSG_OPEN) % {"name": person.name, "status": current.get_status_display()},
        )
    transfer = Transfer.objects.create(
        person=person,
        from_branch=branch,
        to_branch=to_branch,
        reason=reason.strip(),
        proposed_on=on,
        proposed_by=actor if getattr(actor, "pk", None) else None,
    )
    pipeline.started(
        TRANSFERS,
        transfer,
        "propose",
        actor=actor,
        act_date=on,
        data={"to": to_branch.pk, "reason": transfer.reason},
    )
    return transfer


def longest_validity(issued_on: date) -> int:
    """The most days a letter issued on `issued_on` may run (its first day the day of issue):
    up to the day before the same day `max_months` later."""
    months = _rules().param("letter_validity", "max_months")
    return (issued_on + relativedelta(months=months) - issued_on).days


def valid_until(issued_on: date, days: int) -> date:
    return issued_on + timedelta(days=days - 1)


@transaction.atomic
def transfer_issue(
    *, transfer_id: int, actor, on: date, valid_days: int | None, dues_paid_to: date
) -> Transfer:
    """The sending township issues the 介绍信: its number (per committee per year), its
    validity (the county's default when none is given) and the month dues are paid to."""
    transfer = pipeline.begin(TRANSFERS, transfer_id, "issue", actor)
    pipeline.check_act_date(on, previous=transfer.proposed_on, message=MSG_BEFORE_PROPOSED)
    rules = _rules()
    days = valid_days or rules.param("letter_validity", "days")
    dues = date(dues_paid_to.year, dues_paid_to.month, 1)
    ahead = (dues.year - on.year) * 12 + dues.month - on.month
    rules.require(
        _member_check(transfer.person),
        rules.check("letter_validity", valid_days=days, longest=longest_validity(on)),
        rules.check("dues_month", ahead=ahead, dues=f"{dues:%Y年%m月}"),
    )
    # What cannot go with him is said now, not at the acceptance (a probation run out).
    history.check_move(person_id=transfer.person_id, to=transfer.to_branch, on=on)
    committee = transfer.from_branch.parent
    if committee is None:
        raise ProcedureError("no_committee", _(MSG_NO_COMMITTEE))
    pipeline.hold(ORGANISATIONS, committee.pk, None)  # numbers of one committee, in turn
    last = (
        Transfer.objects.filter(issued_by=committee, letter_year=on.year)
        .order_by("-letter_number")
        .values_list("letter_number", flat=True)
        .first()
    )
    number = (last or 0) + 1
    pipeline.finish(
        TRANSFERS,
        transfer,
        "issue",
        actor=actor,
        act_date=on,
        data={"number": number, "valid_days": days, "dues_paid_to": f"{dues:%Y-%m}"},
        changes={
            "issued_by": committee,
            "letter_year": on.year,
            "letter_number": number,
            "issued_on": on,
            "valid_days": days,
            "valid_until": valid_until(on, days),
            "dues_paid_to": dues,
            "member_kind": Transfer.MemberKind(transfer.person.standing),
            "answer": "",
        },
    )
    return transfer


@transaction.atomic
def transfer_accept(*, transfer_id: int, actor, on: date, late_papers: str = "") -> Transfer:
    """The receiving township accepts: from `on` the member is the receiving branch's (the
    day before is the sending branch's last, 条例 第二十五条). After the letter's validity,
    only with the branch's certificate and the member's application recorded (T7)."""
    transfer = pipeline.begin(TRANSFERS, transfer_id, "accept", actor)
    pipeline.check_act_date(on, previous=transfer.issued_on, message=MSG_BEFORE_ISSUED)
    in_time = on <= transfer.valid_until
    papers = late_papers.strip()
    rules = _rules()
    rules.require(
        rules.check(
            "accept_within_validity",
            in_time=in_time,
            papers=bool(papers),
            valid_until=f"{transfer.valid_until:%Y-%m-%d}",
        )
    )
    history.membership_move(
        actor=actor,
        person=transfer.person,
        to=transfer.to_branch,
        on=on - timedelta(days=1),
        dues_paid_to=transfer.dues_paid_to,
    )
    pipeline.finish(
        TRANSFERS,
        transfer,
        "accept",
        actor=actor,
        act_date=on,
        data={"late_papers": papers} if not in_time else {},
        changes={"accepted_on": on, "late_papers": "" if in_time else papers},
    )
    return transfer


@transaction.atomic
def transfer_receipt(*, transfer_id: int, actor, on: date) -> Transfer:
    """The 回执 is back with the issuing township: the transfer is done. Later than the
    county's month after acceptance, it is recorded as late."""
    transfer = pipeline.begin(TRANSFERS, transfer_id, "receipt", actor)
    pipeline.check_act_date(on, previous=transfer.accepted_on, message=MSG_BEFORE_ACCEPTED)
    rules = _rules()
    due = transfer.accepted_on + relativedelta(months=rules.param("receipt_within", "months"))
    late = rules.require(
        rules.check(
            "receipt_within",
            in_time=on <= due,
            accepted_on=f"{transfer.accepted_on:%Y-%m-%d}",
        )
    )
    pipeline.finish(
        TRANSFERS, transfer, "receipt", actor=actor, act_date=on, late=late,
        changes={"receipt_on": on},
    )  # fmt: skip
    return transfer


def _answered(verb: str, *, transfer_id: int, actor, on: date, reason: str) -> Transfer:
    transfer = pipeline.begin(TRANSFERS, transfer_id, verb, actor)
    previous = transfer.issued_on or transfer.proposed_on
    message = MSG_BEFORE_ISSUED if transfer.issued_on else MSG_BEFORE_PROPOSED
    pipeline.check_act_date(on, previous=previous, message=message)
    if not reason.strip():
        raise ProcedureError("answer_required", _(MSG_ANSWER))
    pipeline.finish(
        TRANSFERS, transfer, verb, actor=actor, act_date=on, data={"reason": reason.strip()},
        changes={"answer": reason.strip()},
    )  # fmt: skip
    return transfer


@transaction.atomic
def transfer_send_back(*, transfer_id: int, actor, on: date, reason: str) -> Transfer:
    """退回修改: the receiving township returns the letter with its reason; the sending
    township issues a corrected one (a new number) or withdraws it."""
    return _answered("send_back", transfer_id=transfer_id, actor=actor, on=on, reason=reason)


@transaction.atomic
def transfer_refuse(*, transfer_id: int, actor, on: date, reason: str) -> Transfer:
    """不予接收, never without its reason (条例 第二十五条)."""
    return _answered("refuse", transfer_id=transfer_id, actor=actor, on=on, reason=reason)


@transaction.atomic
def transfer_withdraw(*, transfer_id: int, actor, on: date, reason: str) -> Transfer:
    """The sending side withdraws it before acceptance."""
    return _answered("withdraw", transfer_id=transfer_id, actor=actor, on=on, reason=reason)
