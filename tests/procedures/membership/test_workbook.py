"""Cases in flight from a county's spreadsheet and back: a workbook with twenty planted errors
is reported on each row and cell and imports nothing; corrected, it imports every case through
the live steps' rules and audit chain; twice, it changes nothing; and a workbook exported and
imported into the county without its cases gives the same cases."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction

from fixtures import case_script
from procedures.membership import flows, services, workbook
from procedures.membership.models import Case, StepRecord
from procedures.people import identity
from procedures.people.models import Person
from tests import factories
from workflows import deadlines
from workflows.audit import stream_of, verify_chain
from workflows.models import AuditEvent

from .walk import APPLIED_ON, world

pytestmark = pytest.mark.django_db


def _described() -> list[tuple]:
    """Every case as the records say it, keyed by nothing of this database (ID numbers and
    names, not keys)."""
    cases = []
    for case in Case.objects.select_related("person", "branch").order_by("person__id_number"):
        person = Person.objects.get(pk=case.person_id)
        records = [
            (row.step, act_date, row.outcome, _record(row.pk))
            for row, act_date in case._standing_rows
        ]
        cases.append(
            (
                person.id_number, person.standing, person.standing_since, person.full_member_since,
                case.branch.name, case.status, case.rulebook, case.variant, case.applied_on,
                case.talked_on, case.activist_on, case.candidate_on, case.pre_reviewed_on,
                case.admitted_on, case.approved_on, case.oath_on, case.probation_ends_on,
                case.conversion_voted_on, case.converted_on, case.closed_on, case.closed_reason,
                case.probation_extended, case.admitted_education, case.admitted_occupation,
                sorted(case.mentors.values_list("id_number", flat=True)),
                sorted(case.sponsors.values_list("id_number", flat=True)),
                records,
                sorted(case.observations.values_list("kind", "on", "summary")),
                sorted(case.materials.values_list("step", "kind", "title", "reason")),
                sorted(case.ballots.values_list("purpose", "yes", "no", "abstain", "passed")),
                sorted((d.key, d.due_at, d.title, d.audience) for d in deadlines.open_for(case)),
                _flow(case),
            )
        )  # fmt: skip
    return cases


def _flow(case) -> tuple:
    """Where the case's flow stands: its process's status, and the tasks that wait (the
    node, whether a task or a timer, and when a timer is due)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    process = flows.process_of(case)
    waiting = Task.objects.filter(process=process, status__in=[STATUS.NEW, STATUS.SCHEDULED])
    return process.status, sorted(
        (str(task.flow_task), task.status, task.scheduled) for task in waiting
    )


def _record(pk: int) -> tuple:
    record = StepRecord.objects.get(pk=pk)
    data = {k: v for k, v in record.data.items() if k != "meeting"}  # a key of this database
    return record.actor_name, record.note, data, record.late


def _cases(w) -> None:
    """Cases at every stage: archived, in flight after the 支部大会, stopped, one whose
    committee review failed and was held again, one at the start."""
    done = case_script.advance(
        services.case_open(actor=None, person=w.applicant, branch=w.branch, applied_on=APPLIED_ON),
        w.cast,
    )
    assert done.status == "archived"
    born = date(1996, 2, 3)
    later = factories.person(w.branch, name="在途人", born=born)
    case = services.case_open(actor=None, person=later, branch=w.branch, applied_on=APPLIED_ON)
    case_script.advance(case, w.cast, until="committee_review")
    on = case_script.dates(APPLIED_ON)["committee_review"]
    services.case_committee_review(
        case_id=case.pk, actor=None, held_on=on - timedelta(days=1), present=4, yes=2,
        record_failure=True,
    )  # fmt: skip
    case_script.advance(Case.objects.get(pk=case.pk), w.cast, until="committee_talk")
    stopped = factories.person(w.branch, name="停止人", born=born)
    case = services.case_open(actor=None, person=stopped, branch=w.branch, applied_on=APPLIED_ON)
    case_script.advance(case, w.cast, until="propose_candidate")
    services.case_stop(
        case_id=case.pk, actor=None, stopped_on=date(2024, 1, 8), reason="本人申请暂缓"
    )
    for name, until in (("培养人", "propose_candidate"), ("预备人", "apply_conversion")):
        person = factories.person(w.branch, name=name, born=born)
        case = services.case_open(actor=None, person=person, branch=w.branch, applied_on=APPLIED_ON)
        case_script.advance(case, w.cast, until=until)  # a period's timer waits
    fresh = factories.person(w.tree.branches[1], name="新申请人", born=born)
    services.case_open(
        actor=None, person=fresh, branch=w.tree.branches[1], applied_on=date(2026, 11, 2)
    )


