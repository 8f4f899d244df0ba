"""Cases in flight from a county's spreadsheet, and back (issue 19's Excel in and out).

A workbook of three sheets: 人员 (the people, as procedures/people/workbook.py reads them), 案卷
(a case each: whose, which branch, the application's date) and 办理记录 (every act of every
case, in order: its steps with their original dates and actors, the thought reports and
assessments, the materials filed). Each case is entered as a case under way (the township or
the county enters it: services/backfill.py) and each act goes through the live step's service
(the declaration the staff form and the API use), so the same rules speak, and the same 全程纪实
and audit chain are written. A refusal is reported on the row and cell it is about, in Chinese.

The import writes all or nothing (each case in a savepoint of its own, so one case's refusal
leaves the others' checks going); a case already entered the same (the person's ID number and
the application's date are its natural key) is left as it is. The export writes the same
shapes from the records, so a workbook exported and imported into a county without the cases
gives the same cases (tests/procedures/membership/test_workbook.py).
"""

from __future__ import annotations

import io
import multiprocessing
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from procedures.people import identity, scopes
from procedures.people import workbook as people_book
from procedures.people.models import Organisation, Person
from workflows import audit, inputs, pipeline
from workflows.errors import ProcedureError

from . import deadlines, flows, services
from .declaration import STEP_INPUTS
from .models import NOT_STEPS, Case, Observation, StepRecord
from .services.base import CASES as CASE_STEPS
from .services.base import _acted_by, _entered_by
from .settings import development_settings_for
from .steps import ANY_STEP, CHECKLIST, Variant

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
    code: f"{ANY_STEP[code].name}{_TWINS.get(code, '')}" for code in STEP_INPUTS if code in ANY_STEP
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


# Reading.


def load(
    content: bytes,
    *,
    actor,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    processes: int = 1,
) -> Report:
    """Check the people, then every case with every act (and, unless `dry_run` or a problem
    was found, write them all).

    With `processes` > 1 (an import on PostgreSQL, from the command line): the people are
    registered first, all or nothing; then the cases are entered by branch in as many
    processes, each case committed by itself (all or nothing per case: one refused leaves the
    others in, and the workbook run again adds only what is missing)."""
    report = Report()
    book, problem = people_book.open_book(content)
    if problem is not None:
        report.problems.append(problem)
        report.people.opened = False  # nothing to annotate
        return report
    missing = [name for name in (CASES, HISTORY) if name not in book.sheetnames]
    if missing:
        report.problems.append(
            Problem(0, "", _("工作簿中缺少工作表：%(sheets)s，请使用下载的模板。")
                    % {"sheets": "、".join(missing)})
        )  # fmt: skip
        return report
    people_rows: list = []
    if people_book.SHEET in book.sheetnames:
        people_rows, found = people_book.sheet_rows(
            book, people_book.SHEET, people_book.COLUMNS, optional=people_book.OPTIONAL
        )
        report.people.problems.extend(found)
    case_rows, found = people_book.sheet_rows(book, CASES, CASE_COLUMNS, optional=OPTIONAL_CASE)
    report.problems.extend(found)
    act_rows, found = people_book.sheet_rows(
        book,
        HISTORY,
        HISTORY_COLUMNS,
        optional=OPTIONAL_HISTORY,
        max_rows=settings.JICENG_UPLOAD_ROWS - 1,
    )
    report.problems.extend(found)
    if not report.ok:
        return report
    report.people.rows, report.cases, report.acts = len(people_rows), len(case_rows), len(act_rows)
    total = len(people_rows) + len(case_rows)
    if processes > 1 and not dry_run and _may_fork():
        return _load_in_processes(
            people_rows, case_rows, act_rows, report, actor, progress, processes
        )
    with transaction.atomic():
        _register(people_rows, report, actor, progress, total)
        cases = _cases(case_rows, act_rows, report, actor=actor)
        for done, case in enumerate(cases, start=len(people_rows) + 1):
            _enter(case, report, actor=actor)
            if progress is not None:
                progress(done, total)
        report.written = not dry_run and report.ok
        if not report.written:
            transaction.set_rollback(True)  # a dry run, or a problem: nothing is written
    return report


