"""The audit chain: append-only events, hash-chained per stream.

Each event's hash is SHA-256 over a canonical JSON form of its fields and the previous
event's hash, so an edited, deleted or reordered row breaks the chain at that link. The stream
head (last sequence and hash) is kept in its own row, locked while appending, so two writers
of one stream are serialised and a deleted tail is detected too. On PostgreSQL a trigger
refuses UPDATE and DELETE of events (migration 0002).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from . import processes as processes_
from .audit_sql import GENESIS, _claim_link, _event_fields, _insert_link, _statements
from .models import AuditEvent, AuditStreamHead


def stream_of(instance: Any) -> str:
    """The stream name of a model instance: `app_label.model:pk`."""
    meta = instance._meta
    return f"{meta.app_label}.{meta.model_name}:{instance.pk}"


def _normalise(payload: dict[str, Any] | None) -> dict[str, Any]:
    # The stored JSON must hash the same after a round trip through the database.
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))


def canonical_form(
    *,
    stream: str,
    sequence: int,
    actor_id: int | None,
    actor_name: str,
    role: str,
    action: str,
    act_date: date,
    recorded_at: datetime,
    payload: dict[str, Any],
    prev_hash: str,
) -> bytes:
    fields = {
        "stream": stream,
        "sequence": sequence,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "role": role,
        "action": action,
        "act_date": act_date.isoformat(),
        "recorded_at": recorded_at.astimezone(UTC).isoformat(),
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    form = canonical_form(
        stream=event.stream,
        sequence=event.sequence,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        role=event.role,
        action=event.action,
        act_date=event.act_date,
        recorded_at=event.recorded_at,
        payload=event.payload,
        prev_hash=event.prev_hash,
    )
    return hashlib.sha256(form).hexdigest()


def _link(stream, sequence, prev_hash, action, actor, role, act_date, payload) -> AuditEvent:
    """The event at `sequence` of `stream` after `prev_hash`, recorded now, with its hash."""
    recorded_at = timezone.now()
    event = AuditEvent(
        stream=stream,
        sequence=sequence,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        role=str(role),
        action=action,
        act_date=act_date or timezone.localdate(recorded_at),
        recorded_at=recorded_at,
        payload=_normalise(payload),
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    return event


# The events appended outside the pipeline (`workflows.pipeline`, which appends every act's),
# each a read, not an act: who saw a person's full ID number and phone, and who exported the
# workbook that holds them. An architecture test holds every other call to the pipeline.
ACCESS_LOG = ("personal_data_viewed", "workbook_exported")


def record_event(
    *,
    stream: str,
    action: str,
    actor: Any = None,
    role: str = "",
    act_date: date | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to `stream`, in the caller's transaction (or a new one). No
    savepoint of its own: if appending fails, the caller's whole step must fail with it.
    Two statements on PostgreSQL (every step of every procedure appends one)."""
    held = _held.get()
    if held is not None:
        return _hold(held, stream, action, actor, role, act_date, payload)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        sequence, prev_hash = _claim_link(cursor, stream)
        event = _link(stream, sequence, prev_hash, action, actor, role, act_date, payload)
        event.pk = _insert_link(cursor, event)
    event._state.adding = False
    return event


# Streams whose events are chained in memory and written together (`batched`).
_held: ContextVar[dict[str, _Held] | None] = ContextVar("held_events", default=None)


@dataclass
class _Held:
    sequence: int
    hash: str
    events: list[AuditEvent]


@contextmanager
def batched():
    """Inside the block, each stream's events are chained in memory, event by event as
    appending them would chain them (their own moments, sequences and hashes), and written
    when the block ends: one multi-row insert, each stream's head set once. The first event
    of a stream claims its head, locked until the transaction ends, as an append does. For
    a block inside one transaction (a case entered from paper): if it fails, nothing of it
    is written. The events returned inside it have no id."""
    held: dict[str, _Held] = {}
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    _write_held(held)


def _hold(held, stream, action, actor, role, act_date, payload) -> AuditEvent:
    state = held.get(stream)
    if state is None:
        with connection.cursor() as cursor:
            cursor.execute(_statements(connection.vendor)["hold"], [stream])
            sequence, head_hash = cursor.fetchone()
        state = held[stream] = _Held(sequence, head_hash or GENESIS, [])
    event = _link(stream, state.sequence + 1, state.hash, action, actor, role, act_date, payload)
    state.sequence, state.hash = event.sequence, event.hash
    state.events.append(event)
    return event


_ROWS_PER_INSERT = 50


def _write_held(held: dict[str, _Held]) -> None:
    events = [event for state in held.values() for event in state.events]
    if not events:
        return
    sql = _statements(connection.vendor)
    fields = _event_fields()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(events), _ROWS_PER_INSERT):
            chunk = events[start : start + _ROWS_PER_INSERT]
            values = [
                field.get_db_prep_save(field.pre_save(event, True), connection)
                for event in chunk
                for field in fields
            ]
            row = f"({', '.join(['%s'] * len(fields))})"
            cursor.execute(f"{sql['insert_rows']} {', '.join([row] * len(chunk))}", values)
        for stream, state in held.items():
            if state.events:
                cursor.execute(sql["set_head"], [state.sequence, state.hash, stream])