def test_a_workbook_exported_and_imported_into_the_county_without_its_cases_gives_them_back():
    w = world()
    before_cases = transaction.savepoint()
    _cases(w)
    content = workbook.export(w.county)
    expected = _described()
    assert len(expected) == 6
    assert {flow[0] for *_rest, flow in expected} == {"NEW", "DONE", "CANCELED"}
    transaction.savepoint_rollback(before_cases)
    assert not Case.objects.exists()
    assert not Person.objects.filter(name__in=["在途人", "停止人", "新申请人", "预备人"]).exists()

    report = workbook.load(content, actor=w.county, dry_run=True)
    assert report.ok, report.all_problems
    assert not Case.objects.exists()
    report = workbook.load(content, actor=w.county, dry_run=False)
    assert report.ok, report.all_problems
    assert (report.created, report.unchanged, report.people.created) == (6, 0, 5)
    assert _described() == expected
    for case in Case.objects.all():
        assert {r.role for r in case.records.all()} == {f"补录：{w.county.person.name}"}
        # Each act's audit event says who did it on paper and who entered it, as its record.
        records = {r.step: r for r in case.records.all()}
        events = AuditEvent.objects.filter(stream=stream_of(case), action__in=list(records))
        assert events.exists()
        for event in events:
            assert event.payload["on_paper"] == {
                "acted_by": records[event.action].actor_name,
                "entered_by": w.county.person.name,
            }
    assert verify_chain() == []

    events = AuditEvent.objects.count()
    again = workbook.load(content, actor=w.county, dry_run=False)
    assert again.ok, again.all_problems
    assert (again.created, again.unchanged, again.people.created) == (0, 6, 0)
    assert AuditEvent.objects.count() == events
    assert _described() == expected


# Twenty planted errors.

BORN = date(1996, 2, 3)


def _number(sequence: int, *, born: date = BORN) -> str:
    return identity.make_number("529904", born, 600 + 2 * sequence, male=True)


def _sheets(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_of(sheet, **match) -> int:
    header = [cell.value for cell in sheet[1]]
    for number in range(2, sheet.max_row + 1):
        values = {header[i]: cell.value for i, cell in enumerate(sheet[number])}
        if all(str(values.get(label)) == str(value) for label, value in match.items()):
            return number
    raise AssertionError(f"no row {match}")


def _set(sheet, number: int, label: str, value) -> None:
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=number, column=header.index(label) + 1).value = value  # None clears it


def _append(sheet, values: dict) -> int:
    header = [cell.value for cell in sheet[1]]
    sheet.append([values.get(label) for label in header])
    return sheet.max_row


def _planted_world():
    """A county's cases at the steps the planted errors need, exported, and the county
    without them; the cases' keys by the applicant's name."""
    w = world()
    savepoint = transaction.savepoint()
    untils = {"甲": "choose_activist", "乙": "record_review", "丙": "propose_candidate",
              "丁": "file_activist", "戊": "apply_conversion", "己": "committee_review",
              "庚": "talk", "辛": "choose_activist", "壬": "file_activist"}  # fmt: skip
    for index, (name, until) in enumerate(untils.items()):
        person = factories.person(w.branch, name=f"申请人{name}", born=BORN - timedelta(days=index))
        case = services.case_open(actor=None, person=person, branch=w.branch, applied_on=APPLIED_ON)
        case_script.advance(case, w.cast, until=until)
    content = workbook.export(w.county)
    transaction.savepoint_rollback(savepoint)
    cases = _sheets(content)[workbook.CASES]
    keys = {
        cases.cell(row=n, column=2).value.removeprefix("申请人"): cases.cell(row=n, column=1).value
        for n in range(2, cases.max_row + 1)
    }
    return w, content, keys


