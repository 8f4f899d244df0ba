"""The minutes of a village matter's meetings (提议、商议、审议、决议记录), filled from the meeting
as it stands (its date as corrected, 已退回/已撤回 said): to print, sign and keep with the
village's records. The 公开 is the public notice's own A4 PDF (portal.public.pdf)."""

from __future__ import annotations

from workflows.printed import cells, fact, signatures, text

from .models import Matter
from .services.corrections import Held, meetings
from .steps import Step

TEMPLATE_KEY = "form-village-minutes"


def held(matter: Matter, meeting_id: int) -> Held | None:
    return next((h for h in meetings(matter) if h.meeting.pk == meeting_id), None)


def minutes(matter: Matter, h: Held) -> dict:
    m = h.meeting
    short = str(Step(m.step).label).split("（")[0]  # 提议, 商议, 审议, 决议
    recorder = m.recorder.name + ("（包村干部代为记录）" if m.recorder_stand_in else "")
    present = "、".join(person.name for person in m.attendees.order_by("pk"))
    facts = [
        fact("事项", matter.title),
        fact("行政村", matter.village.name),
        fact("会议", m.get_kind_display()),
        fact("日期", h.held_on),
        fact("地点", m.place),
        fact("主持人", f"{m.chair.name}（{m.chair_title}）"),
        fact("记录人", recorder),
        fact("应到", m.should_attend),
        fact("实到", m.attended),
    ]
    if m.households_present is not None:
        facts.append(fact("到会户代表", m.households_present))
    if present:
        facts.append(fact("到会人员", present))
    paragraphs = [f"议题：{text(m.proposal or matter.description)}", f"议定事项：{text(m.outcome)}"]
    if h.corrections:
        fix = h.corrections[-1]
        paragraphs.append(f"本次会议日期已更正（原记录{text(m.held_on)}），理由：{fix.reason}。")
    if h.mark:
        paragraphs.append("本记录已被退回或撤回，不再作为办理依据。")
    sections = []
    if m.yes is not None:
        sections.append(
            {
                "title": "表决",
                "note": "",
                "columns": ["同意", "不同意", "弃权", "结果"],
                "rows": [cells(m.yes, m.no, m.abstain, "通过" if m.passed else "未通过")],
            }
        )
    sections.append(signatures("主持人", "记录人"))
    return {
        "title": f"《{matter.village.name}村级事务{short}会议记录》",
        "facts": facts,
        "paragraphs": paragraphs,
        "sections": sections,
    }
