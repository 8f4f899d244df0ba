"""What the named forms share: the form's declaration (its material, the steps it is
printed and filed at, its builder) and the pieces several forms write (the person,
the observations, a vote's tally)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from workflows.printed import fact, section, signatures, text

from ..models import Case


@dataclass(frozen=True)
class Form:
    kind: str  # the checklist's material it is filed back as
    title: str
    step: str  # the step whose materials it belongs to
    after: str | None  # the step that must stand done before it can be filled (None: any time)
    build: Callable[[Case], dict]

    def available(self, case: Case) -> bool:
        return self.after is None or self.after in case.acts


def _data(case: Case, step: str) -> dict:
    """The data of the standing record of `step` (its latest), or {}."""
    if step not in case.acts:
        return {}
    record = case.records.filter(step=step, outcome="done").order_by("-act_date", "-pk").first()
    return dict(record.data or {}) if record else {}


def _names(value) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(name) for name in value)
    return text(value)


def _person(case: Case) -> list[dict]:
    person = case.person
    return [
        fact("姓名", person.name),
        fact("性别", person.get_gender_display()),
        fact("民族", person.ethnicity),
        fact("出生日期", person.birth_date),
        fact("学历", person.get_education_display()),
        fact("职业", person.get_occupation_display()),
        fact("所在党支部", case.branch.name),
    ]


def _observations(case: Case, kind: str, *, since: date | None = None) -> list[list]:
    rows = case.observations.filter(kind=kind).order_by("on", "pk")
    if since is not None:
        rows = rows.filter(on__gte=since)
    return [[row.on, row.summary] for row in rows]


def _vote(case: Case, step: str, title: str) -> dict:
    data = _data(case, step)
    facts = [*_person(case)[:1], fact("党支部", case.branch.name)]
    rows = [
        ["应到会有表决权的正式党员", data.get("eligible")],
        ["实到会有表决权的正式党员", data.get("present")],
        ["赞成票（含书面意见）", data.get("yes_total", data.get("yes"))],
        ["不赞成票", data.get("no")],
        ["弃权票", data.get("abstain")],
        ["超过应到会人数半数所需票数", data.get("needed")],
        ["表决结果", "通过" if data.get("passed") else ("未通过" if data else "")],
    ]
    return {
        "title": title,
        "facts": [*facts, fact("会议日期", case.acts.get(step))],
        "paragraphs": [
            "支部大会采取无记名投票方式表决，赞成人数超过应到会有表决权的正式党员的半数，方能通过。"
        ],
        "sections": [
            section("票决情况", ["项目", "人数"], rows),
            signatures("会议主持人", "计票人", "监票人"),
        ],
    }
