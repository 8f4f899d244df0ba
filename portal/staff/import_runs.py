"""The import page's jobs: a workbook sent to be checked or imported is kept (`ImportRun`) and
handed to a worker, which runs the same check or import as the command line
(`procedures.people.workbook`, `procedures.membership.workbook`) and writes its progress where
the page can read it while the import's own transaction is still open (the progress cache),
then the report on the run. A run redelivered after a worker died is run again: the import is
all or nothing and keyed by ID number and case, so a second run writes nothing twice."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from celery import current_app
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.membership import workbook as case_book
from procedures.people import workbook

from ..models import ImportRun

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 24 * 3600
KEPT = timedelta(days=7)
MAX_PROBLEMS_KEPT = 5000  # a report beyond this says how many more there were
SHEETS = (workbook.SHEET, case_book.CASES, case_book.HISTORY)
MAX_DELIVERIES = 3
MSG_INTERRUPTED = gettext_noop(
    "处理该表格的进程已中断%(times)s次，已停止，没有导入任何内容。"
    "请把表格分成几个较小的文件后重新上传，或联系管理员。"
)


@transaction.atomic
def start(*, user, filename: str, content: bytes, action: str) -> ImportRun:
    # The workbooks hold ID numbers and phones: a finished run's is kept a week, no longer.
    ImportRun.objects.filter(finished_at__lt=timezone.now() - KEPT).delete()
    name = "".join(ch for ch in filename if ch.isprintable())[:200] or "workbook.xlsx"
    run = ImportRun.objects.create(user=user, filename=name, content=content, action=action)
    caches["progress"].delete(_key(run.pk))  # a number used before (SQLite reuses them)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    # The task by its name: the task is an adapter over `perform`, here, which does not
    # import it back.
    current_app.signature("portal.run_import").delay(run_id)


def progress(run: ImportRun) -> dict:
    """{status, done, total} as the page shows it."""
    found = caches["progress"].get(_key(run.pk)) or {}
    if run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED):
        total = found.get("total", 1) or 1
        found = {"done": total, "total": total}
    return {
        "status": run.status,
        "done": found.get("done", 0),
        "total": found.get("total", 0),
    }


def _key(run_id: int) -> str:
    return f"import-run:{run_id}"


def perform(run_id: int) -> None:
    """Run one import job (the worker's task). A finished run is left as it is; one whose
    worker died `MAX_DELIVERIES` times is marked failed, with why, instead of run again."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED):
            return
        run.deliveries += 1
        if run.deliveries > MAX_DELIVERIES:
            log.error("import run %s stopped after %s deliveries", run_id, MAX_DELIVERIES)
            run.status, run.finished_at = ImportRun.Status.FAILED, timezone.now()
            run.report = {"failure": _(MSG_INTERRUPTED) % {"times": MAX_DELIVERIES}}
            run.save(update_fields=["deliveries", "status", "finished_at", "report"])
            return
        run.status = ImportRun.Status.RUNNING
        run.save(update_fields=["deliveries", "status"])
    content = bytes(run.content)
    cases = case_book.is_case_workbook(content)
    module = case_book if cases else workbook
    cache = caches["progress"]
    reported = {"at": -1}

    def note(done: int, total: int) -> None:
        step = max(1, total // 100)  # about a hundred writes whatever the size
        if done == total or done - reported["at"] >= step:
            cache.set(_key(run_id), {"done": done, "total": total}, PROGRESS_SECONDS)
            reported["at"] = done

    try:
        report = module.load(
            content,
            actor=run.user,
            dry_run=run.action != ImportRun.Action.IMPORT,
            progress=note,
        )
    except Exception:
        log.exception("import run %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now()
        )
        raise
    people = report.people if cases else report
    body = {**as_json(report, cases), "annotatable": people.opened}  # the file was read
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.DONE, report=body, finished_at=timezone.now()
    )


def as_json(report, cases: bool) -> dict:
    problems = report.all_problems if cases else report.problems
    people = report.people if cases else report
    body = {
        "cases": cases,
        "written": report.written,
        "ok": report.ok,
        "people": {"rows": people.rows, "created": people.created, "unchanged": people.unchanged},
        # who was registered, for the people list to show them (written imports only)
        "created_people": people.created_ids if report.written else [],
        "problem_count": report.problem_count if cases else report.problems.found,
        "problems": [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "label": p.column_label,
             "message": p.message}
            for p in problems[:MAX_PROBLEMS_KEPT]
        ],
    }  # fmt: skip
    if cases:
        body.update(
            count=report.cases, acts=report.acts, created=report.created,
            unchanged=report.unchanged,
        )  # fmt: skip
    return body


def problems_of(run: ImportRun) -> list[workbook.Problem]:
    return [
        workbook.Problem(p["row"], p["column"], p["message"], p["sheet"], p["label"])
        for p in run.report.get("problems", ())
    ]


def annotated(run: ImportRun) -> bytes:
    """The workbook of a finished run with its problems marked."""
    report = SimpleNamespace(problems=problems_of(run))
    return workbook.annotated(bytes(run.content), report, SHEETS)
