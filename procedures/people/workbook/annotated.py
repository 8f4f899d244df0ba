"""The workbook given back with its problems marked on their rows and cells."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from workflows import sheets
from workflows.errors import ProcedureError

from .cells import cell_text, open_book
from .columns import SHEET, Report


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
