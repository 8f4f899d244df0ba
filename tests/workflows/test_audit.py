from contextlib import contextmanager
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext

from workflows import audit
from workflows.audit import GENESIS, record_event, verify_chain
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db
STREAM = "test.case:1"


@contextmanager
def tampering():
    """Let a test play the intruder: on PostgreSQL the append-only trigger is lifted for the
    duration of the block (as a superuser could)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # skips user triggers
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = origin")


def _three_events():
    actor = get_user_model().objects.create_user("auditor", password="x-pass-123")
    return [
        record_event(
            stream=STREAM,
            action="apply",
            actor=actor,
            role="书记",
            act_date=date(2026, 3, 1),
            payload={"note": "递交申请书", "n": 1},
        ),
        record_event(stream=STREAM, action="talk", actor=actor, act_date=date(2026, 3, 20)),
        record_event(stream=STREAM, action="activist", actor=actor, payload={"votes": [5, 1, 0]}),
    ]


def test_events_chain_from_genesis_with_consecutive_sequences():
    first, second, third = _three_events()
    assert (first.sequence, second.sequence, third.sequence) == (1, 2, 3)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert verify_chain() == []


def test_streams_are_chained_independently():
    _three_events()
    other = record_event(stream="test.case:2", action="apply")
    assert other.sequence == 1 and other.prev_hash == GENESIS
    assert verify_chain() == []


def test_an_edited_row_is_detected_at_that_link():
    _three_events()
    with tampering():
        AuditEvent.objects.filter(stream=STREAM, sequence=2).update(payload={"forged": True})
    [found] = verify_chain()
    assert (found.stream, found.sequence) == (STREAM, 2)
    assert "edited" in found.reason


def test_an_edited_act_date_is_detected():
    _three_events()
    with tampering():
        AuditEvent.objects.filter(stream=STREAM, sequence=1).update(act_date=date(2025, 1, 1))
    [found] = verify_chain()
    assert found.sequence == 1


def test_a_deleted_row_is_detected():
    _three_events()
    with tampering():
        AuditEvent.objects.filter(stream=STREAM, sequence=2).delete()
    [found] = verify_chain()
    assert found.sequence == 2
    assert "missing" in found.reason


def test_a_deleted_last_row_is_detected_by_the_stream_head():
    _three_events()
    with tampering():
        AuditEvent.objects.filter(stream=STREAM, sequence=3).delete()
    [found] = verify_chain()
    assert found.sequence == 3
    assert "head" in found.reason


def test_reordered_rows_are_detected():
    _three_events()
    with tampering():
        AuditEvent.objects.filter(stream=STREAM, sequence=2).update(sequence=99)
        AuditEvent.objects.filter(stream=STREAM, sequence=3).update(sequence=2)
        AuditEvent.objects.filter(stream=STREAM, sequence=99).update(sequence=3)
    [found] = verify_chain()
    assert found.sequence == 2


def test_verify_audit_command_names_the_first_broken_link(capsys):
    _three_events()
    call_command("verify_audit")
    assert "intact: 3 events" in capsys.readouterr().out
    with tampering():
        AuditEvent.objects.filter(stream=STREAM, sequence=2).update(action="forged")
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"BROKEN {STREAM}#2" in capsys.readouterr().err


def test_an_event_is_written_in_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(stream=STREAM, action="apply")
        raise RuntimeError("the change it records failed")
    assert not AuditEvent.objects.filter(stream=STREAM).exists()
    assert verify_chain() == []


def test_two_events_cannot_share_a_sequence():
    first = record_event(stream=STREAM, action="apply")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(
            stream=STREAM,
            sequence=1,
            action="x",
            act_date=first.act_date,
            recorded_at=first.recorded_at,
            prev_hash=GENESIS,
            hash="f" * 64,
        )


@pytest.mark.postgres
def test_postgresql_refuses_update_of_an_event():
    record_event(stream=STREAM, action="apply")
    with pytest.raises((InternalError, ProgrammingError)) as error, transaction.atomic():
        AuditEvent.objects.filter(stream=STREAM).update(action="forged")
    assert "append-only" in str(error.value)
    assert AuditEvent.objects.get(stream=STREAM).action == "apply"


@pytest.mark.postgres
def test_postgresql_refuses_delete_of_an_event():
    record_event(stream=STREAM, action="apply")
    with pytest.raises((InternalError, ProgrammingError)) as error, transaction.atomic():
        AuditEvent.objects.filter(stream=STREAM).delete()
    assert "append-only" in str(error.value)
    assert AuditEvent.objects.filter(stream=STREAM).count() == 1


@pytest.mark.postgres
def test_an_append_is_two_statements_on_postgresql():
    """Every step of every procedure appends: the head claimed by one upsert, the event and
    the head's new hash in one statement."""
    from django.test.utils import CaptureQueriesContext

    record_event(stream=STREAM, action="apply")
    with CaptureQueriesContext(connection) as captured:
        second = record_event(stream=STREAM, action="talk")
    assert len(captured.captured_queries) == 2
    assert second.pk == AuditEvent.objects.get(stream=STREAM, sequence=2).pk
    assert verify_chain() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_processes_walking_ranges_of_streams_find_what_one_process_finds():
    """verify_audit in parallel: each process reads the committed chain of its own range of
    streams; together they name the same broken links, in the same order."""
    from workflows.models import AuditStreamHead

    for number in range(40):
        for action in ("apply", "talk", "activist"):
            record_event(stream=f"test.case:{number}", action=action, act_date=date(2026, 3, 1))
    assert verify_chain(processes=3) == [] == verify_chain()
    with tampering():
        AuditEvent.objects.filter(stream="test.case:7", sequence=2).update(action="forged")
        AuditEvent.objects.filter(stream="test.case:33", sequence=3).delete()
        AuditEvent.objects.filter(stream="test.case:20").delete()
    AuditStreamHead.objects.create(stream="test.case:zz", sequence=2, hash="f" * 64)
    one = verify_chain()
    assert [(b.stream, b.sequence) for b in one] == [
        ("test.case:20", 1), ("test.case:33", 3), ("test.case:7", 2), ("test.case:zz", 1),
    ]  # fmt: skip
    assert verify_chain(processes=3) == one
    assert verify_chain(processes=8) == one


