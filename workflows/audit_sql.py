"""The audit table's statements, built once per database from the models' tables (no user
input in them): claiming a stream's next link (its head locked and moved on in one upsert),
inserting an event and setting the head's hash (on PostgreSQL in one statement), and the
statements `batched` writes many rows with."""

from __future__ import annotations

import functools

from django.db import connection

from .models import AuditEvent, AuditStreamHead

GENESIS = "0" * 64


_COLUMNS = (
    "stream",
    "sequence",
    "actor",
    "actor_name",
    "role",
    "action",
    "act_date",
    "recorded_at",
    "payload",
    "prev_hash",
    "hash",
)


@functools.cache
def _event_fields() -> tuple:
    """The inserted fields, in the order of the insert's columns and values."""
    return tuple(AuditEvent._meta.get_field(name) for name in _COLUMNS)


@functools.cache
def _statements(vendor: str) -> dict[str, str]:
    """The append's SQL, built once from the models' tables (no user input in it)."""
    quote = connection.ops.quote_name
    heads, events = quote(AuditStreamHead._meta.db_table), quote(AuditEvent._meta.db_table)
    columns = ", ".join(quote(field.column) for field in _event_fields())
    insert = f"INSERT INTO {events} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    claim = (
        f"INSERT INTO {heads} (stream, sequence, hash) VALUES (%s, 1, '')"
        f" ON CONFLICT (stream) DO UPDATE SET sequence = {heads}.sequence + 1"
        " RETURNING sequence, hash"
    )
    set_hash = f"UPDATE {heads} SET hash = %s WHERE stream = %s"
    return {
        # `batched`: a stream's head claimed (made if new, locked) without moving it, and
        # set once to its last event; the held events inserted many rows at a time.
        "hold": (
            f"INSERT INTO {heads} (stream, sequence, hash) VALUES (%s, 0, '')"
            f" ON CONFLICT (stream) DO UPDATE SET sequence = {heads}.sequence"
            " RETURNING sequence, hash"
        ),
        "set_head": f"UPDATE {heads} SET sequence = %s, hash = %s WHERE stream = %s",
        "insert_rows": f"INSERT INTO {events} ({columns}) VALUES",
        "claim": claim,
        "insert": f"{insert} RETURNING id",
        "set_hash": set_hash,
        # PostgreSQL: the insert and the head's new hash in one statement.
        "link": (
            f"WITH event AS ({insert} RETURNING id) {set_hash} RETURNING (SELECT id FROM event)"
        ),
    }


def _claim_link(cursor, stream: str) -> tuple[int, str]:
    """Lock the stream's head and move it on by one, in one statement (the upsert also makes
    a new stream's head): the new event's sequence and the previous link's hash."""
    cursor.execute(_statements(connection.vendor)["claim"], [stream])
    sequence, prev_hash = cursor.fetchone()
    return sequence, prev_hash or GENESIS


def _insert_link(cursor, event: AuditEvent) -> int:
    """Insert the event and set the head's hash to it (on PostgreSQL in one statement); the
    event's id."""
    sql = _statements(connection.vendor)
    values = [
        field.get_db_prep_save(field.pre_save(event, True), connection) for field in _event_fields()
    ]
    if connection.vendor == "postgresql":
        cursor.execute(sql["link"], [*values, event.hash, event.stream])
        return cursor.fetchone()[0]
    cursor.execute(sql["insert"], values)
    event_id = cursor.fetchone()[0]
    cursor.execute(sql["set_hash"], [event.hash, event.stream])
    return event_id
