from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from notifications import services


class Command(BaseCommand):
    help = "Create the reminders due now for every open deadline of the county (with progress)."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        total = services.due_deadlines(now).count()
        with tqdm(total=total, unit="deadline", disable=total == 0) as progress:
            created = services.sweep(now=now, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{total} deadlines swept, {created} new reminders"))
