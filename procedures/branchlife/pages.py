"""How the branch's 工作手册 and one record read, for the portal's generic subject page and
API: {"title", "facts": [(label, value)], "sections": [{"title", "columns", "rows"}]}. A cell
may be (text, record): the portal links the record's page; no address is made here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from procedures.people import agenda
from procedures.people.models import Organisation
from workflows.audit import events_of, stream_of

from . import ledger, selectors, standing
from .models import BranchLife, BranchMeeting, DuesPayment, LapseDecision
from .periods import add_months
from .services.dues import STEP_LABELS as DUES_LABELS
from .services.procedure import STEP_LABELS
from .steps import LEDGER_ORDER, Kind


def _year(query) -> int:
    raw = str(query.get("year", "")) if query is not None else ""
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year


def _flag(query, name: str, value: str) -> bool:
    return query is not None and str(query.get(name, "")) == value


def ledger_page(life: BranchLife, user, query) -> dict:
    branch, year = life.branch, _year(query)
    year_lines = ledger.lines(branch, date(year, 1, 1), date(year, 12, 31))
    done = ledger.completion(branch, year, year_lines=year_lines)
    sections = [
        {
            "title": "完成情况（凡评必审）",
            "note": "按规定频次：已到期（或已召开）的周期中召开过的周期数；"
            "村级事务的党员大会（审议）和支委会（提议）一并计入。",
            "columns": ["类别", "频次", "已召开（次）", "应召开周期", "完成周期", "未召开的周期"],
            "rows": [
                [
                    row.kind_label,
                    f"每{row.months}个月" if row.months else "未设定",
                    row.held,
                    row.due,
                    row.met,
                    "、".join(row.missing) or "—",
                ]
                for row in done
            ],
        },
        {
            "title": "预约报备",
            "columns": ["预约日期", "类别", "主题", "状态"],
            "rows": [
                [p.planned_on, p.get_kind_display(), (p.topic, p), p.get_status_display()]
                for p in selectors.plans(branch, year)
            ],
        },
    ]
    for kind in LEDGER_ORDER:
        rows = [
            [
                line.day,
                line.topic,
                f"{line.should_attend}/{line.attended}",
                (line.source, line.page),
            ]
            for line in year_lines
            if line.kind == kind
        ]
        sections.append(
            {
                "title": str(Kind(kind).label),
                "columns": ["日期", "主题", "应到/实到", "来源"],
                "rows": rows,
            }
        )
    sections += _dues_sections(branch, year, every_payment=_flag(query, "payments", "all"))
    sections.append(
        {
            "title": "党员参加组织生活情况（凡评必审）",
            "columns": ["党员", "应参加（次）", "出席", "请假", "无故缺席", "出席率"],
            "rows": [
                [a.member.name, a.expected, a.present, a.leave, a.absent, a.rate]
                for a in standing.attendance(branch, year)
            ],
        }
    )
    met = sum(row.met for row in done)
    due = sum(row.due for row in done)
    return {
        "title": f"{branch.name}工作手册（{year}年）",
        "facts": [
            ("党支部", branch.name),
            ("年度", f"{year}年"),
            ("组织生活完成情况", f"应召开{due}个周期，已完成{met}个"),
        ],
        "sections": sections,
    }


def _payments_section(branch, year: int, payments, every_payment: bool) -> dict:
    """Each payment of the year when asked for (?payments=all, and so in what is printed
    from that page); otherwise one line per member, so that a year of a large branch's
    payments keeps the page small on a phone."""
    if every_payment:
        return {
            "title": "党费交纳记录（全年每一笔）",
            "columns": ["交纳日期", "党员", "所交月份", "金额（元）", "收缴人", "收据号", "状态"],
            "rows": [
                [
                    p.paid_on,
                    p.member.name,
                    (f"{p.first_month:%Y年%m月}起{p.months}个月", p),
                    p.amount,
                    p.collector.name if p.collector else "—",
                    p.receipt_no or "—",
                    p.get_status_display(),
                ]
                for p in payments
            ],
        }
    members: dict[int, list[DuesPayment]] = {}
    for p in payments:
        if p.status == DuesPayment.Status.VALID:
            members.setdefault(p.member_id, []).append(p)
    rows = []
    for paid in members.values():
        last = max(paid, key=lambda p: (p.paid_on, p.pk))
        through = max(add_months(p.first_month, p.months - 1) for p in paid)
        rows.append(
            [
                last.member.name,
                len(paid),
                sum((p.amount for p in paid), Decimal("0")),
                f"{through:%Y年%m月}",
                (f"{last.paid_on:%Y-%m-%d}", last),
            ]
        )
    rows.sort(key=lambda row: row[0])
    return {
        "title": "党费交纳情况（按党员）",
        "note": f"{year}年有效的交纳记录，按党员汇总。",
        "more": ("查看全年每一笔（可打印）", f"year={year}&payments=all"),
        "columns": ["党员", "本年交纳（笔）", "金额（元）", "已交至", "最近一笔"],
        "rows": rows,
    }


def _dues_sections(branch, year: int, *, every_payment: bool = False) -> list[dict]:
    today = timezone.localdate()
    start = standing.tracking_start(branch)
    arrears = standing.arrears(branch, today)
    behind = [a for a in arrears if a.months]
    flags = standing.flags(branch, today, behind=arrears)
    decisions = LapseDecision.objects.filter(branch=branch, decided_on__year=year).select_related(
        "member"
    )
    payments = DuesPayment.objects.filter(branch=branch, paid_on__year=year).select_related(
        "member", "collector"
    )
    return [
        {
            "title": "党费收缴（按月）",
            "note": "每笔党费按所交月数平均计入各月；已更正的记录不计。"
            if start
            else "本支部尚未在本系统登记党费。",
            "columns": ["月份", "交纳人数", "金额（元）"],
            "rows": [
                [f"{m:%Y年%m月}", n, amount] for m, n, amount in standing.monthly_dues(branch, year)
            ],
        },
        _payments_section(branch, year, payments, every_payment),
        {
            "title": "未按月交纳党费的党员",
            "columns": ["党员", "连续未交（月）", "自"],
            "rows": [[a.member.name, a.months, f"{a.since:%Y年%m月}"] for a in behind],
        },
        {
            "title": "党章第九条提示（支部研究处理）",
            "note": "连续六个月不交纳党费或不参加组织生活、没有正当理由的，由支部研究处理；"
            "系统只提示和记录，处理决定由支部作出。",
            "columns": ["党员", "情形", "连续（月）", "自"],
            "rows": [
                [
                    f.member.name,
                    LapseDecision.Ground(f.ground).label,
                    f.months,
                    f"{f.since:%Y年%m月}",
                ]
                for f in flags
            ],
        },
        {
            "title": "处理决定",
            "columns": ["决定日期", "党员", "情形", "决定", "说明"],
            "rows": [_decision_row(d) for d in decisions],
        },
    ]


def _history(record, labels: dict) -> dict:
    """The record's audit events: who did what when; never edited."""
    return {
        "title": "办理记录",
        "note": "审计记录，不可修改；更正以新的记录办理，原记录保留。",
        "columns": ["日期", "办理", "办理人"],
        "rows": [_event_row(e, labels) for e in events_of(stream_of(record))],
    }


