"""Check every enabled Word template again (as an upload is checked, portal.documents.word);
disable each that fails, with its reason shown in the admin; the built-in template serves
meanwhile."""

from django.core.management.base import BaseCommand

from portal.documents import recheck_templates


class Command(BaseCommand):
    help = "再次检查已启用的文书模板，停用不合格的模板并记录原因"

    def handle(self, *args, **options):
        disabled = recheck_templates()
        for row in disabled:
            self.stdout.write(f"已停用 {row}：{row.problem}")
        self.stdout.write(f"检查完毕，停用 {len(disabled)} 个模板。")