def _register(people_rows, report: Report, actor, progress, total: int) -> None:
    """The sheet 人员 first (its rows counted in the progress of the whole workbook)."""
    people_book.register_rows(
        people_rows,
        report.people,
        actor=actor,
        progress=progress and (lambda done, _n: progress(done, total)),
    )


def _may_fork() -> bool:
    """Processes of their own need a server they can each connect to, and a transaction
    they do not share."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _load_in_processes(people_rows, case_rows, act_rows, report, actor, progress, processes):
    total = len(people_rows) + len(case_rows)
    with transaction.atomic():
        _register(people_rows, report, actor, progress, total)
        if not report.people.ok:
            transaction.set_rollback(True)
            return report
    report.written = True  # the people; the cases each as it is entered
    cases = _cases(case_rows, act_rows, report, actor=actor)
    by_branch: dict[int, list[CaseRow]] = defaultdict(list)
    for case in cases:
        by_branch[case.branch.pk if case.branch is not None else 0].append(case)
    # A branch's cases in one process, in order (they share its meetings); the largest
    # branches first, so the processes finish together.
    groups = sorted(by_branch.values(), key=lambda group: -sum(len(c.acts) for c in group))
    checked = list(report.problems)  # found reading the rows: each case's own stays out
    connections.close_all()  # each process opens its own
    done = len(people_rows)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for created, unchanged, problems, count in pool.imap_unordered(
            _enter_group, [(group, actor, checked) for group in groups]
        ):
            report.created += created
            report.unchanged += unchanged
            report.problems.extend(problems)
            done += count
            if progress is not None:
                progress(done, total)
    return report


def _enter_group(arguments) -> tuple[int, int, list[Problem], int]:
    """In a process of its own: a branch's cases, each in its own transaction."""
    group, actor, checked = arguments
    part = Report(problems=people_book.Problems(checked))
    for case in group:
        with transaction.atomic():
            _enter(case, part, actor=actor)
    connections.close_all()
    return part.created, part.unchanged, part.problems[len(checked) :], len(group)


def _cases(case_rows, act_rows, report: Report, *, actor) -> list[CaseRow]:
    """The cases of 案卷 with their acts of 办理记录, each checked for what a row can say of
    itself (its cells' forms, the person, the branch); the acts' rules are checked later,
    performing them."""
    branches = {
        org.name: org
        for org in scopes.visible_organisations(actor).filter(kind=Organisation.Kind.VILLAGE_BRANCH)
    }
    numbers = [identity.normalise(people_book.cell_text(c["id_number"])) for _n, c in case_rows]
    # Only people the user sees: of anyone else, not even the registered name is told.
    visible = scopes.visible_persons(actor) if actor is not None else Person.objects.all()
    persons = {p.id_number: p for p in visible.filter(id_number__in=numbers)}
    by_key: dict[str, CaseRow] = {}
    seen_pairs: dict[tuple, int] = {}
    for number, cells in case_rows:
        case = CaseRow(number, cells)
        key = people_book.cell_text(cells["key"])
        if key in by_key:
            report.problems.append(
                _case_problem(number, "key", _(MSG_KEY_TWICE) % {"row": by_key[key].number})
            )
            continue
        by_key[key] = case
        _check_case_row(case, report, actor=actor, branches=branches, persons=persons)
        if case.person is not None and case.applied_on is not None:
            pair = (case.person.pk, case.applied_on)
            if pair in seen_pairs:
                report.problems.append(
                    _case_problem(
                        number, "id_number", _(MSG_CASE_TWICE) % {"row": seen_pairs[pair]}
                    )
                )
                case.person = None
            seen_pairs[pair] = number
    for number, cells in act_rows:
        key = people_book.cell_text(cells["key"])
        row = Row(number, cells)
        if key not in by_key:
            report.problems.append(
                _history_problem(number, "key", _(MSG_CASE_UNKNOWN) % {"key": key})
            )
            continue
        _check_act_row(row, report)
        by_key[key].acts.append(row)
    return list(by_key.values())


