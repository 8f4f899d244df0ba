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
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from workflows import sheets
from workflows.errors import ProcedureError

from . import identity, roles, scopes, services
from .models import Organisation, Person
from .vocabularies import ETHNICITY_CHOICES

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


def cell_text(value) -> str:
    """A cell's value as the text typed (a whole number Excel keeps as 3.0 as "3")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number Excel keeps as 3.0
    return str(value).strip()


# Dates as officials write them: 1970年5月3日, 1970.5.3, 1970/5/3, 1970-5-3, 19700503.
_WRITTEN_DATE = re.compile(
    r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?|[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2}))"
)
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)


def cell_date(value) -> date | None:
    """A cell's date: a date cell; a number Excel keeps a date as (its serial); or text in
    the ways officials write dates (1970年5月3日, 1970.5.3, 1970/5/3, 1970-05-03, 19700503).
    None: none of these, or no such day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    text = cell_text(value).translate(_FULL_WIDTH)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    found = _WRITTEN_DATE.fullmatch(text)
    if found is None:
        return None
    year, month, day = (
        found.group(1),
        found.group(2) or found.group(4),
        found.group(3) or found.group(5),
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．／－", "0123456789./-")


def _excel_serial(value: float) -> date | None:
    """A date Excel stored as its day number (a cell formatted as 常规 after typing a date):
    1 is 1900-01-01; only days from 1905 to 2100 are taken."""
    if value != int(value) or not 2100 < value <= 73_050:  # 1900..2100 is a year typed alone
        return None
    return _EXCEL_EPOCH + timedelta(days=int(value))


def _coded(name: str, value: str) -> str:
    """A label of the list (男, 高中、中专, …) as its stored value; an unknown one as typed,
    for the model's own check to refuse."""
    for stored, label in CHOICES[name]:
        if value in (str(label), stored):
            return stored
    return value


def open_book(content: bytes):
    """The uploaded workbook, streamed (read-only), or the problem that it is none or would
    unpack past the limits (`sheets.check_upload`, read before openpyxl opens it)."""
    refused = sheets.check_upload(content)
    if refused is not None:
        return None, Problem(0, "", refused)
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True), None
    except Exception:  # not a workbook openpyxl can read at all
        return None, Problem(0, "", _(sheets.MSG_NOT_WORKBOOK))


def sheet_rows(
    book, sheet_name: str, columns, *, optional=frozenset(), max_rows: int = MAX_ROWS
) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The filled rows of a sheet as (row number, {column: value}), read by the header's
    labels (columns in any order); an empty line is skipped."""
    sheet = book[sheet_name]
    lines = sheet.iter_rows(values_only=True)
    header = [cell_text(value) for value in next(lines, ())]
    missing = [label for name, label in columns if label not in header and name not in optional]
    labels = dict(columns)
    if missing:
        message = _("“%(sheet)s”表头缺少：%(columns)s。") % {
            "sheet": sheet_name,
            "columns": "、".join(missing),
        }
        return [], [Problem(1, "", message, sheet_name)]
    where = {name: header.index(label) for name, label in columns if label in header}
    index = {name: position for position, name in enumerate(labels)}
    taken = [where.get(name) for name in labels]
    rows, filled = [], 0
    for number, values in enumerate(lines, start=2):
        if number > max_rows + 1:
            message = _("“%(sheet)s”一次最多导入%(max)s行，请分批导入。") % {
                "sheet": sheet_name,
                "max": max_rows,
            }
            return [], [Problem(number, "", message, sheet_name)]
        kept = tuple(values[i] if i is not None and i < len(values) else None for i in taken)
        present = sum(cell_text(value) != "" for value in kept)
        if not present:
            continue  # an empty line
        filled += present
        refused = sheets.rows_refusal(sheet_name, number, filled)
        if refused is not None:
            return [], [Problem(number, "", refused, sheet_name)]
        rows.append((number, Cells(index, kept)))
    return rows, []


class Cells(Mapping):
    """A row's cells by column name, kept as a tuple beside the sheet's one index of names
    (a sheet of 166,000 rows held as dicts took about a kilobyte a row)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple) -> None:
        self._index, self._values = index, values

    def __getitem__(self, name: str):
        return self._values[self._index[name]]

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __reduce__(self):  # to the processes of a parallel import
        return Cells, (self._index, self._values)


def _rows(content: bytes) -> tuple[list[tuple[int, dict]], list[Problem], bool]:
    """The sheet's rows, the problems found reading it, and whether the file opened at all."""
    book, problem = open_book(content)
    if problem is not None:
        return [], [problem], False
    if SHEET not in book.sheetnames:
        return (
            [],
            [
                Problem(
                    0,
                    "",
                    _("工作簿中没有名为“%(sheet)s”的工作表，请使用下载的模板。") % {"sheet": SHEET},
                )
            ],
            True,
        )
    return (*sheet_rows(book, SHEET, COLUMNS, optional=OPTIONAL), True)


