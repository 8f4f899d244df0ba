"""A case as the generic subject page shows it (portal/surfaces/): its facts, and the
sections of its record (the steps done and to come, the dates ahead, the 全程纪实, the
personal file), each as rows the API and the printed page read, with the template that
shows it richer on the staff page; and what each step's form says of its rules."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflows.rules import get_rulebook

from . import forms as named_forms
from . import projection, selectors
from .models import Case
from .steps import AMENDS, CHECKLIST, EXITS, STEP_RULES, applicable_steps, step_name

# The side exits, and the corrections and hand-offs: offered apart from the next step.
SIDE = frozenset({*EXITS, *AMENDS})


def _day(value) -> str:
    return date_format(value, "Y年n月j日") if value else ""


def _earliest_act(case: Case):
    """The earliest date the next step's act may carry. The projection plans from today; an
    act is often entered days after it happened, so here it is counted from the last act."""
    projected = projection.project(case, today=case.last_act_on or case.applied_on, limit=1)
    return projected[0].earliest if projected else None


class _Blank(dict):
    def __missing__(self, key):
        return "…"


def hints(case: Case, code: str) -> dict:
    """The rules a step's form cites, and the earliest date its act may carry (none for a
    side exit: it may be taken any day)."""
    rulebook = get_rulebook(case.rulebook)
    citations = []
    for rule_id in STEP_RULES.get(code, ()):
        if rule_id in rulebook and rulebook.rule(rule_id).enabled:
            rule = rulebook.rule(rule_id)
            text = rule.message.split("，")[0].split("（")[0]
            citations.append(
                f"{text.format_map(_Blank(rule.params))}（{rule.citation(rulebook.key)}）"
            )
    return {
        "citations": citations,
        "earliest": None if code in SIDE else _earliest_act(case),
    }


def _facts(case: Case) -> list:
    facts = [
        (_("党支部"), case.branch.name),
        (_("规则集"), get_rulebook(case.rulebook).title),
        (_("流程规程"), case.get_variant_display()),
        (_("递交申请书"), _day(case.applied_on)),
    ]
    if case.probation_ends_on:
        extended = _("（已延长）") if case.probation_extended else ""
        facts.append((_("预备期满"), _day(case.probation_ends_on) + extended))
    if case.closed_reason:
        facts.append((_("终止原因"), case.closed_reason))
    return facts


def _progress(case: Case, upcoming) -> dict:
    steps = applicable_steps(
        variant=case.variant,
        candidate_notice="propose_candidate" in {p.code for p in upcoming}
        or case.records.filter(step="propose_candidate").exists(),
    )
    done = set(case.acts)  # returned or taken back: to be done again
    current = upcoming[0].code if upcoming else None
    chart = [{"step": s, "done": s.code in done, "current": s.code == current} for s in steps]
    states = {True: _("已办"), False: ""}
    return {
        "title": _("办理进度"),
        "columns": [_("序号"), _("步骤"), _("状态")],
        "rows": [
            [
                item["step"].number or "＋",
                item["step"].label,
                _("当前") if item["current"] else states[item["done"]],
            ]
            for item in chart
        ],
        "template": "membership/progress",
        "context": {"chart": chart, "case": case},
        "fold": True,
    }


def _ahead(upcoming) -> dict:
    rows = []
    for item in upcoming:
        earliest = _day(item.earliest) + (_("（暂定）") if item.provisional_years else "")
        deadline = _day(item.deadline) + (_("（已超期）") if item.overdue else "")
        number = f"{item.number}. " if item.number else ""
        rows.append([f"{number}{item.name}", earliest, deadline or "—"])
    return {
        "title": _("后续步骤推算"),
        "columns": [_("步骤"), _("最早合法日期"), _("期限")],
        "rows": rows,
        "template": "membership/ahead",
        "context": {"projection": upcoming},
        "fold": True,
    }


def _record(case: Case) -> dict:
    timeline = selectors.timeline(case)
    return {
        "title": _("全程纪实"),
        "columns": [_("发生日期"), _("事项"), _("经办人及身份"), _("录入时间")],
        "rows": [
            [
                _day(entry.on),
                entry.title,
                f"{entry.actor}（{entry.role}）" if entry.role else entry.actor,
                timezone.localtime(entry.entered_at).strftime("%Y-%m-%d %H:%M")
                if entry.entered_at
                else "—",
            ]
            for entry in timeline
        ],
        "template": "membership/record",
        "context": {"timeline": timeline},
        "fold": True,
    }


def _file(case: Case) -> dict:
    materials = list(case.materials.select_related("replaces").order_by("step", "kind", "pk"))
    replaced = {m.replaces_id for m in materials if m.replaces_id}
    present = {m.kind for m in materials}
    checklist = []
    for code, items in CHECKLIST.items():
        for kind, label in items:
            printable = kind in named_forms.FORMS and named_forms.FORMS[kind].available(case)
            checklist.append(
                {
                    "step_name": step_name(code),
                    "label": label,
                    "present": kind in present,
                    "kind": kind,
                    "printable": printable,
                }
            )
    return {
        "title": _("档案材料"),
        "columns": [_("步骤"), _("材料"), _("状态")],
        "rows": [
            [
                item["step_name"],
                item["label"],
                _("已存档") if item["present"] else _("缺"),
            ]
            for item in checklist
        ],
        "template": "membership/file",
        "context": {
            "checklist": checklist,
            "materials": [
                {
                    "material": m,
                    "step_name": step_name(m.step),
                    "reviewed_at": step_name(m.reviewed_at) if m.reviewed_at else "",
                    "replaced": m.pk in replaced,
                }
                for m in materials
            ],
            "case": case,
        },
        "fold": True,
    }


def case_page(case: Case, user, query) -> dict:
    upcoming = projection.project(case)
    return {
        "title": f"{case.person.name} · {case.get_status_display()}",
        "facts": _facts(case),
        "sections": [
            _progress(case, upcoming),
            *([_ahead(upcoming)] if upcoming else []),
            _record(case),
            _file(case),
        ],
    }