def _check_case_row(case: CaseRow, report: Report, *, actor, branches, persons) -> None:
    cells, number = case.cells, case.number

    def problem(column: str, message: str) -> None:
        report.problems.append(_case_problem(number, column, message))

    id_number = identity.normalise(people_book.cell_text(cells["id_number"]))
    person = persons.get(id_number)
    if person is None:
        problem("id_number", _(MSG_PERSON_UNKNOWN))
    name = people_book.cell_text(cells["name"])
    if person is not None and name and name != person.name:
        problem("name", _(MSG_NAME_DIFFERS) % {"name": person.name})
        person = None
    branch_name = people_book.cell_text(cells["branch"])
    branch = branches.get(branch_name)
    if branch is None:
        problem("branch", _(MSG_BRANCH) % {"name": branch_name})
    applied_on = people_book.cell_date(cells["applied_on"])
    if applied_on is None:
        problem("applied_on", _(MSG_DATE))
    variant = people_book.cell_text(cells["variant"])
    if branch is not None and variant:
        current = development_settings_for(branch).variant
        if variant not in (current, str(Variant(current).label)):
            problem("variant", _(MSG_VARIANT) % {"variant": Variant(current).label})
    case.person = person
    case.branch = branch
    case.applied_on = applied_on


def _may_enter(actor, branch: Organisation) -> bool:
    """Those over the branch, who may register people there: its township or the county
    (补录, as services/backfill.py checks again)."""
    return people_book.may_register(actor, branch)


def _check_act_row(row: Row, report: Report) -> None:
    """What the row is and its date: the rest of its cells are read when it is performed."""
    cells = row.cells
    item = people_book.cell_text(cells["item"])
    if item in OBSERVATION_ITEMS:
        row.item = "observation"
    elif item == _(MATERIAL_ITEM):
        row.item = "material"
    else:
        row.item = next((code for code, label in STEP_ITEMS.items() if item in (label, code)), "")
    if not row.item:
        report.problems.append(
            _history_problem(row.number, "item", _(MSG_ACT_UNKNOWN) % {"item": item})
        )
    row.on = people_book.cell_date(cells["on"])
    if row.on is None and row.item != "material":
        report.problems.append(_history_problem(row.number, "on", _(MSG_DATE)))
    result = people_book.cell_text(cells["result"])
    row.outcome_failed = result == _("未通过")
    if result and result not in (_("通过"), _("未通过")):
        report.problems.append(
            _history_problem(row.number, "result", _(MSG_CHOICE) % {"choices": "通过、未通过"})
        )
    actor = people_book.cell_text(cells["actor"])  # kept as the record's 经办人
    if len(actor) > ACTOR_MAX or "\x00" in actor:
        report.problems.append(
            _history_problem(row.number, "actor", _(MSG_TEXT_LONG) % {"max": ACTOR_MAX})
        )


# Entering a case.


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def _enter(case: CaseRow, report: Report, *, actor) -> None:
    """The case and its acts, through the services, in a savepoint: a refusal is reported on
    its row and cell and leaves nothing of the case."""
    if any(p.sheet == CASES and p.row == case.number for p in report.problems):
        return
    if any(p.sheet == HISTORY and p.row in {r.number for r in case.acts} for p in report.problems):
        return
    if case.person is None or case.branch is None or case.applied_on is None:
        return
    existing = Case.objects.filter(person=case.person, applied_on=case.applied_on).first()
    if existing is not None:
        if _signature(existing) == _file_signature(case):
            report.unchanged += 1
        else:
            report.problems.append(
                _case_problem(case.number, "applied_on", _(MSG_EXISTS_OTHERWISE))
            )
        return
    importer = getattr(getattr(actor, "person", None), "name", None) or getattr(
        actor, "username", "系统"
    )
    token = _entered_by.set(importer)
    try:
        with transaction.atomic():
            _perform(case, actor)
    except _Refused as refused:
        report.problems.extend(refused.problems)
        return
    finally:
        _entered_by.reset(token)
    report.created += 1


