"""People brought in from a county's spreadsheet (Excel in, issue 19's first part of it): a
template workbook to fill, a dry run that checks every row through the same registration as
the staff pages (`services.person_register`, the model's rules: the ID number's check digit
and its agreement with the birth date and sex, the vocabularies) and reports each problem on
its row and cell, in Chinese; an import that writes all or nothing, and writes a person once
(the ID number is the natural key: a row already registered the same is left as it is).

Cases in flight with their history are the next part (they go through the case services the
same way)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from workflows.errors import ProcedureError

from . import identity, roles, scopes, services
from .models import Organisation, Person
from .vocabularies import ETHNICITY_CHOICES

SHEET = "人员"
COLUMNS = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("id_number", "居民身份证号码"),
    ("education", "学历"),
    ("occupation", "职业"),
    ("phone", "联系电话"),
    ("organisation", "所在组织"),
)
LABELS = dict(COLUMNS)
CHOICES = {
    "gender": Person.Gender.choices,
    "education": Person.Education.choices,
    "occupation": Person.Occupation.choices,
    "ethnicity": ETHNICITY_CHOICES,
}
MAX_ROWS = 20_000
MSG_REGISTERED_OTHERWISE = gettext_noop(
    "该居民身份证号码已登记，登记的信息与本行不同（导入不修改已登记的人员）。"
)
UNITS = (
    Organisation.Kind.VILLAGE_BRANCH,
    Organisation.Kind.VILLAGERS_COMMITTEE,
    Organisation.Kind.TOWNSHIP_COMMITTEE,
    Organisation.Kind.ORG_DEPARTMENT,
)


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # a field of COLUMNS, or "" for the whole row
    message: str

    @property
    def column_label(self) -> str:
        return LABELS.get(self.column, "")


@dataclass
class Report:
    rows: int = 0
    created: int = 0  # written (or, in a dry run, that would be)
    unchanged: int = 0  # registered already, the same
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def template() -> bytes:
    """The workbook to fill: the header row, lists for the coded columns, an example row."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([label for _name, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    lists = book.create_sheet("可选值")
    for index, (name, choices) in enumerate(CHOICES.items(), start=1):
        lists.cell(row=1, column=index, value=LABELS[name])
        for row, (_value, label) in enumerate(choices, start=2):
            lists.cell(row=row, column=index, value=str(label))
        letter = lists.cell(row=1, column=index).column_letter
        column = [n for n, _label in COLUMNS].index(name) + 1
        rule = DataValidation(
            type="list", formula1=f"='可选值'!${letter}$2:${letter}${len(choices) + 1}"
        )
        rule.error, rule.errorTitle = _("请从列表中选择。"), LABELS[name]
        sheet.add_data_validation(rule)
        rule.add(f"{sheet.cell(row=2, column=column).column_letter}2:"
                 f"{sheet.cell(row=2, column=column).column_letter}{MAX_ROWS + 1}")  # fmt: skip
    for index, (_name, label) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            10, 3 * len(label)
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number Excel keeps as 3.0
    return str(value).strip()


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(_text(value))
    except ValueError:
        return None


def _coded(name: str, value: str) -> str:
    """A label of the list (男, 高中、中专, …) as its stored value; an unknown one as typed,
    for the model's own check to refuse."""
    for stored, label in CHOICES[name]:
        if value in (str(label), stored):
            return stored
    return value


