"""Excel workbooks Jiceng writes, and the ones people upload.

Writing: every cell goes through `cell`/`append`/`put`, which keep text as text. openpyxl turns
a string starting with "=" into a live formula; a name typed as `=HYPERLINK(...)` would be one
in every export. Text is stored as a string cell, and a value that a spreadsheet would read as
the start of a formula (= + - @, a tab or a carriage return) also carries Excel's quote prefix,
so editing the cell keeps it text.

Reading: an upload is a zip of XML that openpyxl unpacks in memory; a small file can unpack to
gigabytes. `check_upload` reads the zip's directory and each sheet's declared size before
openpyxl opens anything, against limits no county's real file comes near."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell.cell import Cell
from openpyxl.cell.read_only import EmptyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(made, value):
    if isinstance(value, str):
        made.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            made.quotePrefix = True
    return made


def cell(sheet, value):
    """A cell of `sheet` (either kind) holding `value`, text as text."""
    if isinstance(sheet, WriteOnlyWorksheet):
        from openpyxl.cell import WriteOnlyCell

        return _as_text(WriteOnlyCell(sheet, value=value), value)
    return _as_text(Cell(sheet, value=value), value)


def append(sheet, values) -> None:
    """A row at the foot of `sheet`, every text written as text."""
    sheet.append([value if isinstance(value, Cell) else cell(sheet, value) for value in values])


def put(sheet, row: int, column: int, value):
    """`value` into the cell at `row`, `column` of a worksheet, text as text."""
    target = sheet.cell(row=row, column=column)
    target.value = value
    return _as_text(target, value)


def value_of(read) -> object:
    """A cell read from an upload, as a value to write again (an empty one as None)."""
    return None if isinstance(read, EmptyCell) else read.value


# Uploads.

MSG_NOT_WORKBOOK = gettext_noop("无法读取该文件，请使用下载的模板（.xlsx）填写。")
MSG_TOO_LARGE = gettext_noop(
    "该表格解压后超过%(limit)sMB（%(what)s），超出一个县的数据量，请分成几个文件导入。"
)
MSG_TOO_MANY_ROWS = gettext_noop(
    "工作表“%(sheet)s”有%(rows)s行，超过%(limit)s行的上限，请分成几个文件导入。"
)
MSG_TOO_MANY_COLUMNS = gettext_noop(
    "工作表“%(sheet)s”有%(columns)s列，超过%(limit)s列的上限，请使用下载的模板填写。"
)
MSG_STRUCTURE = gettext_noop(
    "该表格的结构异常（%(what)s），请使用下载的模板（.xlsx）另存后重新上传。"
)

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


@dataclass(frozen=True)
class UploadLimits:
    """What an uploaded workbook may unpack to (settings.JICENG_UPLOAD_*)."""

    unpacked_mib: int
    entries: int
    ratio: int
    rows: int
    columns: int
    strings_mib: int  # the shared strings, which openpyxl reads whole
    cells: int  # filled cells of one sheet, counted as it is read

    @classmethod
    def current(cls) -> UploadLimits:
        return cls(
            unpacked_mib=settings.JICENG_UPLOAD_UNPACKED_MIB,
            entries=settings.JICENG_UPLOAD_ENTRIES,
            ratio=settings.JICENG_UPLOAD_RATIO,
            rows=settings.JICENG_UPLOAD_ROWS,
            columns=settings.JICENG_UPLOAD_COLUMNS,
            strings_mib=settings.JICENG_UPLOAD_STRINGS_MIB,
            cells=settings.JICENG_UPLOAD_CELLS,
        )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part in the zip, with the name the workbook gives it."""
    from defusedxml import ElementTree

    names: dict[str, str] = {}
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return names
    targets = {
        relation.get("Id"): relation.get("Target", "").lstrip("/")
        for relation in relations
        if relation.get("Type", "").endswith("/worksheet")
    }
    for element in book.iter():
        if element.tag.endswith("}sheet"):
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            if target:
                part = target if target.startswith("xl/") else f"xl/{target}"
                names[part] = element.get("name", part)
    return names


def check_upload(content: bytes, limits: UploadLimits | None = None) -> str | None:
    """Why the uploaded workbook may not be opened (a message in Chinese), or None. Reads the
    zip's directory and the first bytes of each sheet only: nothing is unpacked whole."""
    limits = limits or UploadLimits.current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return _(MSG_NOT_WORKBOOK)
    if len(entries) > limits.entries:
        return _(MSG_STRUCTURE) % {"what": _("%(count)s个部件") % {"count": len(entries)}}
    total = sum(entry.file_size for entry in entries)
    if total > limits.unpacked_mib * 1024 * 1024:
        what = _("共%(mib)sMB") % {"mib": total // (1024 * 1024)}
        return _(MSG_TOO_LARGE) % {"limit": limits.unpacked_mib, "what": what}
    for entry in entries:
        if entry.filename.lower().endswith("sharedstrings.xml") and (
            entry.file_size > limits.strings_mib * 1024 * 1024
        ):
            what = _("共享文本%(mib)sMB") % {"mib": entry.file_size // (1024 * 1024)}
            return _(MSG_TOO_LARGE) % {"limit": limits.strings_mib, "what": what}
        packed = max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and entry.file_size / packed > limits.ratio:
            what = _("%(part)s压缩了%(ratio)s倍") % {
                "part": entry.filename,
                "ratio": entry.file_size // packed,
            }
            return _(MSG_STRUCTURE) % {"what": what}
    with archive:
        for part, name in _sheet_names(archive).items():
            try:
                with archive.open(part) as stream:
                    head = stream.read(4096)
            except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
                return _(MSG_NOT_WORKBOOK)
            found = _DIMENSION.search(head)
            if found is None:
                continue  # no declared size: the streaming readers count rows as they go
            try:
                declared = CellRange(found.group(1).decode())
            except ValueError:
                return _(MSG_STRUCTURE) % {"what": name}
            if declared.max_row > limits.rows:
                said = {"sheet": name, "rows": declared.max_row, "limit": limits.rows}
                return _(MSG_TOO_MANY_ROWS) % said
            if declared.max_col > limits.columns:
                said = {"sheet": name, "columns": declared.max_col, "limit": limits.columns}
                return _(MSG_TOO_MANY_COLUMNS) % said
    return None


MSG_TOO_MANY_CELLS = gettext_noop(
    "工作表“%(sheet)s”填写的单元格超过%(limit)s个，请分成几个文件导入。"
)


def rows_refusal(sheet_name: str, rows: int, cells: int = 0) -> str | None:
    """The refusal for a sheet found, while streaming it, to hold more rows, or more filled
    cells, than allowed."""
    limits = UploadLimits.current()
    if rows > limits.rows:
        return _(MSG_TOO_MANY_ROWS) % {"sheet": sheet_name, "rows": rows, "limit": limits.rows}
    if cells > limits.cells:
        return _(MSG_TOO_MANY_CELLS) % {"sheet": sheet_name, "limit": f"{limits.cells:,}"}
    return None
