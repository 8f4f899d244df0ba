"""Reading a workbook: its rows checked (people, cases, acts), then every case entered, in one
process or, on PostgreSQL, several."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils.translation import gettext as _

from procedures.people import identity, scopes
from procedures.people import workbook as people_book
from procedures.people.models import Organisation, Person
from workflows.processes import fork_pool

from ..settings import development_settings_for
from ..steps import Variant
from .columns import (
    ACTOR_MAX,
    CASE_COLUMNS,
    CASES,
    HISTORY,
    HISTORY_COLUMNS,
    MATERIAL_ITEM,
    MSG_ACT_UNKNOWN,
    MSG_BRANCH,
    MSG_CASE_TWICE,
    MSG_CASE_UNKNOWN,
    MSG_CHOICE,
    MSG_DATE,
    MSG_KEY_TWICE,
    MSG_NAME_DIFFERS,
    MSG_PERSON_UNKNOWN,
    MSG_TEXT_LONG,
    MSG_VARIANT,
    OBSERVATION_ITEMS,
    OPTIONAL_CASE,
    OPTIONAL_HISTORY,
    STEP_ITEMS,
    CaseRow,
    Problem,
    Report,
    Row,
    _case_problem,
    _history_problem,
)
from .entering import _enter

# Reading.


def load(
    content: bytes,
    *,
    actor,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    processes: int = 1,
) -> Report:
    """Check the people, then every case with every act (and, unless `dry_run` or a problem
    was found, write them all).

    With `processes` > 1 (an import on PostgreSQL, from the command line): the people are
    registered first, all or nothing; then the cases are entered by branch in as many
    processes, each case committed by itself (all or nothing per case: one refused leaves the
    others in, and the workbook run again adds only what is missing)."""
    report = Report()
    book, problem = people_book.open_book(content)
    if problem is not None:
        report.problems.append(problem)
        report.people.opened = False  # nothing to annotate
        return report
    missing = [name for name in (CASES, HISTORY) if name not in book.sheetnames]
    if missing:
        report.problems.append(
            Problem(0, "", _("工作簿中缺少工作表：%(sheets)s，请使用下载的模板。")
                    % {"sheets": "、".join(missing)})
        )  # fmt: skip
        return report
    people_rows: list = []
    if people_book.SHEET in book.sheetnames:
        people_rows, found = people_book.sheet_rows(
            book, people_book.SHEET, people_book.COLUMNS, optional=people_book.OPTIONAL
        )
        report.people.problems.extend(found)
    case_rows, found = people_book.sheet_rows(book, CASES, CASE_COLUMNS, optional=OPTIONAL_CASE)
    report.problems.extend(found)
    act_rows, found = people_book.sheet_rows(
        book,
        HISTORY,
        HISTORY_COLUMNS,
        optional=OPTIONAL_HISTORY,
        max_rows=settings.JICENG_UPLOAD_ROWS - 1,
    )
    report.problems.extend(found)
    if not report.ok:
        return report
    report.people.rows, report.cases, report.acts = len(people_rows), len(case_rows), len(act_rows)
    total = len(people_rows) + len(case_rows)
    if processes > 1 and not dry_run and _may_fork():
        return _load_in_processes(
            people_rows, case_rows, act_rows, report, actor, progress, processes
        )
    with transaction.atomic():
        _register(people_rows, report, actor, progress, total)
        cases = _cases(case_rows, act_rows, report, actor=actor)
        for done, case in enumerate(cases, start=len(people_rows) + 1):
            _enter(case, report, actor=actor)
            if progress is not None:
                progress(done, total)
        report.written = not dry_run and report.ok
        if not report.written:
            transaction.set_rollback(True)  # a dry run, or a problem: nothing is written
    return report


def _register(people_rows, report: Report, actor, progress, total: int) -> None:
    """The sheet 人员 first (its rows counted in the progress of the whole workbook)."""
    people_book.register_rows(
        people_rows,
        report.people,
        actor=actor,
        progress=progress and (lambda done, _n: progress(done, total)),
    )


def _may_fork() -> bool:
    """Processes of their own need a server they can each connect to, and a transaction
    they do not share."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _load_in_processes(people_rows, case_rows, act_rows, report, actor, progress, processes):
    total = len(people_rows) + len(case_rows)
    with transaction.atomic():
        _register(people_rows, report, actor, progress, total)
        if not report.people.ok:
            transaction.set_rollback(True)
            return report
    report.written = True  # the people; the cases each as it is entered
    cases = _cases(case_rows, act_rows, report, actor=actor)
    by_branch: dict[int, list[CaseRow]] = defaultdict(list)
    for case in cases:
        by_branch[case.branch.pk if case.branch is not None else 0].append(case)
    # A branch's cases in one process, in order (they share its meetings); the largest
    # branches first, so the processes finish together.
    groups = sorted(by_branch.values(), key=lambda group: -sum(len(c.acts) for c in group))
    checked = list(report.problems)  # found reading the rows: each case's own stays out
    done = len(people_rows)
    with fork_pool(processes) as pool:  # each process opens its own connections
        for created, unchanged, problems, count in pool.imap_unordered(
            _enter_group, [(group, actor, checked) for group in groups]
        ):
            report.created += created
            report.unchanged += unchanged
            report.problems.extend(problems)
            done += count
            if progress is not None:
                progress(done, total)
    return report


