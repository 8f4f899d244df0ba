"""`manage.py import_workbook 表格.xlsx --as USERNAME [--dry-run] [--annotated OUT.xlsx]`: the
import page's check and import from the command line, with a progress bar. A workbook with the
sheets 案卷 and 办理记录 brings cases in flight with their history (and its 人员 first); one
with only 人员, people. The problems are printed row by row, and the workbook can be written
back with them marked. It lives with member development, which reads both kinds of workbook;
`people` imports no procedure."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from procedures.membership import workbook as case_book
from procedures.people import workbook


class Command(BaseCommand):
    help = "导入人员或在途案卷（Excel 模板）：先校验，全部通过才写入；--dry-run 只校验。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="以该用户的身份和范围导入")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--annotated", type=Path, help="把标注问题的表格写到此文件")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="在途案卷按党支部分给这么多个进程并行导入（PostgreSQL），每件案卷各自提交："
            "有问题的案卷不导入，其余照常导入，改正后再导入只补上缺的",
        )

    def handle(
        self, *args, path: Path, username: str, dry_run: bool, annotated, processes=1, **options
    ):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”。")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取 {path}：{error}") from None
        cases = case_book.is_case_workbook(content)
        module = case_book if cases else workbook
        with tqdm(
            total=0, unit="行" if not cases else "项", disable=options.get("verbosity", 1) == 0
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            extra = {"processes": max(1, processes)} if cases else {}
            report = module.load(content, actor=user, dry_run=dry_run, progress=progress, **extra)
        problems = report.all_problems if cases else report.problems
        for problem in problems:
            sheet = f"“{problem.sheet}”" if cases else ""
            where = f"{sheet}第{problem.row}行" + (
                f"“{problem.column_label}”" if problem.column else ""
            )
            self.stdout.write(f"{where}：{problem.message}")
        if annotated is not None:
            sheets = (workbook.SHEET, case_book.CASES, case_book.HISTORY)
            annotated.write_bytes(workbook.annotated(content, report, sheets))
        people = report.people if cases else report
        summary = f"人员{people.rows}行：新登记{people.created}人，已登记且相同{people.unchanged}人"
        if cases:
            summary += (
                f"；案卷{report.cases}件（办理记录{report.acts}行）：新录入{report.created}件，"
                f"已录入且相同{report.unchanged}件"
            )
        summary += f"；问题{len(problems)}处。"
        if report.written and not report.ok:  # in processes: each case by itself
            raise CommandError(f"已导入没有问题的部分；有问题的案卷未导入，改正后再导入。{summary}")
        if report.written:
            self.stdout.write(self.style.SUCCESS(f"已导入。{summary}"))
        elif report.ok:
            self.stdout.write(f"校验通过，未写入（--dry-run）。{summary}")
        else:
            raise CommandError(f"有问题，未写入任何内容。{summary}")
