"""Publishing the audit chain's heads, so that even whoever holds the database cannot rewrite
what happened before the last publication.

The hash chain alone proves only that the database agrees with itself: someone with the
database can edit an event and recompute every later hash and the stream's head, and
`verify_chain` passes. So every night the heads of every stream that moved are written to a
small file, signed (Ed25519), chained to the previous day's file by its hash, and served on
the portal for anyone to keep. `verify_against` then checks the database against the
published files: each published head must still be the hash of the event at that sequence,
which, through the chain, vouches for every event before it.

The files are the trust anchor and live outside the database (`JICENG_AUDIT_PUBLICATION_DIR`);
the table of published heads here is only the publisher's bookkeeping of what changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import GENESIS
from .models import AuditEvent, AuditPublishedHead, AuditStreamHead

FORMAT = "jiceng-audit-heads/1"


def _canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def directory() -> Path:
    path = Path(settings.JICENG_AUDIT_PUBLICATION_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def signing_key() -> Ed25519PrivateKey:
    """The key from JICENG_AUDIT_SIGNING_KEY (base64 of the 32-byte seed); in development, one
    made once and kept in var/ (production refuses to start without the setting)."""
    seed = settings.JICENG_AUDIT_SIGNING_KEY
    if not seed:
        path = Path(settings.VAR_DIR) / "audit-signing.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.b64encode(_new_seed()).decode())
            path.chmod(0o600)
        seed = path.read_text().strip()
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed))


def _new_seed() -> bytes:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )


def public_key_text() -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def root_of(heads: dict[str, tuple[int, str]]) -> str:
    """One digest of every stream's head: what the day's file vouches for as a whole."""
    return hashlib.sha256(_canonical({s: list(h) for s, h in sorted(heads.items())})).hexdigest()


def _files() -> list[Path]:
    return sorted(directory().glob("????-??-??.json"))


@dataclass(frozen=True)
class Published:
    day: date
    path: Path
    streams: int
    changed: int
    root: str


def publications() -> list[Published]:
    out = []
    for path in _files():
        document = json.loads(path.read_bytes())
        out.append(
            Published(
                date.fromisoformat(document["day"]),
                path,
                document["stream_count"],
                len(document["heads"]),
                document["root"],
            )
        )
    return out


@transaction.atomic
def publish(*, day: date | None = None, now: datetime | None = None) -> Path:
    """Write the day's file of heads that moved since the last one (idempotent: a day is
    published once). Returns its path."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    path = directory() / f"{day.isoformat()}.json"
    if path.exists():
        return path
    previous_files = _files()
    previous = (
        hashlib.sha256(previous_files[-1].read_bytes()).hexdigest() if previous_files else GENESIS
    )
    current = {
        head.stream: (head.sequence, head.hash)
        for head in AuditStreamHead.objects.select_for_update().exclude(sequence=0)
    }
    published = {row.stream: (row.sequence, row.hash) for row in AuditPublishedHead.objects.all()}
    changed = {s: h for s, h in current.items() if published.get(s) != h}
    document = {
        "format": FORMAT,
        "day": day.isoformat(),
        "published_at": now.isoformat(),
        "previous": previous,
        "heads": {s: list(h) for s, h in sorted(changed.items())},
        "stream_count": len(current),
        "root": root_of(current),
    }
    document["signature"] = base64.b64encode(signing_key().sign(_canonical(document))).decode()
    for stream, (sequence, hash_) in changed.items():
        AuditPublishedHead.objects.update_or_create(
            stream=stream, defaults={"sequence": sequence, "hash": hash_, "day": day}
        )
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(_canonical(document))
    temporary.replace(path)  # a reader never sees half a file
    return path


@dataclass(frozen=True)
class Mismatch:
    stream: str
    sequence: int
    day: str
    reason: str

    def __str__(self) -> str:
        return f"{self.stream}#{self.sequence} (published {self.day}): {self.reason}"


class PublicationError(Exception):
    """The published files themselves do not hold together (a file changed or missing)."""


def _heads_file(path: Path) -> dict:
    """A published heads file, or PublicationError naming the file and what is wrong with it."""
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise PublicationError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PublicationError(f"{path}: not JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PublicationError(f'{path}: not a heads file (no "format": "{FORMAT}")')
    for field, kind in (("day", str), ("previous", str), ("heads", dict), ("signature", str)):
        if not isinstance(document.get(field), kind):
            raise PublicationError(f'{path}: field "{field}" missing or not a {kind.__name__}')
    try:
        date.fromisoformat(document["day"])
    except ValueError:
        raise PublicationError(f'{path}: "day" is not a date: {document["day"]!r}') from None
    for stream, head in document["heads"].items():
        if not (
            isinstance(head, list) and len(head) == 2
            and isinstance(head[0], int) and isinstance(head[1], str)
        ):  # fmt: skip
            raise PublicationError(f"{path}: the head of {stream!r} is not [sequence, hash]")
    return document


def verify_against(files: list[Path], *, public_key: str | None = None) -> list[Mismatch]:
    """Check the database against published files (in any order): the files must chain and
    carry good signatures; then every stream's latest published head must still be the
    hash of the event at that sequence. Returns the streams that no longer match. A file
    that is not a well-formed heads file, or a key that is not one, is a PublicationError."""
    documents = sorted(((_heads_file(p), p) for p in files), key=lambda pair: pair[0]["day"])
    try:
        key = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(public_key or public_key_text(), validate=True)
        )
    except ValueError as error:
        raise PublicationError(
            f"the public key is not an Ed25519 key in base64 ({error})"
        ) from None
    previous = GENESIS
    latest: dict[str, tuple[int, str, str]] = {}
    for document, path in documents:
        if document.get("format") != FORMAT:
            raise PublicationError(f"{path.name}: not a heads file")
        if document["previous"] != previous and previous != GENESIS:
            raise PublicationError(f"{path.name}: does not follow the file before it")
        unsigned = {k: v for k, v in document.items() if k != "signature"}
        try:
            key.verify(base64.b64decode(document["signature"]), _canonical(unsigned))
        except (InvalidSignature, ValueError, KeyError) as error:
            raise PublicationError(f"{path.name}: bad signature") from error
        previous = hashlib.sha256(path.read_bytes()).hexdigest()
        for stream, (sequence, hash_) in document["heads"].items():
            latest[stream] = (sequence, hash_, document["day"])
    wanted = {(stream, sequence) for stream, (sequence, _h, _d) in latest.items()}
    found = {
        (stream, sequence): hash_
        for stream, sequence, hash_ in AuditEvent.objects.filter(
            stream__in={stream for stream, _ in wanted}
        ).values_list("stream", "sequence", "hash")
        if (stream, sequence) in wanted
    }
    mismatches = []
    for stream, (sequence, hash_, day) in sorted(latest.items()):
        stored = found.get((stream, sequence))
        if stored is None:
            mismatches.append(Mismatch(stream, sequence, day, "published event is missing"))
        elif stored != hash_:
            mismatches.append(
                Mismatch(stream, sequence, day, "event differs from its published hash")
            )
    return mismatches