def load(
    content: bytes, *, actor, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> Report:
    """Check every row (and, unless `dry_run` or a problem was found, write them all)."""
    rows, problems, opened = _rows(content)
    report = Report(rows=len(rows), problems=Problems(problems), opened=opened)
    if problems:
        return report
    with transaction.atomic():
        register_rows(rows, report, actor=actor, progress=progress)
        report.written = not dry_run and report.ok
        if not report.written:
            transaction.set_rollback(True)  # a dry run, or a problem: nothing is written
    return report


def register_rows(
    rows: list[tuple[int, dict]],
    report: Report,
    *,
    actor,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Register each row (inside the caller's transaction), each problem on its cell."""
    visible = scopes.visible_organisations(actor).filter(kind__in=UNITS)
    # The organisations the user may register people in, asked once each.
    by_name = {org.name: org for org in visible if may_register(actor, org)}
    numbers = [identity.normalise(cell_text(cells["id_number"])) for _number, cells in rows]
    registered = {
        p.id_number: p
        for p in Person.objects.filter(id_number__in=numbers).select_related("organisation")
    }
    seen: dict[str, int] = {}
    for done, (number, cells) in enumerate(rows, start=1):
        _one(report, number, cells, actor=actor, by_name=by_name, seen=seen, registered=registered)
        if progress is not None:
            progress(done, len(rows))


def _one(
    report: Report,
    number: int,
    cells: dict,
    *,
    actor,
    by_name: dict,
    seen: dict,
    registered: dict | None = None,
) -> None:
    def problem(column: str, message: str) -> None:
        report.problems.append(Problem(number, column, message))

    fields = {name: cell_text(cells[name]) for name, _label in COLUMNS}
    for name, value in fields.items():
        if "\x00" in value:
            return problem(name, _("含有无法保存的控制字符（NUL），请删除后重试。"))
    fields["id_number"] = identity.normalise(fields["id_number"])
    birth = cell_date(cells["birth_date"])
    if fields["birth_date"] and birth is None:
        return problem("birth_date", _(MSG_DATE_FORM))
    standing = _coded("standing", fields["standing"] or str(Person.Standing.MASSES.label))
    if standing not in (Person.Standing.MASSES, Person.Standing.FULL):
        return problem("standing", _(MSG_STANDING_FROM_CASE))
    member_since = cell_date(cells["full_member_since"])
    if fields["full_member_since"] and member_since is None:
        return problem("full_member_since", _(MSG_DATE_FORM))
    if standing == Person.Standing.FULL and member_since is None:
        return problem("full_member_since", _(MSG_ROLL_DATE_NEEDED))
    if standing != Person.Standing.FULL:
        member_since = None
    organisation = by_name.get(fields["organisation"])
    if organisation is None:
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
    if registered is None:  # one row alone
        found = Person.objects.filter(id_number=values["id_number"]).select_related("organisation")
        registered = {p.id_number: p for p in found}
    existing = registered.get(values["id_number"]) if values["id_number"] else None
    if existing is not None and not _sees(actor, existing):
        return problem("id_number", _(MSG_HELD_FOR_COUNTY))
    if existing is not None:
        values["standing"], values["full_member_since"] = standing, member_since
        if standing == Person.Standing.MASSES:  # his case, if any, made him what he is now
            values.pop("standing")
            values.pop("full_member_since")
        if all(getattr(existing, name) == value for name, value in values.items()):
            report.unchanged += 1
            return None
        return problem("id_number", _(MSG_REGISTERED_OTHERWISE))
    try:
        with transaction.atomic():
            person = services.person_register(actor=actor, full_member_since=member_since, **values)
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
    report.created_ids.append(person.pk)
    return None


def _sees(actor, person: Person) -> bool:
    """Whether the importer sees the person already registered under a row's number."""
    if actor is None or actor.is_superuser:
        return True
    return person.organisation_id is not None and roles.in_scope(actor, person.organisation)


def may_register(actor, organisation: Organisation) -> bool:
    """Those over the organisation: its township committee or the county."""
    return actor is None or actor.is_superuser or roles.holds(
        actor, organisation, roles.Role.TOWNSHIP
    ) or roles.holds(actor, organisation, roles.Role.COUNTY)  # fmt: skip


def annotated(content: bytes, report: Report, sheets_checked: tuple[str, ...] = (SHEET,)) -> bytes:
    """The workbook as it came, each problem on its cell (red, with a comment) and all of a
    row's problems in a last column 校验结果, on each of the checked sheets. Streamed: read
    row by row and written row by row (openpyxl's read-only and write-only books), under the
    same limits as the import; a file that cannot be read raises ProcedureError."""
    book, problem = open_book(content)
    if problem is not None:
        raise ProcedureError("unreadable_workbook", problem.message, status=404)
    out = Workbook(write_only=True)
    red = PatternFill("solid", fgColor="FFC7CE")
    problems = getattr(
        report, "all_problems", report.problems
    )  # a case workbook's, with its people
    for name in book.sheetnames:
        source, target = book[name], out.create_sheet(name)
        checked = name in sheets_checked
        by_row: dict[int, list] = {}
        for found in problems:
            if checked and found.sheet == name:
                by_row.setdefault(found.row, []).append(found)
        header: list[str] = []
        for number, row in enumerate(source.iter_rows(), start=1):
            refused = sheets.rows_refusal(name, number)
            if refused is not None:
                raise ProcedureError("workbook_too_large", refused)
            values = [sheets.value_of(read) for read in row]
            cells = [sheets.cell(target, value) for value in values]
            if number == 1:
                header = [cell_text(value) for value in values]
                if checked:
                    result = sheets.cell(target, _("校验结果"))
                    result.font = Font(bold=True)
                    cells.append(result)
            elif checked:
                found_here = by_row.get(number, [])
                for found in found_here:
                    label = found.column_label
                    if found.column and label in header:
                        index = header.index(label)
                        cells.extend(
                            sheets.cell(target, None) for _ in range(index + 1 - len(cells))
                        )
                        cells[index].fill = red
                        cells[index].comment = Comment(found.message, "基层流程引擎")
                cells.extend(sheets.cell(target, None) for _ in range(len(header) - len(cells)))
                said = [
                    f"{found.column_label}：{found.message}" if found.column else found.message
                    for found in found_here
                ]
                cells.append(sheets.cell(target, "；".join(said) or _("通过")))
            target.append(cells)
    book.close()
    stream = io.BytesIO()
    out.save(stream)
    return stream.getvalue()