def _decision_row(d: LapseDecision) -> list:
    return [d.decided_on, d.member.name, d.get_ground_display(), d.get_decision_display(), d.note]


def _event_row(event, labels: dict) -> list:
    when = event.act_date or event.recorded_at.date()
    return [when, labels.get(event.action, event.action), event.role or "—"]


def payment_page(payment: DuesPayment, user, query) -> dict:
    facts = [
        ("党支部", (payment.branch.name, BranchLife(branch=payment.branch))),
        ("党员", payment.member.name),
        ("所交月份", f"{payment.first_month:%Y年%m月}起{payment.months}个月"),
        ("金额（元）", payment.amount),
        ("交纳标准", payment.get_basis_display()),
        ("交纳日期", payment.paid_on),
        ("收缴人", payment.collector.name if payment.collector else "—"),
        ("收据号", payment.receipt_no or "—"),
        ("说明", payment.note or "—"),
        ("状态", payment.get_status_display()),
    ]
    if payment.corrects_id:
        facts.append(("更正的记录", (f"第{payment.corrects_id}号", payment.corrects)))
    for later in payment.corrections.all():
        facts.append(("更正为", (f"第{later.pk}号", later)))
    return {
        "title": f"党费交纳记录第{payment.pk}号",
        "facts": facts,
        "sections": [
            _history(payment, DUES_LABELS),
        ],
    }


