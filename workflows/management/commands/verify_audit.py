import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflows.audit import verify_chain
from workflows.models import AuditEvent
from workflows.publication import PublicationError, verify_against


class Command(BaseCommand):
    help = (
        "Walk the audit chain and name the first broken link of each broken stream; with "
        "--against, also check it against the published heads (files or a folder of them)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--stream", help="check only this stream (e.g. people.person:12)")
        parser.add_argument(
            "--processes",
            type=int,
            default=os.cpu_count() or 1,
            help="walk the streams in this many processes (PostgreSQL; default: the cores)",
        )
        parser.add_argument(
            "--against",
            nargs="+",
            metavar="PATH",
            help="published heads files (YYYY-MM-DD.json), or folders holding them",
        )
        parser.add_argument(
            "--public-key", help="the publisher's Ed25519 public key (base64); default: ours"
        )

    def handle(
        self, *args, stream=None, against=None, public_key=None, processes=1, **options
    ) -> None:
        breaks = verify_chain(stream=stream, processes=max(1, processes))
        checked = AuditEvent.objects.filter(**({"stream": stream} if stream else {})).count()
        for found in breaks:
            self.stderr.write(f"BROKEN {found}")
        mismatches = []
        if against:
            files = _files(against)
            if not files:
                raise CommandError("no published heads files found in " + " ".join(against))
            try:
                mismatches = verify_against(files, public_key=public_key)
            except PublicationError as error:
                raise CommandError(f"published heads: {error}") from None
            if stream:
                mismatches = [m for m in mismatches if m.stream == stream]
            for mismatch in mismatches:
                self.stderr.write(f"REWRITTEN {mismatch}")
        if breaks or mismatches:
            raise CommandError(
                f"audit chain broken in {len(breaks)} stream(s); "
                f"{len(mismatches)} stream(s) differ from their published heads"
            )
        published = f", matching {len(files)} published file(s)" if against else ""
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} events{published}"))


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(path.glob("????-??-??.json")) if path.is_dir() else [path]
    return found
