"""`verify_audit` over every event of the bench's database: the chain walked by the project's
code (`workflows.audit.verify_chain`) in one process and in N, against the floor: a raw SQL
walk of the same rows on a server-side cursor, each row's SHA-256 computed in Python over the
same canonical form and compared, in one process (Django reads jsonb as text on psycopg 3:
the floor decodes it, as the field does)."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Walk:
    name: str
    events: int
    seconds: float
    breaks: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def events() -> int:
    from workflows.models import AuditEvent

    return AuditEvent.objects.count()


def project(processes: int) -> Walk:
    from workflows.audit import verify_chain

    count = events()
    started = time.perf_counter()
    breaks = verify_chain(processes=processes)
    return Walk(f"verify_chain ×{processes}", count, time.perf_counter() - started, len(breaks))


def floor() -> Walk:
    from django.db import connection

    from workflows.audit import GENESIS, canonical_form

    sql = (
        "SELECT stream, sequence, actor_id, actor_name, role, action, act_date, recorded_at,"
        " payload, prev_hash, hash FROM workflows_auditevent ORDER BY stream, sequence"
    )
    count, broken = 0, 0
    started = time.perf_counter()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        stream, prev = None, GENESIS
        while rows := cursor.fetchmany(5000):
            for row in rows:
                if row[0] != stream:
                    stream, prev = row[0], GENESIS
                form = canonical_form(
                    stream=row[0], sequence=row[1], actor_id=row[2], actor_name=row[3],
                    role=row[4], action=row[5], act_date=row[6], recorded_at=row[7],
                    payload=json.loads(row[8]), prev_hash=row[9],
                )  # fmt: skip
                if row[9] != prev or hashlib.sha256(form).hexdigest() != row[10]:
                    broken += 1
                prev = row[10]
                count += 1
    return Walk("raw SQL hash walk", count, time.perf_counter() - started, broken)