@dataclass(frozen=True)
class Break:
    stream: str
    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"{self.stream}#{self.sequence}: {self.reason}"


# A row of the walk: the event's columns as read, no model built (verify_audit walks millions).
ROW = (
    "stream", "sequence", "actor_id", "actor_name", "role", "action", "act_date",
    "recorded_at", "payload", "prev_hash", "hash",
)  # fmt: skip


def row_hash(row: tuple) -> str:
    """The hash an event's row should carry (`event_hash` of the same fields)."""
    stream, sequence, actor_id, actor_name, role, action, act_date, recorded_at, payload = row[:9]
    form = canonical_form(
        stream=stream, sequence=sequence, actor_id=actor_id, actor_name=actor_name, role=role,
        action=action, act_date=act_date, recorded_at=recorded_at, payload=payload,
        prev_hash=row[9],
    )  # fmt: skip
    return hashlib.sha256(form).hexdigest()


def _verify_stream(stream: str, rows: Iterable[tuple], head: tuple[int, str] | None):
    """`rows`: the stream's events as `ROW` tuples in sequence order; `head`: its head's
    (sequence, hash)."""
    expected_sequence = 1
    prev_hash = GENESIS
    for row in rows:
        sequence = row[1]
        if sequence != expected_sequence:
            found = f"missing or reordered (found #{sequence})"
            return Break(stream, expected_sequence, found)
        if row[9] != prev_hash:
            return Break(stream, sequence, "previous hash does not match the link before")
        if row_hash(row) != row[10]:
            return Break(stream, sequence, "content does not match its hash (edited)")
        prev_hash = row[10]
        expected_sequence += 1
    last = expected_sequence - 1
    if head is None or head[0] != last or (head[1] or GENESIS) != prev_hash:
        head_sequence = head[0] if head else 0
        return Break(stream, last + 1, f"stream head at #{head_sequence} but chain ends at #{last}")
    return None


def _grouped(rows: Iterator[tuple]) -> Iterator[tuple[str, list[tuple]]]:
    current: str | None = None
    batch: list[tuple] = []
    for row in rows:
        if row[0] != current:
            if current is not None:
                yield current, batch
            current, batch = row[0], []
        batch.append(row)
    if current is not None:
        yield current, batch


def _within(queryset, stream: str | None, bounds: tuple[str | None, str | None]):
    if stream is not None:
        return queryset.filter(stream=stream)
    low, high = bounds
    if low is not None:
        queryset = queryset.filter(stream__gte=low)
    if high is not None:
        queryset = queryset.filter(stream__lt=high)
    return queryset


def _verify_part(stream: str | None, bounds=(None, None)) -> list[Break]:
    """Walk the streams named (one, or those from `bounds[0]` up to `bounds[1]`)."""
    heads = dict(
        (name, (sequence, head_hash))
        for name, sequence, head_hash in _within(
            AuditStreamHead.objects.all(), stream, bounds
        ).values_list("stream", "sequence", "hash")
    )
    rows = (
        _within(AuditEvent.objects.all(), stream, bounds)
        .order_by("stream", "sequence")
        .values_list(*ROW)
        .iterator(chunk_size=5000)
    )
    breaks: list[Break] = []
    seen: set[str] = set()
    for name, batch in _grouped(rows):
        seen.add(name)
        found = _verify_stream(name, batch, heads.get(name))
        if found:
            breaks.append(found)
    for name, (sequence, _hash) in sorted(heads.items()):
        if name not in seen and sequence:
            breaks.append(Break(name, 1, f"stream head at #{sequence} but no events"))
    return breaks


def _part_in_child(bounds) -> list[Break]:
    return _verify_part(None, bounds)


def verify_chain(*, stream: str | None = None, processes: int = 1) -> list[Break]:
    """Walk every stream (or one) and return the first broken link of each broken stream,
    in stream order. With `processes` > 1 (PostgreSQL, outside a transaction: each process
    reads what is committed), the streams are split in as many ranges of about as many
    streams, each walked by a process of its own."""
    if (
        processes <= 1
        or stream is not None
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
    ):
        breaks = _verify_part(stream)
    else:
        names = list(AuditStreamHead.objects.order_by("stream").values_list("stream", flat=True))
        cuts = [names[len(names) * k // processes] for k in range(1, processes)] if names else []
        edges = [None, *dict.fromkeys(cuts), None]  # in the database's order of the names
        bounds = list(itertools.pairwise(edges))
        with processes_.fork_pool(len(bounds)) as pool:  # each opens its own connections
            parts = pool.map(_part_in_child, bounds)
        breaks = [found for part in parts for found in part]
    return sorted(breaks, key=lambda found: (found.stream, found.sequence))


def events_of(stream: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(stream=stream).order_by("sequence"))