def _rows(content: bytes) -> tuple[list[tuple[int, dict]], list[Problem]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # not a workbook openpyxl can read at all
        return [], [Problem(0, "", _("无法读取该文件，请使用下载的模板（.xlsx）填写。"))]
    if SHEET not in book.sheetnames:
        return [], [
            Problem(
                0,
                "",
                _("工作簿中没有名为“%(sheet)s”的工作表，请使用下载的模板。") % {"sheet": SHEET},
            )
        ]
    sheet = book[SHEET]
    lines = sheet.iter_rows(values_only=True)
    header = [_text(value) for value in next(lines, ())]
    missing = [label for _name, label in COLUMNS if label not in header]
    if missing:
        return [], [Problem(1, "", _("表头缺少：%(columns)s。") % {"columns": "、".join(missing)})]
    where = {name: header.index(label) for name, label in COLUMNS}
    rows = []
    for number, values in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            return [], [
                Problem(number, "", _("一次最多导入%(max)s行，请分批导入。") % {"max": MAX_ROWS})
            ]
        cells = {name: values[i] if i < len(values) else None for name, i in where.items()}
        if all(_text(value) == "" for value in cells.values()):
            continue  # an empty line
        rows.append((number, cells))
    return rows, []


def load(
    content: bytes, *, actor, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> Report:
    """Check every row (and, unless `dry_run` or a problem was found, write them all)."""
    rows, problems = _rows(content)
    report = Report(rows=len(rows), problems=problems)
    if problems:
        return report
    visible = scopes.visible_organisations(actor).filter(kind__in=UNITS)
    by_name = {org.name: org for org in visible}
    seen: dict[str, int] = {}
    with transaction.atomic():
        for done, (number, cells) in enumerate(rows, start=1):
            _one(report, number, cells, actor=actor, by_name=by_name, seen=seen)
            if progress is not None:
                progress(done, len(rows))
        report.written = not dry_run and report.ok
        if not report.written:
            transaction.set_rollback(True)  # a dry run, or a problem: nothing is written
    return report


def _one(report: Report, number: int, cells: dict, *, actor, by_name: dict, seen: dict) -> None:
    def problem(column: str, message: str) -> None:
        report.problems.append(Problem(number, column, message))

    fields = {name: _text(cells[name]) for name, _label in COLUMNS}
    for name, value in fields.items():
        if "\x00" in value:
            return problem(name, _("含有无法保存的控制字符（NUL），请删除后重试。"))
    fields["id_number"] = identity.normalise(fields["id_number"])
    birth = _day(cells["birth_date"])
    if fields["birth_date"] and birth is None:
        return problem("birth_date", _("日期应写成“1990-01-31”的形式，或设为日期格式。"))
    organisation = by_name.get(fields["organisation"])
    if organisation is None or not _may_register(actor, organisation):
        return problem(
            "organisation",
            _("没有名为“%(name)s”的组织，或不在您的管理范围内。")
            % {"name": fields["organisation"]},
        )
    number_seen = seen.get(fields["id_number"])
    if fields["id_number"] and number_seen:
        return problem("id_number", _("与第%(row)s行的居民身份证号码重复。") % {"row": number_seen})
    seen[fields["id_number"]] = number
    values = {
        "name": fields["name"],
        "gender": _coded("gender", fields["gender"]),
        "ethnicity": _coded("ethnicity", fields["ethnicity"]),
        "birth_date": birth,
        "id_number": fields["id_number"],
        "education": _coded("education", fields["education"]),
        "occupation": _coded("occupation", fields["occupation"]),
        "phone": fields["phone"],
        "organisation": organisation,
    }
    existing = Person.objects.filter(id_number=values["id_number"]).first() if values[
        "id_number"
    ] else None  # fmt: skip
    if existing is not None:
        if all(getattr(existing, name) == value for name, value in values.items()):
            report.unchanged += 1
            return None
        return problem("id_number", _(MSG_REGISTERED_OTHERWISE))
    try:
        with transaction.atomic():
            services.person_register(actor=actor, **values)
    except ProcedureError as error:
        fields_found = (error.extra or {}).get("fields") or {}
        for name, messages in fields_found.items():
            column = name if name in LABELS else ""
            for message in messages:
                problem(column, str(message))
        if not fields_found:
            problem("", error.message)
        return None
    report.created += 1
    return None


def _may_register(actor, organisation: Organisation) -> bool:
    """Those over the organisation: its township committee or the county."""
    return actor is None or actor.is_superuser or roles.holds(
        actor, organisation, roles.Role.TOWNSHIP
    ) or roles.holds(actor, organisation, roles.Role.COUNTY)  # fmt: skip


def annotated(content: bytes, report: Report) -> bytes:
    """The workbook as it came, each problem on its cell (red, with a comment) and all of a
    row's problems in a last column 校验结果."""
    book = load_workbook(io.BytesIO(content))
    sheet = book[SHEET]
    header = [_text(cell.value) for cell in sheet[1]]
    result_column = len(header) + 1
    sheet.cell(row=1, column=result_column, value=_("校验结果")).font = Font(bold=True)
    red = PatternFill("solid", fgColor="FFC7CE")
    by_row: dict[int, list[str]] = {}
    for found in report.problems:
        by_row.setdefault(found.row, []).append(
            f"{found.column_label}：{found.message}" if found.column else found.message
        )
        if found.column and found.row >= 2:
            cell = sheet.cell(row=found.row, column=header.index(found.column_label) + 1)
            cell.fill = red
            cell.comment = Comment(found.message, "基层流程引擎")
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=result_column, value="；".join(by_row.get(row, [])) or _("通过"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
