from django.core.management.base import BaseCommand

from workflows.publication import publish


class Command(BaseCommand):
    help = "Publish today's signed file of the audit chain's heads (beat does it nightly)."

    def handle(self, *args, **options) -> None:
        path = publish()
        self.stdout.write(self.style.SUCCESS(f"published {path}"))
