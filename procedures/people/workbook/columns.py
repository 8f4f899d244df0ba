"""The people sheet's shapes: its columns and their choices, the problems and the
report, and the template with its example and lists (shared with member
development's workbook)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from workflows import sheets

from .. import identity
from ..models import Organisation, Person
from ..vocabularies import ETHNICITY_CHOICES

SHEET = "人员"
LISTS = "可选值"
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
    ("standing", "政治面貌"),
    ("full_member_since", "党龄起算日"),
)
# Columns a workbook made before they were added may lack: blank.
OPTIONAL = frozenset({"standing", "full_member_since"})
LABELS = dict(COLUMNS)
# On the roll a person comes in as 群众, or as a full member who joined before the county
# adopted Jiceng; the standings between come with his case (the sheet 办理记录).
ROLL_STANDINGS = (
    (Person.Standing.MASSES, Person.Standing.MASSES.label),
    (Person.Standing.FULL, Person.Standing.FULL.label),
)
MSG_STANDING_FROM_CASE = gettext_noop(
    "政治面貌只填“群众”或“正式党员”（党龄起算日在本县使用系统之前）；入党申请人、积极分子、"
    "发展对象、预备党员随其发展党员案卷导入。"
)
MSG_ROLL_DATE_NEEDED = gettext_noop("正式党员须填写党龄起算日（转正日期）。")
CHOICES = {
    "gender": Person.Gender.choices,
    "education": Person.Education.choices,
    "occupation": Person.Occupation.choices,
    "ethnicity": ETHNICITY_CHOICES,
    "standing": ROLL_STANDINGS,
}
MAX_ROWS = 20_000
MSG_DATE_FORM = gettext_noop(
    "日期应写成“1990年1月31日”“1990-01-31”或“1990.1.31”的形式，或设为日期格式。"
)
MSG_REGISTERED_OTHERWISE = gettext_noop(
    "该居民身份证号码已登记，登记的信息与本行不同（导入不修改已登记的人员）。"
)
# A number registered outside the importer's scope: the row is held for the county without
# saying why (saying "已登记" would let anyone with import rights test whose number it is).
MSG_HELD_FOR_COUNTY = gettext_noop("本行须由县委组织部核实后登记，请将本行交县委组织部办理。")
UNITS = (
    Organisation.Kind.VILLAGE_BRANCH,
    Organisation.Kind.VILLAGERS_COMMITTEE,
    Organisation.Kind.TOWNSHIP_COMMITTEE,
    Organisation.Kind.ORG_DEPARTMENT,
)


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # a field of the sheet's columns, or "" for the whole row
    message: str
    sheet: str = SHEET
    label: str = ""  # the column's header, where the sheet is not 人员

    @property
    def column_label(self) -> str:
        return self.label or LABELS.get(self.column, "")


KEPT_PROBLEMS = 5000  # a report shows this many, and counts the rest


class Problems(list):
    """A report's problems: the first `KEPT_PROBLEMS` kept, the rest only counted (a file
    with a problem on each of 200,000 rows would otherwise hold 200,000 messages)."""

    def __init__(self, problems=()) -> None:
        super().__init__()
        self.dropped = 0
        self.extend(problems)

    def append(self, problem) -> None:
        if len(self) < KEPT_PROBLEMS:
            super().append(problem)
        else:
            self.dropped += 1

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)

    @property
    def found(self) -> int:  # all found, kept or not
        return len(self) + self.dropped


@dataclass
class Report:
    rows: int = 0
    created: int = 0  # written (or, in a dry run, that would be)
    unchanged: int = 0  # registered already, the same
    problems: Problems = field(default_factory=Problems)
    written: bool = False
    created_ids: list[int] = field(default_factory=list)  # who was registered (when written)
    opened: bool = True  # False: not a workbook within the limits (nothing to annotate)

    @property
    def ok(self) -> bool:
        return not self.problems


EXAMPLE_NUMBER = identity.make_number("529901", date(1990, 1, 31), 1, male=True)  # fictitious
EXAMPLE_PEOPLE = {
    "name": "张三", "gender": "男", "ethnicity": "汉族", "birth_date": "1990年1月31日",
    "id_number": EXAMPLE_NUMBER, "education": "高中、中专", "occupation": "农民",
    "phone": "19900000000", "organisation": "中共××镇××村支部委员会（写组织全称）",
    "standing": "群众", "full_member_since": "",
}  # fmt: skip
MSG_EXAMPLE = gettext_noop("本表只是填写示例，导入时不读取；请在“%(sheet)s”表中填写。")


def template() -> bytes:
    """The workbook to fill: the header row, lists for the coded columns, and a sheet with
    an example row (the import never reads it)."""
    book = Workbook()
    book.active.title = SHEET
    add_sheet(book, SHEET, COLUMNS, CHOICES)
    add_example(book, SHEET, COLUMNS, [EXAMPLE_PEOPLE])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def add_example(book, title: str, columns, rows: list[dict]) -> None:
    """A sheet 「title（填写示例）」 after `title`'s: its header, the example rows, a note that
    the import does not read it."""
    sheet = book.create_sheet(f"{title}（填写示例）", index=book.sheetnames.index(title) + 1)
    sheets.append(sheet, [label for _name, label in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheets.append(sheet, [row.get(name, "") for name, _label in columns])
    sheets.append(sheet, [])
    sheets.append(sheet, [_(MSG_EXAMPLE) % {"sheet": title}])


def add_sheet(book, title: str, columns, choices: dict, rows=()) -> None:
    """A sheet of `book` with the header of `columns`, the `rows` given, and a drop-down
    list on each coded column (its values kept on the sheet 可选值)."""
    sheet = book[title] if title in book.sheetnames else book.create_sheet(title)
    labels = dict(columns)
    sheets.append(sheet, [label for _name, label in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheets.append(sheet, row)
    lists = book[LISTS] if LISTS in book.sheetnames else book.create_sheet(LISTS)
    for name, options in choices.items():
        index = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
        sheets.put(lists, 1, index, f"{title}·{labels[name]}")
        for row, (_value, label) in enumerate(options, start=2):
            sheets.put(lists, row, index, str(label))
        letter = lists.cell(row=1, column=index).column_letter
        target = sheet.cell(row=2, column=[n for n, _label in columns].index(name) + 1)
        rule = DataValidation(
            type="list", formula1=f"='{LISTS}'!${letter}$2:${letter}${len(options) + 1}"
        )
        rule.error, rule.errorTitle = _("请从列表中选择。"), labels[name]
        sheet.add_data_validation(rule)
        rule.add(f"{target.column_letter}2:{target.column_letter}{MAX_ROWS + 1}")
    for index, (_name, label) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            10, 3 * len(label)
        )
    book.move_sheet(lists, offset=len(book.sheetnames) - 1 - book.index(lists))  # lists last
