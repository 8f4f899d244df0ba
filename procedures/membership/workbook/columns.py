"""The workbook's shapes: its sheets and columns, the 事项 of each act, the messages of its
problems, the report, and the empty template."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from procedures.people import workbook as people_book
from procedures.people.models import Organisation, Person
from workflows import inputs

from ..declaration import STEP_INPUTS
from ..models import Observation, StepRecord
from ..steps import ANY_STEP, CHECKLIST, Variant

Problem = people_book.Problem
CASES = "案卷"
HISTORY = "办理记录"
CASE_COLUMNS = (
    ("key", "案卷编号"),
    ("name", "姓名"),
    ("id_number", "居民身份证号码"),
    ("branch", "所在党支部"),
    ("applied_on", "递交申请书日期"),
    ("variant", "流程规程"),
)
HISTORY_COLUMNS = (
    ("key", "案卷编号"),
    ("item", "事项"),
    ("on", "日期"),
    ("actor", "经办人"),
    ("result", "结果"),
    ("present", "到会人数"),
    ("yes", "同意"),
    ("no", "不同意"),
    ("abstain", "弃权"),
    ("people", "人员"),
    ("written", "书面意见"),
    ("chair", "主持人"),
    ("recorder", "记录人"),
    ("recommendation", "推荐方式"),
    ("talker", "谈话人"),
    ("note", "说明"),
    ("days", "培训天数"),
    ("hours", "培训学时"),
    ("group", "党小组"),
    ("months", "延长月数"),
    ("material", "材料"),
)
CASE_LABELS, HISTORY_LABELS = dict(CASE_COLUMNS), dict(HISTORY_COLUMNS)
OPTIONAL_CASE = frozenset({"name", "variant"})
OPTIONAL_HISTORY = frozenset(
    name for name, _label in HISTORY_COLUMNS if name not in ("key", "item", "on")
)

# The 事项 of a step: its name, told apart where two steps share one (备案, 支部大会讨论, 审批).
_TWINS = {
    "file_activist": "（入党积极分子）",
    "file_candidate": "（发展对象）",
    "branch_admit": "（接收预备党员）",
    "branch_convert": "（预备党员转正）",
    "approve": "（接收预备党员）",
    "approve_conversion": "（预备党员转正）",
}
STEP_ITEMS = {
    code: f"{ANY_STEP[code].label}{_TWINS.get(code, '')}"
    for code in STEP_INPUTS
    if code in ANY_STEP
}
MATERIAL_ITEM = gettext_noop("档案材料")
OBSERVATION_ITEMS = {str(label): kind for kind, label in Observation.Kind.choices}
MATERIAL_KINDS = {
    str(label): (step, kind) for step, items in CHECKLIST.items() for kind, label in items
}
RESULTS = ((gettext_noop("通过"), False), (gettext_noop("未通过"), True))
# Where a step's declared field is written: a column of 办理记录.
_FIELD_COLUMN = {
    "on": "on",
    "held_on": "on",
    "people": "people",
    "reply": "note",
    "special_reason": "note",
    "reason": "note",
}
# The column a broken rule is about (the rest: the 事项 itself).
_RULE_COLUMN = {
    "act_date_before_previous": "on",
    "act_date_in_future": "on",
    "talk_deadline": "on",
    "cultivation_period": "on",
    "conversion_after_probation": "on",
    "candidate_notice": "on",
    "admission_notice": "on",
    "conversion_notice": "on",
    "probation_length": "on",
    "mentors": "people",
    "sponsors": "people",
    "sponsor_not_member": "people",
    "quorum": "present",
    "conversion_quorum": "present",
    "majority": "yes",
    "conversion_majority": "yes",
    "training": "hours",
    "political_review": "result",
    "pre_review_written": "note",
    "extension_length": "months",
    "activist_recommendation": "recommendation",
    "youth_league_recommendation": "recommendation",
}
_CASE_RULE_COLUMN = {"min_age": "applied_on", "case_exists": "id_number", "not_masses": "id_number"}
MSG_ACT_UNKNOWN = gettext_noop("“%(item)s”不是可导入的事项，请从列表中选择。")
MSG_CASE_UNKNOWN = gettext_noop("“案卷”表中没有编号为“%(key)s”的案卷。")
MSG_KEY_TWICE = gettext_noop("案卷编号与第%(row)s行重复。")
MSG_CASE_TWICE = gettext_noop("与第%(row)s行是同一人同一申请日期的案卷。")
MSG_PERSON_UNKNOWN = gettext_noop(
    "没有登记该居民身份证号码的人员（请先在“人员”表中填写，或先导入人员）。"
)
MSG_NAME_DIFFERS = gettext_noop("该居民身份证号码登记的姓名是“%(name)s”，与本行不同。")
MSG_BRANCH = gettext_noop("没有名为“%(name)s”的村党支部，或不在您的管理范围内。")
MSG_VARIANT = gettext_noop("本县现行的流程规程是“%(variant)s”，与本行不同。")
MSG_DATE = people_book.MSG_DATE_FORM
MSG_NUMBER = gettext_noop("应填写0至%(max)s之间的整数。")
MSG_TEXT_LONG = gettext_noop("不超过%(max)s个字，且不含控制字符。")
ACTOR_MAX = StepRecord._meta.get_field("actor_name").max_length
MSG_REQUIRED = gettext_noop("该事项须填写此项。")
MSG_CHOICE = gettext_noop("应为以下之一：%(choices)s。")
MSG_NOBODY = gettext_noop("“%(name)s”不是本支部在%(on)s有表决权的正式党员。")
MSG_NAMESAKE = gettext_noop("本支部有同名党员“%(name)s”，请改填其居民身份证号码。")
MSG_GROUP = gettext_noop("本支部没有名为“%(name)s”的党小组。")
MSG_VOTE = gettext_noop("书面意见应写成“姓名：同意；姓名：不同意”的形式。")
MSG_MATERIAL = gettext_noop("“%(name)s”不是档案材料目录中的材料。")
MSG_EXISTS_OTHERWISE = gettext_noop(
    "该人员此申请日期的案卷已经录入，办理记录与本表不同（导入不修改已有案卷，请用更正或退回）。"
)
MSG_LATER_UNCHECKED = gettext_noop(
    "“办理记录”第%(row)s行未通过校验，本案卷其后的%(count)s项尚未校验（改正后重新校验）。"
)


@dataclass
class Report:
    people: people_book.Report = field(default_factory=people_book.Report)
    cases: int = 0  # rows of 案卷
    acts: int = 0  # rows of 办理记录
    created: int = 0  # cases written (or, in a dry run, that would be)
    unchanged: int = 0  # cases entered already, the same
    problems: people_book.Problems = field(default_factory=people_book.Problems)
    written: bool = False

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.people.problems, *self.problems]

    @property
    def problem_count(self) -> int:
        return self.people.problems.found + self.problems.found

    @property
    def ok(self) -> bool:
        return not self.all_problems


@dataclass
class Row:
    """A row of 办理记录 as read: what it is, and the values its act takes."""

    number: int
    cells: Mapping
    item: str = ""  # a step's code, "observation", "material"
    on: date | None = None
    outcome_failed: bool = False


@dataclass
class CaseRow:
    number: int
    cells: Mapping
    acts: list[Row] = field(default_factory=list)
    person: Person | None = None
    branch: Organisation | None = None
    applied_on: date | None = None


def _history_problem(row: int, column: str, message: str) -> Problem:
    return Problem(row, column, message, HISTORY, HISTORY_LABELS.get(column, ""))


def _case_problem(row: int, column: str, message: str) -> Problem:
    return Problem(row, column, message, CASES, CASE_LABELS.get(column, ""))


def is_case_workbook(content: bytes) -> bool:
    """A workbook with the sheet 案卷 brings cases (and its 人员 first); without, people."""
    book, problem = people_book.open_book(content)
    return problem is None and CASES in book.sheetnames


# The template.


def template() -> bytes:
    """The workbook to fill: people, cases and their history, each with its example sheet."""
    book = Workbook()
    book.active.title = people_book.SHEET
    people_book.add_sheet(book, people_book.SHEET, people_book.COLUMNS, people_book.CHOICES)
    _case_sheets(book)
    example = {**people_book.EXAMPLE_PEOPLE, "standing": "群众"}
    people_book.add_example(book, people_book.SHEET, people_book.COLUMNS, [example])
    case = {
        "key": "1", "name": example["name"], "id_number": example["id_number"],
        "branch": example["organisation"], "applied_on": "2024年3月1日",
        "variant": str(Variant.choices[0][1]),
    }  # fmt: skip
    people_book.add_example(book, CASES, CASE_COLUMNS, [case])
    talk = STEP_ITEMS["talk"]  # the first act after the application (which 案卷 holds)
    history = [
        {"key": "1", "item": talk, "on": "2024年3月20日", "actor": "李四（党支部委员）",
         "talker": "李四"},
    ]  # fmt: skip
    people_book.add_example(book, HISTORY, HISTORY_COLUMNS, history)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _case_sheets(book, cases=(), history=()) -> None:
    variants = tuple((value, str(label)) for value, label in Variant.choices)
    people_book.add_sheet(book, CASES, CASE_COLUMNS, {"variant": variants}, cases)
    items = [(code, label) for code, label in STEP_ITEMS.items()]
    items += [(kind, label) for label, kind in OBSERVATION_ITEMS.items()]
    items.append(("material", _(MATERIAL_ITEM)))
    recommendations = _field("choose_activist", "recommendation").choices
    materials = [(kind, label) for label, (_step, kind) in MATERIAL_KINDS.items()]
    results = [(str(failed), _(label)) for label, failed in RESULTS]
    people_book.add_sheet(
        book,
        HISTORY,
        HISTORY_COLUMNS,
        {"item": items, "result": results, "recommendation": recommendations,
         "material": materials},
        history,
    )  # fmt: skip


def _field(step: str, name: str) -> inputs.Field:
    return next(f for f in STEP_INPUTS[step].fields if f.name == name)
