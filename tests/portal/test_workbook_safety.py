"""Excel in and out, as an attacker would try it: a name typed as a formula stays text in every
workbook Jiceng writes (every download, every sheet); an upload is bounded before openpyxl
opens it, its annotated copy is streamed under the same bounds; an unreadable file offers no
annotated copy; an import whose worker keeps dying stops after a bounded number of tries."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from portal.models import ImportRun
from portal.staff import import_runs
from procedures.people import workbook
from workflows import sheets

from ..procedures.membership.walk import open_case, world

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x.cn/a","查看")'
TRICKS = [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "=1+1"]


def _cells(content: bytes):
    """Every cell of every sheet, as written (not evaluated)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_text_only(content: bytes, *, expect: tuple[str, ...] = ()) -> None:
    cells = list(_cells(content))
    formulas = [(c.parent.title, c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    values = {c.value for c in cells}
    for text in expect:
        assert text in values, text
        held = next(c for c in cells if c.value == text)
        assert held.data_type == "s" and held.quotePrefix


def test_the_writer_keeps_every_trick_as_text():
    book = openpyxl.Workbook()
    sheet = book.active
    sheets.append(sheet, TRICKS)
    sheets.put(sheet, 2, 1, FORMULA)
    streamed = openpyxl.Workbook(write_only=True)
    sheets.append(streamed.create_sheet("s"), TRICKS)
    for made in (book, streamed):
        out = io.BytesIO()
        made.save(out)
        _assert_text_only(out.getvalue(), expect=tuple(TRICKS))


def _formula_world():
    """A township's organiser with rights to export, and an applicant named as a formula with
    a case in flight."""
    w = world()
    w.applicant.name = FORMULA
    w.applicant.save(update_fields=["name"])
    open_case(w)
    w.organiser.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return w


def test_every_download_writes_a_formula_name_as_text(client, import_worker):
    """Walks every workbook the staff pages send: the templates, the export of people and
    cases, the annotated check, the development ledger and each statistics page's Excel."""
    w = _formula_world()
    client.force_login(w.organiser)
    page = reverse("staff:people_import")
    year = timezone.localdate().year
    downloads = {
        "people template": (page, {"template": "1"}),
        "cases template": (page, {"template": "cases"}),
        "export": (page, {"export": "1"}),
        "ledger": (reverse("staff:development_ledger"), {"year": year}),
        "statistics": (reverse("staff:statistics"), {"format": "xlsx"}),
        "plans": (reverse("staff:plans"), {"format": "xlsx"}),
        "life": (reverse("staff:life_statistics"), {"format": "xlsx"}),
        "report": (reverse("staff:report"), {"format": "xlsx", "year": year}),
    }
    book = openpyxl.load_workbook(io.BytesIO(workbook.template()))
    sheets.append(book[workbook.SHEET], [FORMULA, "男", "汉族", "1990-01-01", "1"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "people.xlsx"
    with import_worker(execute=True):
        sent = client.post(page, {"workbook": upload, "action": "check"})
    run = sent.url.split("run=")[1]
    downloads["annotated"] = (page, {"run": run, "annotated": "1"})
    for name, (url, query) in downloads.items():
        response = client.get(url, query)
        assert response.status_code == 200, name
        assert response["Content-Type"].endswith("spreadsheetml.sheet"), name
        expect = (FORMULA,) if name in ("export", "ledger", "annotated") else ()
        _assert_text_only(response.content, expect=expect)


# Uploads.


def _zip(parts: dict[str, bytes], *, level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(workbook.template())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_bomb_is_refused_before_it_is_unpacked(settings):
    parts = _template_parts()
    bomb = dict(parts)
    bomb["xl/sharedStrings.xml"] = b"<sst>" + b"<si><t>a</t></si>" * 10_000_000 + b"</sst>"
    content = _zip(bomb)
    assert len(content) < 1_000_000  # a small file whose shared text unpacks to 170 MB
    assert "解压后超过30MB（共享文本162MB）" in sheets.check_upload(content)
    dense = dict(parts)
    dense["xl/worksheets/filler.xml"] = b"<x>" + b"<c/>" * 4_000_000 + b"</x>"
    assert "压缩了" in sheets.check_upload(_zip(dense))  # 16 MB from about 20 KB
    # The whole unpacked size, at its bound: the template itself is about 100 KB.
    unpacked = sum(len(data) for data in parts.values())
    settings.JICENG_UPLOAD_UNPACKED_MIB = 0
    assert "解压后超过0MB" in sheets.check_upload(_zip(parts))
    assert unpacked < 1024 * 1024
    settings.JICENG_UPLOAD_UNPACKED_MIB = 1
    assert sheets.check_upload(_zip(parts)) is None


def test_a_report_keeps_the_first_problems_and_counts_the_rest():
    """A file with a problem on each of its 200,000 rows would hold as many messages: the
    report keeps the first ones (the page shows them) and counts all."""
    kept = workbook.KEPT_PROBLEMS
    problems = workbook.Problems(workbook.Problem(n, "", "问题") for n in range(kept + 7))
    problems.append(workbook.Problem(0, "", "再一个"))
    problems.extend([workbook.Problem(0, "", "又一个")])
    assert len(problems) == kept and problems.found == kept + 9 and problems


def test_a_sheet_filled_past_its_cells_is_refused_as_it_is_read(settings):
    w = world()
    settings.JICENG_UPLOAD_CELLS = 25
    book = openpyxl.load_workbook(io.BytesIO(workbook.template()))
    for number in range(3):  # 5 filled cells a row: 15, then the limit at 25 passes
        sheets.append(book[workbook.SHEET], [f"人{number}", "男", "汉族", "1990-01-01", "1"])
    out = io.BytesIO()
    book.save(out)
    assert all(
        "单元格" not in p.message
        for p in workbook.load(out.getvalue(), actor=w.organiser, dry_run=True).problems
    )
    for number in range(3, 6):  # 30 filled: refused
        sheets.append(book[workbook.SHEET], [f"人{number}", "男", "汉族", "1990-01-01", "1"])
    out = io.BytesIO()
    book.save(out)
    report = workbook.load(out.getvalue(), actor=w.organiser, dry_run=True)
    assert [p.message for p in report.problems] == [
        "工作表“人员”填写的单元格超过25个，请分成几个文件导入。"
    ]


def test_a_sheet_declaring_a_million_rows_is_refused_and_a_real_one_passes():
    parts = _template_parts()
    sheet_part = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    far = dict(parts)
    far[sheet_part] = re.sub(
        rb'<dimension ref="A1:([A-Z]+)[0-9]+"/>',
        rb'<dimension ref="A1:\g<1>1048576"/>',
        parts[sheet_part],
    )
    assert far[sheet_part] != parts[sheet_part]
    refused = sheets.check_upload(_zip(far))
    assert "1048576行，超过200000行的上限" in refused
    assert sheets.check_upload(workbook.template()) is None
    assert sheets.check_upload(b"plain text") == "无法读取该文件，请使用下载的模板（.xlsx）填写。"


def test_the_limits_admit_the_bench_s_largest_history_sheet(settings):
    """The 10,000-case workbook has about 166,000 rows in 办理记录: under the row limit."""
    assert settings.JICENG_UPLOAD_ROWS > 166_000
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(workbook.SHEET)
    for number in range(170_000):
        sheets.append(sheet, [f"人{number}", "男"])
    out = io.BytesIO()
    book.save(out)
    assert sheets.check_upload(out.getvalue()) is None


def test_the_annotated_copy_streams_and_stops_at_the_row_limit(settings):
    w = world()
    book = openpyxl.load_workbook(io.BytesIO(workbook.template()))
    sheet = book[workbook.SHEET]
    for number in range(30):
        sheets.append(sheet, [f"人{number}", "男", "汉族", date(1990, 1, 1), "1"])
    out = io.BytesIO()
    book.save(out)
    report = workbook.load(out.getvalue(), actor=w.organiser, dry_run=True)
    marked = openpyxl.load_workbook(io.BytesIO(workbook.annotated(out.getvalue(), report)))
    rows = list(marked[workbook.SHEET].iter_rows(values_only=True))
    assert rows[0][-1] == "校验结果" and len(rows) == 31 and all(r[-1] for r in rows[1:])
    settings.JICENG_UPLOAD_ROWS = 20
    from workflows.errors import ProcedureError

    with pytest.raises(ProcedureError) as refused:
        workbook.annotated(out.getvalue(), report)
    assert "超过20行的上限" in refused.value.message


def test_an_unreadable_upload_offers_no_annotated_copy_and_its_address_is_404(
    client, import_worker
):
    w = world()
    client.force_login(w.organiser)
    upload = io.BytesIO(b"name,id\n")
    upload.name = "people.xlsx"
    with import_worker(execute=True):
        sent = client.post(reverse("staff:people_import"), {"workbook": upload, "action": "check"})
    page = client.get(sent.url).content.decode()
    assert "无法读取该文件" in page and "下载标注问题的表格" not in page
    answer = client.get(sent.url + "&annotated=1")
    assert answer.status_code == 404


def test_an_import_whose_worker_keeps_dying_is_marked_failed_with_why():
    w = world()
    run = ImportRun.objects.create(
        user=w.organiser, filename="big.xlsx", content=workbook.template(), action="check"
    )
    for _dying in range(import_runs.MAX_DELIVERIES):  # each time taken, then the worker died
        ImportRun.objects.filter(pk=run.pk).update(
            deliveries=ImportRun.objects.get(pk=run.pk).deliveries + 1, status="running"
        )
    import_runs.perform(run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.deliveries == 4
    assert "已中断3次" in run.report["failure"]
    fresh = ImportRun.objects.create(
        user=w.organiser, filename="ok.xlsx", content=workbook.template(), action="check"
    )
    import_runs.perform(fresh.pk)  # the first delivery runs
    fresh.refresh_from_db()
    assert fresh.status == ImportRun.Status.DONE and fresh.deliveries == 1


def test_identity_numbers_in_the_export_stay_text():
    """An ID number (an X at its end, or all digits) is written as text, never a number."""
    from procedures.membership import workbook as case_book

    w = world()
    number = w.applicant.id_number
    cells = [c for c in _cells(case_book.export(w.organiser)) if c.value == number]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_bomb_sent_to_the_import_page_is_refused_in_chinese_with_no_annotated_copy(
    client, import_worker
):
    """From the outside: the small file that unpacks to 170 MB is refused by the page's worker
    with the Chinese message, nothing opened, no annotated copy offered or served."""
    w = world()
    client.force_login(w.organiser)
    parts = _template_parts()
    parts["xl/sharedStrings.xml"] = b"<sst>" + b"<si><t>a</t></si>" * 10_000_000 + b"</sst>"
    upload = io.BytesIO(_zip(parts))
    upload.name = "人员.xlsx"
    with import_worker(execute=True):
        sent = client.post(reverse("staff:people_import"), {"workbook": upload, "action": "check"})
    page = client.get(sent.url).content.decode()
    assert "解压后超过30MB（共享文本162MB）" in page and "下载标注问题的表格" not in page
    assert client.get(sent.url + "&annotated=1").status_code == 404