def _plant(w, content: bytes, keys: dict) -> tuple[bytes, bytes, set]:
    """The workbook with twenty errors, the same workbook corrected, and {(sheet, row,
    column header)} of the errors."""
    bad, good = _sheets(content), _sheets(content)
    faults = set()

    def both(sheet: str, number: int, label: str, wrong, right, *, at: str | None = None):
        _set(bad[sheet], number, label, wrong)
        _set(good[sheet], number, label, right)
        faults.add((sheet, number, at or label))

    def row_both(sheet: str, values: dict) -> int:
        _append(bad[sheet], values)
        return _append(good[sheet], values)

    people, cases, history = "人员", "案卷", "办理记录"
    person = {"性别": "男", "民族": "汉族", "出生日期": BORN, "学历": "高中、中专",
              "职业": "农民", "所在组织": w.branch.name, "政治面貌": "群众"}  # fmt: skip
    numbers = [_number(n) for n in range(1, 12)]
    for n, number in enumerate(numbers, start=1):
        row_both(people, {**person, "姓名": f"新人{n}", "居民身份证号码": number})
    first = _row_of(bad[people], 姓名="新人1")
    wrong_digit = numbers[0][:-1] + ("0" if numbers[0][-1] != "0" else "1")
    both(people, first, "居民身份证号码", wrong_digit, numbers[0])  # 1 check digit
    earlier = _cell(bad[people], _row_of(bad[people], 姓名="申请人甲"), "居民身份证号码")
    both(people, first + 1, "居民身份证号码", earlier, numbers[1])  # 2 a person twice
    both(people, first + 2, "政治面貌", "预备党员", "群众")  # 3 comes with his case
    both(people, first + 3, "政治面貌", "正式党员", "群众", at="党龄起算日")  # 4 no date
    both(people, first + 4, "所在组织", "不存在村党支部", w.branch.name)  # 5 unknown
    young = identity.make_number("529904", date(2008, 6, 1), 950, male=True)
    row_both(people, {**person, "姓名": "少年", "居民身份证号码": young,
                      "出生日期": date(2008, 6, 1)})  # fmt: skip
    case = {"所在党支部": w.branch.name, "递交申请书日期": date(2026, 6, 1)}
    rows = {}
    for n, key in enumerate(("新1", "新2", "新3", "新4", "新5"), start=6):
        rows[key] = row_both(
            cases, {**case, "案卷编号": key, "姓名": f"新人{n}", "居民身份证号码": numbers[n - 1]}
        )
    both(cases, rows["新1"], "所在党支部", "不存在村党支部", w.branch.name)  # 6 unknown branch
    both(cases, rows["新2"], "居民身份证号码", _number(40), numbers[6])  # 7 not registered
    both(cases, rows["新3"], "姓名", "别人", "新人8")  # 8 not the ID's name
    both(cases, rows["新4"], "递交申请书日期", "2026-02-30", date(2026, 6, 1))  # 9 no such day
    young_row = row_both(
        cases, {**case, "案卷编号": "新6", "姓名": "少年", "居民身份证号码": young}
    )
    both(cases, young_row, "递交申请书日期", date(2026, 5, 31), date(2026, 6, 1))  # 10 aged 17

    h = bad[history]
    talk = _row_of(h, 案卷编号=keys["甲"], 事项=workbook.STEP_ITEMS["talk"])
    both(history, talk, "日期", APPLIED_ON - timedelta(days=1), _cell(h, talk, "日期"))  # 11
    sponsors = _row_of(h, 案卷编号=keys["乙"], 事项=workbook.STEP_ITEMS["assign_sponsors"])
    right = _cell(h, sponsors, "人员")
    both(history, sponsors, "人员", right.split("、")[0], right)  # 12 one introducer
    mentors = _row_of(h, 案卷编号=keys["丙"], 事项=workbook.STEP_ITEMS["assign_mentors"])
    right = _cell(h, mentors, "人员")
    both(history, mentors, "人员", right.replace("党员5", "邻村书记"), right)  # 13 not a member
    vote = _row_of(h, 案卷编号=keys["丁"], 事项=workbook.STEP_ITEMS["choose_activist"])
    both(history, vote, "同意", "四", _cell(h, vote, "同意"))  # 14 not a number
    group = _row_of(h, 案卷编号=keys["戊"], 事项=workbook.STEP_ITEMS["assign_group"])
    both(history, group, "党小组", "第九党小组", _cell(h, group, "党小组"))  # 15 no such group
    training = _row_of(h, 案卷编号=keys["己"], 事项=workbook.STEP_ITEMS["record_training"])
    both(history, training, "培训学时", 8, _cell(h, training, "培训学时"), at="培训学时")  # 16
    _set(bad[history], training, "培训天数", 1)
    _set(good[history], training, "培训天数", _cell(h, training, "培训天数"))
    item = row_both(history, {"案卷编号": keys["庚"], "事项": "思想汇报", "日期": date(2023, 5, 1),
                              "说明": "思想汇报"})  # fmt: skip
    both(history, item, "事项", "入党誓词", "思想汇报")  # 17 no such 事项
    _set(good[history], item, "日期", None)  # corrected: the line left empty
    _set(good[history], item, "事项", None)
    _set(good[history], item, "说明", None)
    _set(good[history], item, "案卷编号", None)
    day = _row_of(h, 案卷编号=keys["辛"], 事项=workbook.STEP_ITEMS["talk"])
    both(history, day, "日期", "2023-02-30", _cell(h, day, "日期"))  # 18 no such day
    result = _row_of(h, 案卷编号=keys["壬"], 事项=workbook.STEP_ITEMS["choose_activist"])
    both(history, result, "结果", "基本通过", "")  # 19 no such result
    stray = _append(bad[history], {"案卷编号": "99", "事项": "思想汇报", "日期": date(2023, 5, 1)})
    faults.add((history, stray, "案卷编号"))  # 20 no such case
    assert len(faults) == 20
    return _saved(bad), _saved(good), faults