def _perform(case: CaseRow, actor) -> None:
    from .services.backfill import check_may_backfill

    check_may_backfill(actor, case.person, case.branch)
    # The case's deadlines and flow as its last act leaves them; its events written at once.
    with audit.batched(), deadlines.deferred(), flows.deferred(), pipeline.keeping():
        try:
            opened = services.case_open(
                actor=None, person=case.person, branch=case.branch, applied_on=case.applied_on
            )
        except ProcedureError as error:
            column = _CASE_RULE_COLUMN.get(error.code, "applied_on")
            raise _Refused([_case_problem(case.number, column, error.message)]) from None
        for index, row in enumerate(case.acts):
            token = _acted_by.set(people_book.cell_text(row.cells["actor"]) or None)
            try:
                _perform_act(opened.pk, row)
            except _Refused as refused:
                later = len(case.acts) - index - 1
                if later:
                    message = _(MSG_LATER_UNCHECKED) % {"row": row.number, "count": later}
                    refused.problems.append(_case_problem(case.number, "", message))
                raise
            finally:
                _acted_by.reset(token)


def _perform_act(case_id: int, row: Row) -> None:
    cells = row.cells
    try:
        if row.item == "observation":
            kind = OBSERVATION_ITEMS[people_book.cell_text(cells["item"])]
            summary = _text_cell(row, "note", 2000)
            services.case_observe(
                case_id=case_id, actor=None, kind=kind, on=row.on, summary=summary
            )
            return
        if row.item == "material":
            name = people_book.cell_text(cells["material"])
            if name not in MATERIAL_KINDS:
                raise _Refused(
                    [_history_problem(row.number, "material", _(MSG_MATERIAL) % {"name": name})]
                )
            step, kind = MATERIAL_KINDS[name]
            note = _text_cell(row, "note", 300)
            services.case_add_material(
                case_id=case_id, actor=None, step=step, kind=kind, title=name, reason=note
            )
            return
        declared = STEP_INPUTS[row.item]
        case = CASE_STEPS.lock(case_id)  # the case as the act before left it (pipeline.keeping)
        data = _step_data(declared, case, row)
        declared.perform(case, None, data)
    except ProcedureError as error:
        raise _Refused(_problems_of(error, row)) from None


def _problems_of(error: ProcedureError, row: Row) -> list[Problem]:
    found = []
    fields = (error.extra or {}).get("fields") or {}
    for name, messages in fields.items():
        column = _column_of(row.item, name)
        for message in messages if isinstance(messages, list) else [messages]:
            found.append(_history_problem(row.number, column, str(message)))
    if found:
        return found
    violations = (error.extra or {}).get("violations") or [
        {"code": error.code, "message": error.message}
    ]
    return [
        _history_problem(row.number, _RULE_COLUMN.get(v["code"], "item"), v["message"])
        for v in violations
    ]


def _column_of(step: str, name: str) -> str:
    if step in STEP_INPUTS:
        for f in STEP_INPUTS[step].fields:
            if f.name == name:
                return _column(f)
    return name if name in HISTORY_LABELS else "item"


def _column(f: inputs.Field) -> str:
    if f.name == "present":
        return "present" if f.kind == inputs.Kind.NUMBER else "people"
    if f.name in ("passed", "record_failure"):
        return "result"
    return _FIELD_COLUMN.get(f.name, f.name)


def _text_cell(row: Row, column: str, max_length: int) -> str:
    value = people_book.cell_text(row.cells[column])
    if len(value) > max_length or "\x00" in value:
        raise _Refused(
            [_history_problem(row.number, column, _(MSG_TEXT_LONG) % {"max": max_length})]
        )
    return value


def _step_data(declared: inputs.StepInput, case: Case, row: Row) -> dict:
    """The step's declared fields from the row's cells, as the service takes them; every
    bad cell reported at once."""
    data, problems = {}, []
    memo: dict = {}  # the act's options (the branch's voters that day), read once
    for f in declared.fields:
        column = _column(f)
        try:
            data[f.name] = _value(f, column, case, row, memo)
        except _Refused as refused:
            problems.extend(refused.problems)
    if problems:
        raise _Refused(problems)
    return data


