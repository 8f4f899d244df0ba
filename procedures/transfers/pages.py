"""How a transfer and a desk read on the generic subject page: the letter's fields (T5),
what it waits for, and its record (全程纪实) from the audit chain; a desk's transfers out
and in, open first. The other side's people are never listed: a transfer shows its own
member, as the letter does."""

from __future__ import annotations

from django.utils import timezone

from procedures.people.models import Person
from workflows.audit import events_of, stream_of
from workflows.rules import get_rulebook

from . import selectors
from .models import Transfer, TransferDesk
from .rulebooks import TRANSFER_2019
from .steps import BOOK

DIGITS = "零壹贰叁肆伍陆柒捌玖"


def capital(number: int) -> str:
    """A count of days in capital numerals, as a letter writes its validity (30: 叁拾;
    15: 壹拾伍; 105: 壹佰零伍)."""
    if not 0 < number < 1000:
        raise ValueError(number)
    hundreds, tens, ones = number // 100, number // 10 % 10, number % 10
    out = ""
    if hundreds:
        out += DIGITS[hundreds] + "佰"
    if tens:
        out += DIGITS[tens] + "拾"
    elif hundreds and ones:
        out += "零"
    if ones:
        out += DIGITS[ones]
    return out


def candidate_warning() -> str:
    """T9: a 发展对象 moved is generally not admitted at once by the new branch."""
    rulebook = get_rulebook(TRANSFER_2019)
    rule = rulebook.rule("candidate_moving")
    return f"{rule.message.format_map(rule.params)}（{rulebook.citation('candidate_moving')}）"


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def letter_number(transfer: Transfer) -> str:
    if not transfer.letter_number:
        return ""
    return f"{transfer.issued_by.name}〔{transfer.letter_year}〕第{transfer.letter_number}号"


def transfer_page(transfer: Transfer, user, query) -> dict:
    person, today = transfer.person, timezone.localdate()
    on, waiting = transfer.issued_on or today, selectors.waiting(transfer, today)
    facts = [
        ("姓名", person.name),
        ("性别", person.get_gender_display()),
        ("年龄", f"{person.age_on(on)}岁"),
        ("民族", person.ethnicity),
        ("身份证号", person.masked_id_number),
        ("转出党支部", transfer.from_branch.name),
        ("转入党支部", transfer.to_branch.name),
        ("转接原因", transfer.reason),
        ("提出日期", _day(transfer.proposed_on)),
        ("当前", waiting),
    ]
    if transfer.letter_number:
        facts += [
            ("人员类别", transfer.get_member_kind_display()),
            ("介绍信", letter_number(transfer)),
            ("开具日期", _day(transfer.issued_on)),
            (
                "有效期",
                f"{capital(transfer.valid_days)}天（至{_day(transfer.valid_until)}）",
            ),
            ("党费交至", f"{transfer.dues_paid_to:%Y年%m月}"),
        ]
    if transfer.accepted_on:
        facts.append(("接收日期", _day(transfer.accepted_on)))
    if transfer.late_papers:
        facts.append(("逾期接收的证明材料", transfer.late_papers))
    if transfer.receipt_on:
        facts.append(("回执退回日期", _day(transfer.receipt_on)))
    if transfer.answer:
        facts.append(("理由", transfer.answer))
    if Person.Standing.CANDIDATE in (person.standing, transfer.member_kind):
        facts.append(("提示", candidate_warning()))
    events = events_of(stream_of(transfer))
    labels = {step.code: str(step.label) for step in BOOK.steps}
    return {
        "title": f"{person.name}组织关系转接 · {waiting}",
        "facts": facts,
        "sections": [
            {
                "title": "全程纪实",
                "columns": ["日期", "办理", "经办人"],
                "rows": [
                    [_day(e.act_date), labels.get(e.action, e.action), e.role or e.actor_name]
                    for e in events
                ],
            }
        ],
    }


COLUMNS = ["党员", "对方党支部", "当前", "介绍信", "有效期至", "提出日期"]


def _rows(transfers, today, *, outgoing: bool) -> list[list]:
    return [
        [
            (t.person.name, t),
            (t.to_branch if outgoing else t.from_branch).name,
            selectors.waiting(t, today),
            letter_number(t),
            _day(t.valid_until),
            _day(t.proposed_on),
        ]
        for t in transfers
    ]


def desk_page(desk: TransferDesk, user, query) -> dict:
    today = timezone.localdate()
    out, into = selectors.out_of(desk), selectors.into(desk)
    open_out = list(selectors.open_ones(out))
    open_in = list(selectors.open_ones(into))
    ended = sorted(
        {t.pk: t for t in [*selectors.ended_ones(out), *selectors.ended_ones(into)]}.values(),
        key=lambda t: (t.proposed_on, t.pk),
        reverse=True,
    )[:20]
    return {
        "title": f"{desk.name}：组织关系转接",
        "facts": [("转出未办结", f"{len(open_out)}件"), ("转入未办结", f"{len(open_in)}件")],
        "sections": [
            {
                "title": "转出（未办结）",
                "columns": COLUMNS,
                "rows": _rows(open_out, today, outgoing=True),
            },
            {
                "title": "转入（未办结）",
                "columns": COLUMNS,
                "rows": _rows(open_in, today, outgoing=False),
            },
            _year_section(desk, today.year),
            {
                "title": "近期已办结",
                "columns": ["党员", "转出党支部", "转入党支部", "结果", "提出日期"],
                "rows": [
                    [
                        (t.person.name, t),
                        t.from_branch.name,
                        t.to_branch.name,
                        t.get_status_display(),
                        _day(t.proposed_on),
                    ]
                    for t in ended
                ],
            },
        ],
    }


def _year_section(desk: TransferDesk, year: int) -> dict:
    whole, *units = selectors.year_counts(desk, year)
    rows = [[unit.name, received, sent] for unit, received, sent in units]
    rows.append([f"{desk.name}（合计）", whole[1], whole[2]])
    return {
        "title": f"{year}年转入转出人数",
        "columns": ["单位", "转入", "转出"],
        "rows": rows,
        "note": "按接收日期统计；在同一单位所属党支部之间转接的，不计入该单位的转入转出。",
    }