def _cell(sheet, number: int, label: str):
    header = [cell.value for cell in sheet[1]]
    value = sheet.cell(row=number, column=header.index(label) + 1).value
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def test_twenty_planted_errors_are_reported_on_their_cells_and_the_corrected_book_imports():
    w, content, keys = _planted_world()
    bad, good, faults = _plant(w, content, keys)
    events = AuditEvent.objects.count()
    for dry_run in (True, False):
        report = workbook.load(bad, actor=w.county, dry_run=dry_run)
        found = {(p.sheet, p.row, p.column_label) for p in report.all_problems if p.column}
        assert found == faults, (found - faults, faults - found)
        assert all(p.message for p in report.all_problems)
        assert not report.written
        assert not Case.objects.exists() and AuditEvent.objects.count() == events
        assert not Person.objects.filter(name__startswith="新人").exists()
    # Each message says what is wrong, in Chinese, e.g.:
    messages = {(p.sheet, p.row): p.message for p in report.all_problems if p.column}
    assert "18" in next(m for (s, _r), m in messages.items() if s == "案卷" and "周岁" in m)
    assert any("介绍人" in m for m in messages.values())

    report = workbook.load(good, actor=w.county, dry_run=False)
    assert report.ok, report.all_problems
    # The nine exported cases and six new ones; their applicants, and twelve new people.
    assert (report.created, report.people.created) == (len(keys) + 6, len(keys) + 12)
    assert verify_chain() == []
    described = _described()
    again = workbook.load(good, actor=w.county, dry_run=False)
    assert (again.ok, again.created, again.unchanged) == (True, 0, len(keys) + 6)
    assert _described() == described


def test_the_command_and_the_annotated_book(tmp_path):
    w, content, keys = _planted_world()
    bad, _good, faults = _plant(w, content, keys)
    path = tmp_path / "cases.xlsx"
    path.write_bytes(bad)
    out = io.StringIO()
    with pytest.raises(Exception, match="未写入"):
        call_command(
            "import_workbook", str(path), "--as", w.county.username,
            "--annotated", str(tmp_path / "marked.xlsx"), stdout=out,
        )  # fmt: skip
    assert "“办理记录”第" in out.getvalue()
    marked = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    for sheet, number, label in faults:
        header = [cell.value for cell in marked[sheet][1]]
        cell = marked[sheet].cell(row=number, column=header.index(label) + 1)
        assert cell.comment is not None, (sheet, number, label)