# `batched`: the events of a block chained in memory and written at its end.


def _rows(stream: str) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(stream=stream)
        .order_by("sequence")
        .values_list("sequence", "action", "act_date", "payload", "prev_hash", "hash")
    )


def test_a_batch_writes_the_chain_appending_would_write():
    record_event(stream=STREAM, action="apply", act_date=date(2026, 3, 1))  # a head exists
    with CaptureQueriesContext(connection) as captured, audit.batched():
        held = [
            record_event(stream=STREAM, action="talk", payload={"n": n}, act_date=date(2026, 3, n))
            for n in range(2, 5)
        ]
        other = record_event(stream="test.person:9", action="standing", act_date=date(2026, 3, 4))
        assert AuditEvent.objects.count() == 1  # nothing written yet
    assert [event.sequence for event in held] == [2, 3, 4] and other.sequence == 1
    assert held[0].prev_hash == AuditEvent.objects.get(stream=STREAM, sequence=1).hash
    assert held[1].prev_hash == held[0].hash and other.prev_hash == GENESIS
    # Two heads claimed, one insert of the four events, two heads set.
    assert len(captured.captured_queries) - 1 == 5  # the count() above is one of them
    assert verify_chain() == []
    rows = _rows(STREAM)
    assert [row[0] for row in rows] == [1, 2, 3, 4]
    assert rows[1][1:] == ("talk", date(2026, 3, 2), {"n": 2}, held[0].prev_hash, held[0].hash)
    # The chain goes on after the batch as appending does.
    after = record_event(stream=STREAM, action="choose_activist")
    assert after.sequence == 5 and after.prev_hash == held[-1].hash
    assert verify_chain() == []


def test_a_failed_batch_writes_nothing():
    with pytest.raises(RuntimeError), transaction.atomic(), audit.batched():
        record_event(stream=STREAM, action="apply")
        raise RuntimeError("refused")
    assert not AuditEvent.objects.exists()
    first = record_event(stream=STREAM, action="apply")
    assert first.sequence == 1 and first.prev_hash == GENESIS


def test_a_batch_of_many_events_is_written_in_several_inserts():
    with audit.batched():
        for n in range(audit._ROWS_PER_INSERT * 2 + 3):
            record_event(stream=STREAM, action="observe", payload={"n": n})
    assert AuditEvent.objects.filter(stream=STREAM).count() == audit._ROWS_PER_INSERT * 2 + 3
    assert verify_chain() == []