def _value(f: inputs.Field, column: str, case: Case, row: Row, memo: dict):
    raw = row.cells[column]
    text = people_book.cell_text(raw)

    def refuse(message: str):
        raise _Refused([_history_problem(row.number, column, message)])

    if f.kind == inputs.Kind.DATE:
        return row.on
    if f.kind == inputs.Kind.FLAG:
        if f.name == "passed":
            return not row.outcome_failed
        if f.name == "record_failure":
            return row.outcome_failed
        return text in ("是", "1", "true", "True")
    if not text:
        if f.kind in (inputs.Kind.IDS, inputs.Kind.VOTES):
            return (
                {}
                if f.kind == inputs.Kind.VOTES
                else ([] if not f.required else refuse(_(MSG_REQUIRED)))
            )
        if not f.required:
            return f.default if f.default is not inputs.TODAY else row.on
        if f.kind == inputs.Kind.TEXT and f.blank:
            return ""
        refuse(_(MSG_REQUIRED))
    if f.kind == inputs.Kind.TEXT:
        return _text_cell(row, column, f.max_length or 2000)
    if f.kind == inputs.Kind.NUMBER:
        try:
            number = int(float(text))
        except (ValueError, OverflowError):  # not a number, or "1e400"
            number = -1
        if not 0 <= number <= f.maximum or float(text) != number:
            refuse(_(MSG_NUMBER) % {"max": f.maximum})
        return number
    if f.kind == inputs.Kind.CHOICE:
        for value, label in f.choices:
            if text in (str(label), value):
                return value
        refuse(_(MSG_CHOICE) % {"choices": "、".join(str(label) for _v, label in f.choices)})
    if f.kind in (inputs.Kind.ID, inputs.Kind.IDS, inputs.Kind.VOTES):
        if f.options not in memo:
            memo[f.options] = f.options(case, row.on) if f.options else []
        options = memo[f.options]
        if f.name == "group":
            for pk, name in options:
                if name == text:
                    return pk
            refuse(_(MSG_GROUP) % {"name": text})
        if ("people", f.options) not in memo:
            memo[("people", f.options)] = _People(options, row.on)
        people = memo[("people", f.options)]
        if f.kind == inputs.Kind.ID:
            return people.pk(text, refuse)
        if f.kind == inputs.Kind.IDS:
            return [people.pk(name, refuse) for name in _split(text)]
        votes = {}
        labels = {str(label): value for value, label in f.choices}
        for entry in _split(text, "；;，,、\n"):
            name, _sep, vote = entry.replace(":", "：").partition("：")
            if vote.strip() not in labels:
                refuse(_(MSG_VOTE))
            votes[people.pk(name.strip(), refuse)] = labels[vote.strip()]
        return votes
    refuse(_(MSG_REQUIRED))
    return None


def _split(text: str, separators: str = "、，,；;\n ") -> list[str]:
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    return [part.strip() for part in text.split(separators[0]) if part.strip()]


class _People:
    """Who a people cell may name: the step's options (the branch's voters on the act's
    day), by name or, for namesakes, by ID number."""

    def __init__(self, options: list[tuple[int, str]], on: date) -> None:
        self.on = on
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name in options:
            self.by_name[name].append(pk)
        self.keys = [pk for pk, _name in options]
        self._by_number: dict[str, int] | None = None

    def pk(self, text: str, refuse) -> int:
        if text not in self.by_name:  # an ID number, for namesakes (read when one comes)
            if self._by_number is None:
                self._by_number = dict(
                    Person.objects.filter(pk__in=self.keys).values_list("id_number", "pk")
                )
            number = identity.normalise(text)
            if number in self._by_number:
                return self._by_number[number]
        found = self.by_name.get(text, [])
        if len(found) > 1:
            refuse(_(MSG_NAMESAKE) % {"name": text})
        if not found:
            refuse(_(MSG_NOBODY) % {"name": text, "on": self.on})
        return found[0]


# A case's acts as a comparable signature: the file's, and the records'.


def _file_signature(case: CaseRow) -> tuple:
    steps = tuple((r.item, r.on, r.outcome_failed) for r in case.acts if r.item in STEP_INPUTS)
    observations = sorted(
        (OBSERVATION_ITEMS[people_book.cell_text(r.cells["item"])], r.on)
        for r in case.acts
        if r.item == "observation"
    )
    materials = sorted(
        MATERIAL_KINDS[people_book.cell_text(r.cells["material"])][1]
        for r in case.acts
        if r.item == "material" and people_book.cell_text(r.cells["material"]) in MATERIAL_KINDS
    )
    return steps, tuple(observations), tuple(materials)