def test_the_page_checks_imports_and_exports_the_case_workbook(client, import_worker):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from portal.models import ImportRun
    from portal.staff import import_runs

    w, content, keys = _planted_world()
    bad, good, faults = _plant(w, content, keys)
    url = reverse("staff:people_import")
    client.force_login(w.county)
    template = openpyxl.load_workbook(io.BytesIO(client.get(url, {"template": "cases"}).content))
    assert template.sheetnames[:6] == [
        "人员",
        "人员（填写示例）",
        "案卷",
        "案卷（填写示例）",
        "办理记录",
        "办理记录（填写示例）",
    ]  # each sheet, then its example (the import reads only the first)
    assert [c.value for c in template["办理记录"][1]][:4] == ["案卷编号", "事项", "日期", "经办人"]

    def post(body: bytes, action: str, *, run_worker: bool = True):
        upload = io.BytesIO(body)
        upload.name = "cases.xlsx"
        with import_worker(execute=run_worker):
            sent = client.post(url, {"workbook": upload, "action": action})
        assert sent.status_code == 302 and "?run=" in sent.url
        return sent.url

    # Sent, the run waits for a worker: the page shows its bar, the JSON its progress.
    waiting = post(bad, "check", run_worker=False)
    page = client.get(waiting).content.decode()
    assert "<progress" in page and "import_progress" in page and "排队中" in page
    assert client.get(waiting + "&format=json").json() == {"status": "queued", "done": 0,
                                                           "total": 0}  # fmt: skip
    run = ImportRun.objects.get()
    import_runs.perform(run.pk)  # the worker, and its progress written as it went
    assert client.get(waiting + "&format=json").json()["status"] == "done"
    progress = import_runs.progress(ImportRun.objects.get(pk=run.pk))
    assert progress["done"] == progress["total"] > 0
    import_runs.perform(run.pk)  # delivered twice: the finished run is left as it is
    # Another user does not see the run.
    client.force_login(w.organiser)
    assert client.get(waiting).status_code == 404
    client.force_login(w.county)

    page = client.get(post(bad, "import")).content.decode()
    assert "问题" in page and "没有导入任何内容" in page and "办理记录" in page
    assert "申请入党须年满18周岁" in page and not Case.objects.exists()
    marked = openpyxl.load_workbook(
        io.BytesIO(client.get(post(bad, "check") + "&annotated=1").content)
    )
    for sheet, number, label in faults:
        header = [cell.value for cell in marked[sheet][1]]
        assert marked[sheet].cell(row=number, column=header.index(label) + 1).comment
    page = client.get(post(good, "import")).content.decode()
    assert "已导入" in page and "新录入案卷15件" in page and Case.objects.count() == 15

    # The export holds ID numbers: only for those who may see them, and audited.
    page = client.get(url, {"export": "1"}, follow=True).content.decode()
    assert "须有查看个人信息的权限" in page
    w.county.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(w.county)
    exported = client.get(url, {"export": "1"})
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    assert book["案卷"].max_row == 16
    assert AuditEvent.objects.filter(action="workbook_exported").count() == 1


def test_a_person_outside_the_users_scope_is_unknown_and_his_name_is_not_told():
    w = world()
    outsider = factories.person(w.tree.branches[2], name="外乡人", born=BORN)  # another township
    book = _sheets(workbook.template())
    row = {"案卷编号": "1", "姓名": "别人", "居民身份证号码": outsider.id_number,
           "所在党支部": w.branch.name, "递交申请书日期": date(2026, 6, 1)}  # fmt: skip
    _append(book["案卷"], row)
    report = workbook.load(_saved(book), actor=w.organiser, dry_run=True)
    assert [(p.sheet, p.row, p.column) for p in report.all_problems] == [("案卷", 2, "id_number")]
    assert "没有登记" in report.problems[0].message
    assert all("外乡人" not in p.message for p in report.all_problems)