def _enter_group(arguments) -> tuple[int, int, list[Problem], int]:
    """In a process of its own: a branch's cases, each in its own transaction."""
    group, actor, checked = arguments
    part = Report(problems=people_book.Problems(checked))
    for case in group:
        with transaction.atomic():
            _enter(case, part, actor=actor)
    connections.close_all()
    return part.created, part.unchanged, part.problems[len(checked) :], len(group)


def _cases(case_rows, act_rows, report: Report, *, actor) -> list[CaseRow]:
    """The cases of 案卷 with their acts of 办理记录, each checked for what a row can say of
    itself (its cells' forms, the person, the branch); the acts' rules are checked later,
    performing them."""
    branches = {
        org.name: org
        for org in scopes.visible_organisations(actor).filter(kind=Organisation.Kind.VILLAGE_BRANCH)
    }
    numbers = [identity.normalise(people_book.cell_text(c["id_number"])) for _n, c in case_rows]
    # Only people the user sees: of anyone else, not even the registered name is told.
    visible = scopes.visible_persons(actor) if actor is not None else Person.objects.all()
    persons = {p.id_number: p for p in visible.filter(id_number__in=numbers)}
    by_key: dict[str, CaseRow] = {}
    seen_pairs: dict[tuple, int] = {}
    for number, cells in case_rows:
        case = CaseRow(number, cells)
        key = people_book.cell_text(cells["key"])
        if key in by_key:
            report.problems.append(
                _case_problem(number, "key", _(MSG_KEY_TWICE) % {"row": by_key[key].number})
            )
            continue
        by_key[key] = case
        _check_case_row(case, report, actor=actor, branches=branches, persons=persons)
        if case.person is not None and case.applied_on is not None:
            pair = (case.person.pk, case.applied_on)
            if pair in seen_pairs:
                report.problems.append(
                    _case_problem(
                        number, "id_number", _(MSG_CASE_TWICE) % {"row": seen_pairs[pair]}
                    )
                )
                case.person = None
            seen_pairs[pair] = number
    for number, cells in act_rows:
        key = people_book.cell_text(cells["key"])
        row = Row(number, cells)
        if key not in by_key:
            report.problems.append(
                _history_problem(number, "key", _(MSG_CASE_UNKNOWN) % {"key": key})
            )
            continue
        _check_act_row(row, report)
        by_key[key].acts.append(row)
    return list(by_key.values())


def _check_case_row(case: CaseRow, report: Report, *, actor, branches, persons) -> None:
    cells, number = case.cells, case.number

    def problem(column: str, message: str) -> None:
        report.problems.append(_case_problem(number, column, message))

    id_number = identity.normalise(people_book.cell_text(cells["id_number"]))
    person = persons.get(id_number)
    if person is None:
        problem("id_number", _(MSG_PERSON_UNKNOWN))
    name = people_book.cell_text(cells["name"])
    if person is not None and name and name != person.name:
        problem("name", _(MSG_NAME_DIFFERS) % {"name": person.name})
        person = None
    branch_name = people_book.cell_text(cells["branch"])
    branch = branches.get(branch_name)
    if branch is None:
        problem("branch", _(MSG_BRANCH) % {"name": branch_name})
    applied_on = people_book.cell_date(cells["applied_on"])
    if applied_on is None:
        problem("applied_on", _(MSG_DATE))
    variant = people_book.cell_text(cells["variant"])
    if branch is not None and variant:
        current = development_settings_for(branch).variant
        if variant not in (current, str(Variant(current).label)):
            problem("variant", _(MSG_VARIANT) % {"variant": Variant(current).label})
    case.person = person
    case.branch = branch
    case.applied_on = applied_on


def _may_enter(actor, branch: Organisation) -> bool:
    """Those over the branch, who may register people there: its township or the county
    (补录, as services/backfill.py checks again)."""
    return people_book.may_register(actor, branch)


def _check_act_row(row: Row, report: Report) -> None:
    """What the row is and its date: the rest of its cells are read when it is performed."""
    cells = row.cells
    item = people_book.cell_text(cells["item"])
    if item in OBSERVATION_ITEMS:
        row.item = "observation"
    elif item == _(MATERIAL_ITEM):
        row.item = "material"
    else:
        row.item = next((code for code, label in STEP_ITEMS.items() if item in (label, code)), "")
    if not row.item:
        report.problems.append(
            _history_problem(row.number, "item", _(MSG_ACT_UNKNOWN) % {"item": item})
        )
    row.on = people_book.cell_date(cells["on"])
    if row.on is None and row.item != "material":
        report.problems.append(_history_problem(row.number, "on", _(MSG_DATE)))
    result = people_book.cell_text(cells["result"])
    row.outcome_failed = result == _("未通过")
    if result and result not in (_("通过"), _("未通过")):
        report.problems.append(
            _history_problem(row.number, "result", _(MSG_CHOICE) % {"choices": "通过、未通过"})
        )
    actor = people_book.cell_text(cells["actor"])  # kept as the record's 经办人
    if len(actor) > ACTOR_MAX or "\x00" in actor:
        report.problems.append(
            _history_problem(row.number, "actor", _(MSG_TEXT_LONG) % {"max": ACTOR_MAX})
        )