def township_page(township, user, query) -> dict:
    """Branch by branch: the year's organisational life held against due, plans overdue,
    dues collected, members behind and flagged (the township's roll-up)."""

    year, today = _year(query), timezone.localdate()
    branches = Organisation.objects.filter(
        kind=Organisation.Kind.VILLAGE_BRANCH, path__startswith=township.path
    ).order_by("path")
    rows = []
    for branch in branches:
        done = ledger.completion(branch, year, today=today)
        overdue_plans = selectors.plans(branch, year).filter(status="planned", planned_on__lt=today)
        dues = sum((amount for _m, _n, amount in standing.monthly_dues(branch, year)), 0)
        arrears = standing.arrears(branch, today)
        behind = sum(1 for a in arrears if a.months >= 3)
        rows.append(
            [
                (branch.name, BranchLife(branch=branch)),
                f"{sum(r.met for r in done)}/{sum(r.due for r in done)}",
                "、".join(r.kind_label for r in done if r.missing) or "—",
                overdue_plans.count(),
                dues,
                behind,
                len(standing.flags(branch, today, behind=arrears)),
            ]
        )
    return {
        "title": f"{township.name}：各村党支部工作手册汇总（{year}年）",
        "facts": [("乡镇党委", township.name), ("年度", f"{year}年"), ("党支部", len(rows))],
        "sections": [
            {
                "title": "各党支部",
                "note": "完成周期 = 已到期（或已召开）周期中召开过的；党费按所交月份计入。",
                "columns": [
                    "党支部",
                    "完成周期/应召开",
                    "有未召开周期的类别",
                    "超期未登记的预约",
                    "党费（元）",
                    "欠交3个月以上（人）",
                    "党章第九条提示（人）",
                ],
                "rows": rows,
            }
        ],
    }


def _name(person) -> str:
    return person.name if person is not None else "—"


def _amended(meeting: BranchMeeting) -> list:
    """As the paper record would show it: a correction note on both records (the
    corrected one stays, with its own date), and why a record was taken back."""
    facts = []
    events = {e.action: e for e in events_of(stream_of(meeting))}
    if meeting.corrects_id:
        wrong, note = meeting.corrects, events.get("corrected")
        facts.append(
            ("更正的记录", (f"第{wrong.pk}号（原召开日期{wrong.held_on:%Y-%m-%d}）", wrong))
        )
        if note is not None:
            facts.append(("更正理由", note.payload.get("reason", "")))
            facts.append(("批准更正", note.role or "—"))
    for right in meeting.corrections.all():
        facts.append(("已更正为", (f"第{right.pk}号（召开日期{right.held_on:%Y-%m-%d}）", right)))
    if "take_back" in events:
        facts.append(("撤回理由", events["take_back"].payload.get("reason", "")))
    return facts


def meeting_page(meeting: BranchMeeting, user, query) -> dict:
    facts = [
        ("党支部", (meeting.branch.name, BranchLife(branch=meeting.branch))),
        ("类别", meeting.get_kind_display()),
        ("状态", meeting.get_status_display()),
        ("主题", meeting.topic),
    ]
    if meeting.planned_on:
        facts.append(("预约日期", meeting.planned_on))
    if meeting.held_on:
        facts += [
            ("召开日期", meeting.held_on),
            ("地点", meeting.place or "—"),
            ("主持人", _name(meeting.chair)),
            ("记录人", _name(meeting.recorder)),
            ("应到/实到", f"{meeting.should_attend}/{meeting.attended}"),
            ("内容摘要", meeting.summary),
            ("议定事项", meeting.decisions or "—"),
        ]
    if meeting.group_id:
        facts.append(("党小组", meeting.group.name))
    if meeting.carried_id:
        carried = meeting.carried
        facts.append(("议事事项", (agenda.named(carried), carried)))
    if meeting.cancelled_reason:
        facts.append(("取消原因", meeting.cancelled_reason))
    facts += _amended(meeting)
    rows = meeting.attendance.select_related("person").order_by("presence", "person__name")
    return {
        "title": f"{meeting.get_kind_display()}：{meeting.topic}",
        "facts": facts,
        "sections": [
            {
                "title": "出席情况",
                "columns": ["姓名", "出席情况", "请假事由", "评议结果"],
                "rows": [
                    [
                        r.person.name,
                        r.get_presence_display(),
                        r.reason or "—",
                        r.get_grade_display() or "—",
                    ]
                    for r in rows
                ],
            },
            {
                "title": "附件",
                "columns": ["文件", "类型", "上传时间"],
                "rows": [
                    [(a.name, a), a.content_type, timezone.localtime(a.uploaded_at).date()]
                    for a in meeting.attachments.all()
                ],
            },
            _history(meeting, STEP_LABELS),
        ],
    }


def carried_section(record, user) -> dict | None:
    """The branch's 主题党日 that carried `record` (a village matter's 民主议事): one record,
    shown on the record's page too."""
    held = list(selectors.meetings_carrying(record))
    if not held:
        return None
    return {
        "title": "主题党日民主议事",
        "columns": ["日期", "主题", "应到", "实到"],
        "rows": [
            [f"{m.held_on:%Y-%m-%d}", (m.topic, m), m.should_attend, m.attended] for m in held
        ],
    }