def test_a_finished_run_s_workbook_is_kept_a_week():
    from django.utils import timezone

    from portal.models import ImportRun
    from portal.staff import import_runs

    w = world()
    old = import_runs.start(user=w.county, filename="a.xlsx", content=b"x", action="check")
    week = timezone.now() - import_runs.KEPT
    ImportRun.objects.filter(pk=old.pk).update(status="done", finished_at=week + timedelta(hours=1))
    import_runs.start(user=w.county, filename="b.xlsx", content=b"x", action="check")
    assert ImportRun.objects.filter(pk=old.pk).exists()  # six days and 23 hours: kept
    ImportRun.objects.filter(pk=old.pk).update(finished_at=week - timedelta(hours=1))
    import_runs.start(user=w.county, filename="c.xlsx", content=b"x", action="check")
    assert not ImportRun.objects.filter(pk=old.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_in_processes_enters_each_case_by_itself_and_gives_the_same_cases():
    """`import_workbook --processes 2`: the people at once, then the cases by branch in two
    processes, each case committed by itself: the same cases as the one-process import; a
    refused case stays out alone, and the workbook run again adds only what is missing."""
    w = world()  # committed: the county as it is before the cases
    with transaction.atomic():
        _cases(w)
        content = workbook.export(w.county)
        expected = _described()
        transaction.set_rollback(True)
    assert not Case.objects.exists()
    book = _sheets(content)
    history = book["办理记录"]
    talk = _row_of(history, 事项=workbook.STEP_ITEMS["talk"], 日期="2023-03-20 00:00:00")
    right = _cell(history, talk, "日期")
    _set(history, talk, "日期", APPLIED_ON - timedelta(days=1))  # one case refused
    report = workbook.load(_saved(book), actor=w.county, dry_run=False, processes=2)
    assert [(p.sheet, p.row, p.column) for p in report.all_problems if p.column] == [
        ("办理记录", talk, "on")
    ]
    assert report.written and report.created == 5 and Case.objects.count() == 5
    _set(history, talk, "日期", right)
    again = workbook.load(_saved(book), actor=w.county, dry_run=False, processes=2)
    assert again.ok and (again.created, again.unchanged) == (1, 5)
    got = _described()
    assert got == expected
    assert verify_chain(processes=2) == []


def test_an_over_long_actor_is_a_problem_of_its_cell_never_an_error():
    """(A NUL byte cannot reach a cell: XML has no way to write it, openpyxl refuses it, and a
    workbook forged with one does not open.)"""
    w, content, keys = _planted_world()
    book = _sheets(content)
    history = book["办理记录"]
    talk = _row_of(history, 案卷编号=keys["甲"], 事项=workbook.STEP_ITEMS["talk"])
    vote = _row_of(history, 案卷编号=keys["乙"], 事项=workbook.STEP_ITEMS["choose_activist"])
    _set(history, talk, "经办人", "王" * 101)
    _set(history, vote, "经办人", "李" * 101)
    other = _row_of(history, 案卷编号=keys["丁"], 事项=workbook.STEP_ITEMS["choose_activist"])
    right = _cell(history, other, "同意")
    _set(history, other, "同意", "1e400")  # a number past any float: a problem, not an error
    report = workbook.load(_saved(book), actor=w.county, dry_run=False)
    assert [(p.sheet, p.row, p.column) for p in report.all_problems if p.column] == [
        ("办理记录", talk, "actor"), ("办理记录", vote, "actor"), ("办理记录", other, "yes"),
    ]  # fmt: skip
    _set(history, other, "同意", right)
    assert not Case.objects.exists()
    _set(history, vote, "经办人", "王" * 100)  # the record's 经办人 holds a hundred
    _set(history, talk, "经办人", "王书记")
    report = workbook.load(_saved(book), actor=w.county, dry_run=False)
    assert report.ok, report.all_problems
    assert StepRecord.objects.filter(actor_name="王" * 100).count() == 1


def test_an_upload_named_with_control_characters_is_kept_by_a_printable_name(client):
    from django.urls import reverse

    from portal.models import ImportRun

    w = world()
    client.force_login(w.county)
    upload = io.BytesIO(workbook.template())
    upload.name = "案卷\x00\x07.xlsx"
    sent = client.post(reverse("staff:people_import"), {"workbook": upload, "action": "check"})
    assert sent.status_code == 302
    assert ImportRun.objects.get().filename == "案卷.xlsx"
