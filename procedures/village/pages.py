"""A village matter as the generic subject page shows it (portal/surfaces/): its facts
(what comes next, who may chair it, what is missing), and the sections of its record (its
meetings as they stand, the returns and corrections, the progress, its notices and how the
villagers came to know the result), each as rows the API and the printed page read, with
the template that shows it richer on the staff page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import policy, progress, selectors
from .declaration import AMENDS, EXITS
from .models import Matter
from .steps import READABLE

# The side exits, and the corrections and hand-offs: offered apart from the next step.
SIDE = frozenset({*EXITS, *AMENDS})


def _day(value) -> str:
    return date_format(value, "Y年n月j日") if value else ""


def _facts(matter: Matter, record: dict) -> list:
    upcoming = progress.next_step(matter)
    category = matter.get_category_display()
    if matter.reserved:
        category += _("（村民会议决定事项）")
    facts = [
        (_("村"), f"{matter.village.township.name} {matter.village.name}"),
        (_("工作法"), matter.get_method_display()),
        (_("类别"), category),
    ]
    if matter.description:
        facts.append((_("内容"), matter.description))
    if matter.closed_reason:
        facts.append((_("终止原因"), matter.closed_reason))
    chairs = "；" + _("可主持") + "：" + "、".join(upcoming.chairs) if upcoming.chairs else ""
    facts.append((_("下一步"), upcoming.label + chairs))
    if upcoming.missing:
        facts.append((_("尚缺"), "；".join(upcoming.missing)))
    plan = progress.villagers_meeting_plan(matter)
    if plan is not None:
        told = (
            _("已于%(day)s通知（%(how)s）")
            % {"day": _day(plan.announced_on), "how": plan.announced_how}
            if plan.announced_on
            else _("尚未通知村民")
        )
        facts.append((_("村民会议"), f"{_day(plan.planned_on)}，{plan.place}；{told}"))
    if record["read_count"]:
        counts = "，".join(f"{label}{n}户" for label, n in record["read_counts"])
        facts.append((_("户确认知晓"), counts))
    return facts


def _slips(matter: Matter) -> dict:
    """明白纸: one slip per household with the result and its code for saying it knows."""
    return {
        "title": _("明白纸"),
        "columns": [_("明白纸")],
        "rows": [[_("打印各户明白纸（含户码）")]],
        "template": "village/slips",
        "context": {"matter": matter},
    }


def _meetings(matter: Matter, held) -> dict:
    rows = []
    for h in held:
        m = h.meeting
        mark = {"returned": _("（已退回）"), "withdrawn": _("（已撤回）")}.get(h.mark, "")
        failed = "" if m.passed else _("未达到法定要求")
        votes = f"{m.yes}/{m.no}/{m.abstain}" if m.yes is not None else ""
        rows.append(
            [
                _day(h.held_on),
                f"{m.get_kind_display()}{failed}{mark}",
                f"{m.chair.name}（{m.chair_title}）",
                m.recorder.name + (_("（包村干部代记）") if m.recorder_stand_in else ""),
                f"{m.should_attend}/{m.attended}",
                votes,
            ]
        )
    return {
        "title": _("会议记录"),
        "columns": [_("日期"), _("会议"), _("主持人"), _("记录人"), _("应到/实到"), _("表决")],
        "rows": rows,
        "template": "village/meetings",
        "context": {"meetings": held, "matter": matter},
        "fold": True,
    }


def _amends(entries) -> dict:
    return {
        "title": _("退回、撤回、更正、催办、抄送"),
        "columns": [_("日期"), _("办理"), _("办理人"), _("录入时间")],
        "rows": [
            [
                _day(entry.on),
                entry.title,
                f"{entry.actor}（{entry.role}）" if entry.role else entry.actor,
                timezone.localtime(entry.entered_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for entry in entries
        ],
        "template": "village/amends",
        "context": {"amends": entries},
        "fold": True,
    }


def matter_page(matter: Matter, user, query) -> dict:
    record = selectors.record(matter)
    sections = [_meetings(matter, record["meetings"])]
    if matter.status in READABLE and policy.may_read_codes(user, matter.village):
        sections.insert(0, _slips(matter))
    if record["amends"]:
        sections.append(_amends(record["amends"]))
    if record["progress"]:
        sections.append(
            {
                "title": _("实施进展"),
                "columns": [_("日期"), _("进展")],
                "rows": [[_day(p.on), p.text] for p in record["progress"]],
            }
        )
    if record["notices"]:
        sections.append(
            {
                "title": _("公开"),
                "columns": [_("公示"), _("状态")],
                "rows": [[(n.title, n), n.get_status_display()] for n in record["notices"]],
            }
        )
    if record["acknowledgements"]:
        sections.append(
            {
                "title": _("知晓"),
                "columns": [_("日期"), _("方式")],
                "rows": [[_day(a.on), a.get_channel_display()] for a in record["acknowledgements"]],
            }
        )
    return {
        "title": f"{matter.title} · {matter.get_status_display()}",
        "facts": _facts(matter, record),
        "sections": sections,
    }
