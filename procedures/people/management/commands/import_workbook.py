"""`manage.py import_workbook 人员.xlsx --as USERNAME [--dry-run] [--annotated OUT.xlsx]`: the
import page's check and import from the command line, with a progress bar; the problems are
printed row by row, and the workbook can be written back with them marked."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from procedures.people import workbook


class Command(BaseCommand):
    help = "导入人员（Excel 模板）：先校验，全部通过才写入；--dry-run 只校验。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="以该用户的身份和范围导入")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--annotated", type=Path, help="把标注问题的表格写到此文件")

    def handle(self, *args, path: Path, username: str, dry_run: bool, annotated, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”。")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取 {path}：{error}") from None
        with tqdm(total=0, unit="行", disable=options.get("verbosity", 1) == 0) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            report = workbook.load(content, actor=user, dry_run=dry_run, progress=progress)
        for problem in report.problems:
            where = f"第{problem.row}行" + (f"“{problem.column_label}”" if problem.column else "")
            self.stdout.write(f"{where}：{problem.message}")
        if annotated is not None:
            annotated.write_bytes(workbook.annotated(content, report))
        summary = (
            f"共{report.rows}行：新登记{report.created}人，已登记且相同{report.unchanged}人，"
            f"问题{len(report.problems)}处。"
        )
        if report.written:
            self.stdout.write(self.style.SUCCESS(f"已导入。{summary}"))
        elif report.ok:
            self.stdout.write(f"校验通过，未写入（--dry-run）。{summary}")
        else:
            raise CommandError(f"有问题，未写入任何人员。{summary}")
