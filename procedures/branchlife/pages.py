"""How the branch's 工作手册 and one record read, for the portal's generic subject page and
API: {"title", "facts": [(label, value)], "sections": [{"title", "columns", "rows"}]}. A cell
may be (text, record): the portal links the record's page; no address is made here."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from workflows.audit import events_of, stream_of

from . import ledger, selectors
from .models import BranchLife, BranchMeeting
from .services.meetings import STEP_LABELS
from .steps import LEDGER_ORDER, Kind


def _year(query) -> int:
    raw = str(query.get("year", "")) if query is not None else ""
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year


def _source(line: ledger.Line):
    """The line's record, to link: a village matter's meeting links its matter, member
    development's 支部大会 the (first) case it voted on."""
    record = line.record
    if isinstance(record, BranchMeeting):
        return record
    if hasattr(record, "ballots"):
        ballot = next(iter(record.ballots.all()), None)
        return ballot.case if ballot else None
    return getattr(record, "matter", None)


def ledger_page(life: BranchLife, user, query) -> dict:
    branch, year = life.branch, _year(query)
    done = ledger.completion(branch, year)
    year_lines = ledger.lines(branch, date(year, 1, 1), date(year, 12, 31))
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
                (line.source, _source(line)),
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
    met = sum(row.met for row in done)
    due = sum(row.due for row in done)
    return {
        "title": f"{branch.name}党支部工作手册（{year}年）",
        "facts": [
            ("党支部", branch.name),
            ("年度", f"{year}年"),
            ("组织生活完成情况", f"应召开{due}个周期，已完成{met}个"),
        ],
        "sections": sections,
    }


def _name(person) -> str:
    return person.name if person is not None else "—"


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
    if meeting.matter_id:
        facts.append(("议事事项", (meeting.matter.title, meeting.matter)))
    if meeting.cancelled_reason:
        facts.append(("取消原因", meeting.cancelled_reason))
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
                "title": "办理记录",
                "note": "审计记录，不可修改；更正以新的记录办理。",
                "columns": ["日期", "办理", "办理人"],
                "rows": [
                    [
                        e.act_date or e.recorded_at.date(),
                        STEP_LABELS.get(e.action, e.action),
                        e.role or "—",
                    ]
                    for e in events_of(stream_of(meeting))
                ],
            },
        ],
    }
