"""Reading cells as officials fill them: text, dates in their written forms and as
Excel serials, coded choices; the book opened and its rows read within the upload's
limits."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from workflows import sheets

from .columns import CHOICES, COLUMNS, MAX_ROWS, OPTIONAL, SHEET, Problem


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