def _standing_acts(case: Case) -> list[tuple]:
    """The case's acts that stand, with their dates as corrected: what a workbook lists
    (not the application, which is the case's row, nor the corrections and hand-offs)."""
    return [
        (row, act_date)
        for row, act_date in case._standing_rows
        if row.step not in NOT_STEPS and row.step != "apply"
    ]


def _signature(case: Case) -> tuple:
    steps = tuple(
        (row.step, act_date, row.outcome == StepRecord.Outcome.FAILED)
        for row, act_date in _standing_acts(case)
    )
    observations = tuple(sorted(case.observations.values_list("kind", "on")))
    materials = tuple(sorted(case.materials.values_list("kind", flat=True)))
    return steps, observations, materials


# Writing: the same shapes from the records.


def export(actor, *, cases=None) -> bytes:
    """The people and the cases in the user's scope (of `cases` only, if given), as the
    import reads them."""
    visible = scopes.visible_organisations(actor)
    cases = list(
        (cases if cases is not None else Case.objects.all())
        .filter(branch__in=visible.filter(kind=Organisation.Kind.VILLAGE_BRANCH))
        .select_related("person", "branch")
        .order_by("pk")
    )
    with_case = {case.person_id for case in cases}
    book = Workbook()
    book.active.title = people_book.SHEET
    persons = (
        Person.objects.filter(organisation__in=visible.filter(kind__in=people_book.UNITS))
        .select_related("organisation")
        .order_by("pk")
    )
    people_book.add_sheet(
        book,
        people_book.SHEET,
        people_book.COLUMNS,
        people_book.CHOICES,
        [_person_row(person, person.pk in with_case) for person in persons],
    )
    case_rows, history = [], []
    rolls: dict[int, _Roll] = {}
    for number, case in enumerate(cases, start=1):
        key = str(number)
        case_rows.append(
            [key, case.person.name, case.person.id_number, case.branch.name, case.applied_on,
             str(Variant(case.variant).label)]
        )  # fmt: skip
        if case.branch_id not in rolls:
            rolls[case.branch_id] = _Roll(case.branch)
        history.extend(_history_rows(case, key, rolls[case.branch_id]))
    _case_sheets(book, case_rows, history)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _person_row(person: Person, has_case: bool) -> list:
    labels = {name: dict(choices) for name, choices in people_book.CHOICES.items()}
    full = person.standing == Person.Standing.FULL and not has_case
    standing = Person.Standing.FULL if full else Person.Standing.MASSES
    return [
        person.name,
        str(labels["gender"].get(person.gender, person.gender)),
        str(labels["ethnicity"].get(person.ethnicity, person.ethnicity)),
        person.birth_date,
        person.id_number,
        str(labels["education"].get(person.education, person.education)),
        str(labels["occupation"].get(person.occupation, person.occupation)),
        person.phone,
        person.organisation.name,
        str(labels["standing"][standing]),
        person.full_member_since if full else None,
    ]


def _history_rows(case: Case, key: str, roll: _Roll) -> list[list]:
    """The case's acts in the order they can be entered again: by date; on one day a step
    that opens a period of observations before them, the observations before the other
    steps (those counting them); each material after the step entered before it."""
    opens = {"assign_mentors", "take_oath", "extend_probation"}
    rows = _standing_acts(case)
    records = case.records.in_bulk([row.pk for row, _act_date in rows])
    items: list[tuple[tuple, list]] = []
    for row, act_date in rows:
        rank = 0 if row.step in opens else 2
        line = _step_row(key, row, act_date, records[row.pk], roll)
        items.append(((act_date, rank, row.entered_at, 0), line))
    for observation in case.observations.order_by("on", "pk"):
        label = str(Observation.Kind(observation.kind).label)
        line = _line(key, label, observation.on, note=observation.summary)
        items.append(((observation.on, 1, _EARLIEST, observation.pk), line))
    entered = sorted(((row.entered_at, act_date, row.step) for row, act_date in rows))
    for material in case.materials.order_by("uploaded_at", "pk"):
        before = [item for item in entered if item[0] <= material.uploaded_at]
        act_date, entered_at = (
            (before[-1][1], before[-1][0]) if before else (case.applied_on, material.uploaded_at)
        )
        rank = 0 if before and before[-1][2] in opens else 2
        label = dict(CHECKLIST[material.step])[material.kind]
        uploaded_on = timezone.localtime(material.uploaded_at).date()
        line = _line(key, _(MATERIAL_ITEM), uploaded_on, note=material.reason, material=str(label))
        items.append(((act_date, rank, entered_at, 1 + material.pk), line))
    items.sort(key=lambda item: item[0])
    return [line for _key, line in items]


