"""People from a county's spreadsheet: a workbook with planted errors is reported on each row
and cell and imports nothing; the corrected workbook imports everyone; importing it twice
changes nothing; the page and the command do the same."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from procedures.people import identity, workbook
from procedures.people.models import Person
from procedures.people.workbook import registering
from tests import factories
from workflows.audit import verify_chain
from workflows.models import AuditEvent

from ..membership.walk import world

pytestmark = pytest.mark.django_db
BORN = date(1990, 3, 7)


def _number(sequence: int, *, born: date = BORN, male: bool = True) -> str:
    return identity.make_number("529903", born, 500 + 2 * sequence, male=male)  # not the factories'


def _row(w, sequence: int, **changes) -> dict:
    row = {
        "姓名": f"导入人{sequence}", "性别": "男", "民族": "汉族", "出生日期": BORN,
        "居民身份证号码": _number(sequence), "学历": "高中、中专", "职业": "农民",
        "联系电话": "", "所在组织": w.tree.branches[sequence % 2].name,
    }  # fmt: skip
    row.update(changes)
    return row


def _book(rows: list[dict]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(workbook.template()))
    sheet = book[workbook.SHEET]
    header = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(label) for label in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _planted(w) -> tuple[list[dict], dict[int, str]]:
    """Twelve rows with an error each among good ones; {spreadsheet row: the column at fault}."""
    registered = factories.person(w.branch, name="已登记人", born=BORN)
    bad_digit = _number(3)[:-1] + ("0" if _number(3)[-1] != "0" else "1")
    rows = [
        _row(w, 1),
        _row(w, 2, 居民身份证号码=bad_digit),  # check digit
        _row(w, 4, 出生日期=date(1991, 3, 7)),  # the ID says 1990-03-07
        _row(w, 5, 性别="女"),  # the ID says male
        _row(w, 6),
        _row(w, 7, 居民身份证号码=_number(6)),  # the row above's number again
        _row(w, 8, 所在组织="不存在村党支部"),
        _row(w, 9, 所在组织=w.tree.branches[2].name),  # another township's: out of scope
        _row(w, 10, 性别="未知"),
        _row(w, 11, 学历="博士后"),
        _row(w, 12, 出生日期="1990-02-30"),
        _row(w, 13, 姓名=""),
        _row(w, 14, 居民身份证号码=registered.id_number, 姓名="另一个人"),  # registered, unlike
        _row(w, 15, 民族="火星族"),
        _row(w, 16),
    ]
    faults = {3: "id_number", 4: "id_number", 5: "id_number", 7: "id_number",
              8: "organisation", 9: "organisation", 10: "gender", 11: "education",
              12: "birth_date", 13: "name", 14: "id_number", 15: "ethnicity"}  # fmt: skip
    return rows, faults


def _corrected(w) -> list[dict]:
    return [_row(w, n) for n in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)]


def test_planted_errors_are_reported_on_their_rows_and_cells_and_nothing_is_imported():
    w = world()
    rows, faults = _planted(w)
    before = Person.objects.count()
    for dry_run in (True, False):
        report = workbook.load(_book(rows), actor=w.organiser, dry_run=dry_run)
        found = {(p.row, p.column) for p in report.problems}
        assert found == set(faults.items()), report.problems
        assert not report.written and Person.objects.count() == before
    messages = {p.row: p.message for p in report.problems}
    assert "与第6行的居民身份证号码重复" in messages[7]
    assert messages[8] == messages[9].replace(w.tree.branches[2].name, "不存在村党支部")
    assert w.tree.branches[2].name in messages[9]  # said back as typed, nothing more of it
    assert "导入不修改已登记的人员" in messages[14]
    # The workbook back, each problem on its cell.
    marked = openpyxl.load_workbook(io.BytesIO(workbook.annotated(_book(rows), report)))
    sheet = marked[workbook.SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header[-1] == "校验结果"
    for row, column in faults.items():
        cell = sheet.cell(row=row, column=header.index(workbook.LABELS[column]) + 1)
        assert cell.comment is not None and cell.comment.text == messages[row]
    assert sheet.cell(row=2, column=len(header)).value == "通过"


def test_the_corrected_workbook_imports_everyone_once_and_again_changes_nothing():
    w = world()
    content = _book(_corrected(w))
    checked = workbook.load(content, actor=w.organiser, dry_run=True)
    assert checked.ok and checked.created == 15 and not checked.written
    assert not Person.objects.filter(name__startswith="导入人").exists()
    done = workbook.load(content, actor=w.organiser, dry_run=False)
    assert done.written and done.created == 15
    imported = Person.objects.filter(name__startswith="导入人")
    assert imported.count() == 15
    assert imported.get(name="导入人4").education == Person.Education.SENIOR
    events = AuditEvent.objects.filter(action="person_registered", actor=w.organiser)
    assert events.count() == 15
    assert all(
        verify_chain(stream=stream) == [] for stream in events.values_list("stream", flat=True)
    )
    again = workbook.load(content, actor=w.organiser, dry_run=False)
    assert (again.created, again.unchanged, again.ok) == (0, 15, True)
    assert imported.count() == 15 and events.count() == 15


def test_a_branch_secretary_does_not_import_and_bad_files_are_said_plainly():
    w = world()
    report = workbook.load(_book(_corrected(w)), actor=w.secretary, dry_run=True)
    assert {p.column for p in report.problems} == {"organisation"}
    assert workbook.load(b"not a workbook", actor=w.organiser, dry_run=True).problems[0].message
    empty = openpyxl.Workbook()
    out = io.BytesIO()
    empty.save(out)
    wrong = workbook.load(out.getvalue(), actor=w.organiser, dry_run=True)
    assert "没有名为“人员”的工作表" in wrong.problems[0].message


def test_the_page_and_the_command(client, tmp_path, import_worker):
    w = world()
    client.force_login(w.secretary)
    assert client.get(reverse("staff:people_import")).status_code == 403
    client.force_login(w.organiser)
    template = client.get(reverse("staff:people_import"), {"template": "1"})
    assert (
        openpyxl.load_workbook(io.BytesIO(template.content))[workbook.SHEET]["A1"].value == "姓名"
    )
    rows, _faults = _planted(w)
    upload = io.BytesIO(_book(rows))
    upload.name = "people.xlsx"
    with import_worker(execute=True):
        sent = client.post(reverse("staff:people_import"), {"workbook": upload, "action": "import"})
    body = client.get(sent.url).content.decode()  # the worker has run: the report
    assert (
        "问题12处" in body and "没有导入任何内容" in body and "与第6行的居民身份证号码重复" in body
    )
    path = tmp_path / "people.xlsx"
    path.write_bytes(_book(_corrected(w)))
    with pytest.raises(CommandError):
        bad = tmp_path / "bad.xlsx"
        bad.write_bytes(_book(rows))
        call_command("import_workbook", str(bad), "--as", w.organiser.username, verbosity=0)
    out = io.StringIO()
    call_command(
        "import_workbook", str(path), "--as", w.organiser.username, stdout=out, verbosity=0
    )
    assert (
        "已导入" in out.getvalue()
        and Person.objects.filter(name__startswith="导入人").count() == 15
    )


def test_a_nul_byte_or_an_over_long_name_is_a_problem_of_its_cell_never_an_error():
    w = world()
    report = workbook.Report()
    row = _row(w, 1)
    cells = {name: row.get(label) for name, label in workbook.COLUMNS}
    registering._one(report, 2, {**cells, "name": "王\x00五"}, actor=w.organiser, by_name={
        w.tree.branches[1].name: w.tree.branches[1]}, seen={})  # fmt: skip
    registering._one(report, 3, {**cells, "name": "王" * 51}, actor=w.organiser, by_name={
        w.tree.branches[1].name: w.tree.branches[1]}, seen={})  # fmt: skip
    assert [(p.row, p.column) for p in report.problems] == [(2, "name"), (3, "name")]
    assert "NUL" in report.problems[0].message and report.created == 0


def test_a_number_registered_outside_the_importer_s_scope_is_held_without_saying_why():
    """The registration oracle: a township's importer learns nothing of a number registered
    in another township (neither 已登记 nor 已登记且相同): the row is held for the county, and
    a number registered in his own scope is still said plainly."""
    w = world()
    elsewhere = factories.person(w.tree.branches[2], name="外乡人", born=BORN)
    mine = factories.person(w.branch, name="本乡人", born=BORN)
    rows = [
        _row(w, 2, 居民身份证号码=elsewhere.id_number),  # differs from the registered one
        _row(w, 3, 姓名="改名人", 居民身份证号码=mine.id_number),
    ]
    report = workbook.load(_book(rows), actor=w.organiser, dry_run=True)
    messages = {p.row: p.message for p in report.problems}
    assert messages[2] == workbook.MSG_HELD_FOR_COUNTY
    assert "已登记" not in messages[2] and elsewhere.name not in messages[2]
    assert "已登记" in messages[3]  # in his own scope: said as before
    county = workbook.load(_book(rows[:1]), actor=w.county, dry_run=True)
    assert "已登记" in county.problems[0].message  # the county sees every township


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1970年5月3日", date(1970, 5, 3)), ("1970 年 5 月 3 日", date(1970, 5, 3)),
        ("1970.5.3", date(1970, 5, 3)), ("1970/05/03", date(1970, 5, 3)),
        ("1970-5-3", date(1970, 5, 3)), ("19700503", date(1970, 5, 3)),
        ("１９７０．５．３", date(1970, 5, 3)), (25691, date(1970, 5, 3)),
        (25691.0, date(1970, 5, 3)), ("1970年2月30日", None), ("1970年13月1日", None),
        (1990, None), (25691.5, None), ("五月三日", None), ("", None),
    ],
)  # fmt: skip
def test_dates_are_read_as_officials_write_them(written, expected):
    assert workbook.cell_date(written) == expected


def test_the_page_imports_what_a_check_passed_and_links_to_who_was_registered(
    client, import_worker
):
    w = world()
    client.force_login(w.organiser)
    page = reverse("staff:people_import")
    upload = io.BytesIO(_book(_corrected(w)))
    upload.name = "乡里人员.xlsx"
    with import_worker(execute=True):
        checked = client.post(page, {"workbook": upload, "action": "check"})
    body = client.get(checked.url).content.decode()
    assert "导入后将新登记15人" in body and "本次未写入" in body and "：新登记15人" not in body
    assert "导入这份已校验的表格" in body
    assert not Person.objects.filter(name__startswith="导入人").exists()
    run = checked.url.split("run=")[1]
    with import_worker(execute=True):
        imported = client.post(page, {"from_run": run, "action": "import"})
    done = client.get(imported.url).content.decode()
    assert "已导入" in done and "新登记15人" in done
    link = f"{reverse('staff:people')}?imported={imported.url.split('run=')[1]}"
    assert link in done
    listed = client.get(link).content.decode()
    assert listed.count(">导入人") == 15 and ">申请人<" not in listed and "新登记的15人" in listed
    client.force_login(w.county)  # another's run: not found
    assert client.get(link).status_code == 404
    assert client.post(page, {"from_run": run, "action": "import"}).status_code == 404


def test_a_refused_import_says_nothing_was_written():
    """The report of an import refused for one problem counts what would have been written,
    and says it was not."""
    from django.template.loader import render_to_string

    report = {"written": False, "ok": False, "people": {"rows": 5, "created": 4, "unchanged": 1},
              "problem_count": 1, "problems": []}  # fmt: skip
    run = type("Run", (), {"action": "import", "filename": "x.xlsx", "pk": 1, "status": "done"})
    body = render_to_string(
        "portal/staff/people_import.html", {"allowed": True, "run": run, "report": report}
    )
    assert "没有导入任何内容" in body and "导入后将新登记4人" in body and "：新登记4人" not in body


def test_the_template_has_an_example_sheet_the_import_does_not_read():
    w = world()
    book = openpyxl.load_workbook(io.BytesIO(workbook.template()))
    assert book.sheetnames[:2] == [workbook.SHEET, "人员（填写示例）"]
    example = [c.value for c in book["人员（填写示例）"][2]]
    assert example[0] == "张三" and identity.problems(example[4]) == []
    report = workbook.load(workbook.template(), actor=w.organiser, dry_run=True)
    assert (report.rows, report.created, report.problems) == (0, 0, [])
