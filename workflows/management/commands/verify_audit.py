from django.core.management.base import BaseCommand, CommandError

from workflows.audit import verify_chain
from workflows.models import AuditEvent


class Command(BaseCommand):
    help = "Walk the audit chain and name the first broken link of each broken stream."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--stream", help="check only this stream (e.g. people.person:12)")

    def handle(self, *args, stream: str | None = None, **options) -> None:
        breaks = verify_chain(stream=stream)
        checked = AuditEvent.objects.filter(**({"stream": stream} if stream else {})).count()
        if breaks:
            for found in breaks:
                self.stderr.write(f"BROKEN {found}")
            raise CommandError(f"audit chain broken in {len(breaks)} stream(s)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} events"))