_EARLIEST = datetime.min.replace(tzinfo=timezone.get_fixed_timezone(0))


_INDEX = {name: index for index, (name, _label) in enumerate(HISTORY_COLUMNS)}


def _line(key: str, item: str, on: date, **columns) -> list:
    """A row of 办理记录: its case, 事项 and date, and the other columns given."""
    line = [""] * len(HISTORY_COLUMNS)
    for column, value in {"key": key, "item": item, "on": on, **columns}.items():
        line[_INDEX[column]] = value
    return line


def _step_row(key: str, row, act_date: date, record: StepRecord, roll) -> list:
    failed = row.outcome == StepRecord.Outcome.FAILED
    line = _line(
        key, STEP_ITEMS[row.step], act_date, result=_("未通过") if failed else "",
        actor=record.actor_name,
    )  # fmt: skip
    data = record.data or {}
    for f in STEP_INPUTS[row.step].fields:
        column = _column(f)
        if column in ("on", "result"):
            continue
        value = _exported(f, data, record, roll)
        if value not in (None, ""):
            line[_INDEX[column]] = value
    return line


class _Roll:
    """A branch's people as a cell names them: by name, or by ID number where the branch has
    namesakes (read once a branch, for all its cases)."""

    def __init__(self, branch: Organisation) -> None:
        rows = list(
            # Everyone who ever belonged to it: a record names those who have left since.
            Person.objects.filter(memberships__organisation__path__startswith=branch.path)
            .distinct()
            .values_list("pk", "name", "id_number")
        )
        counts = Counter(name for _pk, name, _number in rows)
        self.by_pk = {pk: number if counts[name] > 1 else name for pk, name, number in rows}
        self.by_name: dict[str, str] = {}
        for _pk, name, number in rows:  # a record that kept only a name: its first holder
            self.by_name.setdefault(name, number if counts[name] > 1 else name)

    def of_key(self, pk) -> str:
        if pk is None:
            return ""
        if pk not in self.by_pk:  # one who has left the branch since
            person = Person.objects.filter(pk=pk).values_list("name", flat=True).first()
            self.by_pk[pk] = person or ""
        return self.by_pk[pk]

    def of_names(self, names: list[str]) -> str:
        return "、".join(self.by_name.get(name, name) for name in names)


def _exported(f: inputs.Field, data: dict, record: StepRecord, roll: _Roll):
    name = f.name
    if f.kind == inputs.Kind.FLAG:
        return None
    if name == "note":
        return record.note or data.get("note", "")
    if name == "present" and f.kind == inputs.Kind.IDS:
        return "、".join(roll.of_key(pk) for pk in data.get("attended", ()))
    if name in ("chair", "recorder"):
        return roll.of_key(data.get(name))
    if name == "written":
        labels = dict(f.choices)
        return "；".join(
            f"{roll.of_key(int(k))}：{labels[v]}" for k, v in (data.get("written") or {}).items()
        )
    if name == "people":
        listed = data.get("mentors") or data.get("sponsors") or []
        return roll.of_names(listed)
    if name == "group":
        return data.get("group", "")
    if name == "recommendation":
        return str(dict(f.choices).get(data.get(name), ""))
    if name == "talker":
        return data.get("talker", "")
    value = data.get(name)
    return value if value is not None else None
