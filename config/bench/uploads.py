"""What the worst upload the limits admit costs in memory: workbooks built to the upload
limits (workflows.sheets, the settings JICENG_UPLOAD_*) within the 20 MB upload size, each
checked in a fresh process as the import worker checks it (`load`, a dry run) and as the web
process annotates it (`annotated`); the rise of the process's peak RSS (VmHWM) over its
level before the file is read is the figure. Target: at most 200 MiB for each."""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass

from .db import ROOT

UPLOAD_BYTES = 20 * 1024 * 1024
TARGET_RISE_MIB = 200.0


@dataclass(frozen=True)
class Worst:
    what: str
    size_mib: float
    unpacked_mib: float
    worker_mib: float
    web_mib: float


def _letters(rng: random.Random, count: int) -> str:
    return "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", k=count))


def dense_history(*, rows: int, filled: int) -> bytes:
    """The 办理记录 sheet at the row limit, `filled` cells of distinct text a row (inline, as
    Jiceng's own export writes them)."""
    import openpyxl

    from procedures.membership import workbook as case_book
    from procedures.people import workbook as people_book
    from workflows import sheets

    rng = random.Random(1)
    book = openpyxl.Workbook(write_only=True)
    for name, columns in (
        (people_book.SHEET, people_book.COLUMNS),
        (case_book.CASES, case_book.CASE_COLUMNS),
        (case_book.HISTORY, case_book.HISTORY_COLUMNS),
    ):
        sheet = book.create_sheet(name)
        sheets.append(sheet, [label for _name, label in columns])
        if name == case_book.HISTORY:
            for number in range(rows):
                sheets.append(sheet, [str(number)] + [_letters(rng, 6) for _ in range(filled - 1)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_strings(*, strings: int, per_row: int) -> bytes:
    """A workbook whose shared text table is as large as the limit lets it be, every entry
    distinct and referenced from 办理记录, `per_row` a row (as Excel saves a file)."""
    from procedures.membership import workbook as case_book

    rng = random.Random(2)
    template = zipfile.ZipFile(io.BytesIO(case_book.template()))
    parts = {name: template.read(name) for name in template.namelist()}
    table = "".join(f"<si><t>{_letters(rng, 8)}</t></si>" for _ in range(strings))
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{strings}" uniqueCount="{strings}">{table}</sst>'
    ).encode()
    history = _history_part(parts)
    header = parts[history].split(b"<sheetData>", 1)
    rows = []
    count = strings // per_row
    for number in range(count):  # below the template's header and its (empty) row 2
        cells = "".join(
            f'<c r="{chr(65 + k)}{number + 3}" t="s"><v>{number * per_row + k}</v></c>'
            for k in range(per_row)
        )
        rows.append(f'<row r="{number + 3}">{cells}</row>')
    body = header[1].split(b"</sheetData>", 1)
    start = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:U{count + 2}"/>'.encode(),
                   header[0])  # fmt: skip
    parts[history] = (
        start + b"<sheetData>" + body[0] + "".join(rows).encode() + b"</sheetData>" + body[1]
    )
    types = parts["[Content_Types].xml"]
    if b"sharedStrings" not in types:
        parts["[Content_Types].xml"] = types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    relations = parts["xl/_rels/workbook.xml.rels"]
    if b"sharedStrings" not in relations:
        parts["xl/_rels/workbook.xml.rels"] = relations.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>",
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _history_part(parts: dict[str, bytes]) -> str:
    from procedures.membership import workbook as case_book

    book = parts["xl/workbook.xml"].decode()
    names = [chunk.split('"', 1)[0] for chunk in book.split('name="')[1:]]
    return f"xl/worksheets/sheet{names.index(case_book.HISTORY) + 1}.xml"


_CHILD = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
import openpyxl  # loaded before the level is read
from types import SimpleNamespace
from procedures.membership import workbook as case_book
from procedures.people import workbook as people_book

def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024

content = open(sys.argv[1], "rb").read()
before = peak()
if sys.argv[2] == "worker":
    report = case_book.load(content, actor=None, dry_run=True)
    assert report.cases or report.all_problems, "nothing was read"
else:
    people_book.annotated(content, SimpleNamespace(problems=[]), (case_book.HISTORY,))
print(peak() - before)
"""


def _rise(path: str, role: str) -> float:
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _CHILD, path, role],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    )
    return float(done.stdout.strip().splitlines()[-1])


def measure(*, quick: bool = False) -> list[Worst]:
    """The worst files the limits admit, each measured in the worker's and the web's role."""
    from django.conf import settings

    from workflows import sheets

    cells = settings.JICENG_UPLOAD_CELLS
    rows = settings.JICENG_UPLOAD_ROWS - 2
    strings = int(settings.JICENG_UPLOAD_STRINGS_MIB * 1024 * 1024 * 0.98) // 26
    if quick:
        rows, strings = 2000, 20_000
    built = {
        f"办理记录 at the row limit, {min(cells, rows * 6):,} distinct texts": dense_history(
            rows=min(rows, cells // 6), filled=6
        ),
        f"shared text at its limit ({strings:,} distinct entries, all referenced)": shared_strings(
            strings=strings, per_row=6
        ),
    }
    found = []
    for what, content in built.items():
        refused = sheets.check_upload(content)
        if refused is not None or len(content) > UPLOAD_BYTES:
            raise RuntimeError(f"the worst file is not admitted: {what}: {refused}")
        unpacked = sum(e.file_size for e in zipfile.ZipFile(io.BytesIO(content)).infolist())
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
            file.write(content)
            file.flush()
            found.append(
                Worst(
                    what,
                    len(content) / 2**20,
                    unpacked / 2**20,
                    _rise(file.name, "worker"),
                    _rise(file.name, "web"),
                )
            )
    return found
