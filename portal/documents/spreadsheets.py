"""A statistics page as an Excel workbook (openpyxl): a sheet per table, its first row the
page's title with the organisation and the period, then the Chinese headers, then the rows,
numbers as numbers (a share as its percent, the header says "（%）")."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from workflows import sheets

from ..headers import name_download

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(body: bytes, name: str):
    """An Excel workbook sent as a download named `name` (.xlsx added)."""

    return name_download(HttpResponse(body, content_type=XLSX), f"{name}.xlsx")


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _NOT_IN_SHEET_NAMES.sub("", title)[:28] or "表"
    name, number = base, 2
    while name in taken:
        name, number = f"{base[:26]}({number})", number + 1
    taken.add(name)
    return name


def _value(cell: dict):
    value = cell.get("value", cell["text"])
    if isinstance(value, Decimal):
        return float(value)
    return value


def workbook(page: dict) -> bytes:
    """`page`: title, subtitle (organisation and period; may be empty), sections (title,
    columns, rows of cells with `text` and, for a number, `value`)."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for section in page["sections"]:
        sheet = book.create_sheet(_sheet_name(section["title"], taken))
        subtitle = f"（{page['subtitle']}）" if page.get("subtitle") else ""
        sheets.append(sheet, [f"{page['title']}：{section['title']}{subtitle}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheets.append(sheet, [str(column) for column in section["columns"]])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in section["rows"]:
            sheets.append(sheet, [_value(cell) for cell in row])
        for index, column in enumerate(section["columns"], start=1):
            longest = max(
                [len(str(column))]
                + [len(str(row[index - 1]["text"])) for row in section["rows"] if len(row) >= index]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(40, 4 + 2 * longest)
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
