"""The audit chain against whoever holds the database: the heads published each night catch
an event edited and every later hash recomputed, which the chain alone cannot."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from workflows import publication
from workflows.audit import event_hash, record_event, verify_chain
from workflows.models import AuditEvent, AuditStreamHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_dir(tmp_path, settings):
    settings.JICENG_AUDIT_PUBLICATION_DIR = str(tmp_path)
    return tmp_path


def _rewrite(stream: str, sequence: int, payload: dict) -> None:
    """What someone holding the database (the table's owner) could do: edit an event and
    recompute its hash, every later link and the stream's head, so the chain agrees again."""
    trigger = "workflows_auditevent_append_only"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
            cursor.execute(f"ALTER TABLE workflows_auditevent DISABLE TRIGGER {trigger}")
        previous = None
        for event in AuditEvent.objects.filter(stream=stream).order_by("sequence"):
            if event.sequence == sequence:
                event.payload = payload
            if previous is not None:
                event.prev_hash = previous
            event.hash = event_hash(event)
            AuditEvent.objects.filter(pk=event.pk).update(
                payload=event.payload, prev_hash=event.prev_hash, hash=event.hash
            )
            previous = event.hash
        AuditStreamHead.objects.filter(stream=stream).update(hash=previous)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE workflows_auditevent ENABLE TRIGGER {trigger}")


def _history():
    for number in range(3):
        record_event(stream="membership.case:1", action=f"step{number}", payload={"n": number})
        record_event(stream="membership.case:2", action=f"step{number}", payload={"n": number})


def test_an_edited_and_recomputed_chain_passes_alone_and_fails_against_the_publication(
    published_dir, capsys
):
    _history()
    first = publication.publish(day=date(2026, 11, 30))
    record_event(stream="membership.case:1", action="step3")
    second = publication.publish(day=date(2026, 12, 1))
    assert json.loads(second.read_bytes())["heads"] == {
        "membership.case:1": [4, AuditStreamHead.objects.get(stream="membership.case:1").hash]
    }
    call_command("verify_audit", "--against", str(published_dir))  # untouched: all holds

    _rewrite("membership.case:2", 1, {"n": 99})
    assert verify_chain() == []  # the chain agrees with itself again
    with pytest.raises(CommandError):
        call_command("verify_audit", "--against", str(first), str(second))
    err = capsys.readouterr().err
    assert "REWRITTEN membership.case:2#3 (published 2026-11-30)" in err
    assert "membership.case:1" not in err


def test_a_published_file_changed_afterwards_is_refused(published_dir):
    _history()
    path = publication.publish(day=date(2026, 11, 30))
    document = json.loads(path.read_bytes())
    document["heads"]["membership.case:2"][1] = "0" * 64
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="bad signature"):
        call_command("verify_audit", "--against", str(published_dir))


def test_a_day_is_published_once_and_a_missing_day_breaks_the_sequence(published_dir):
    _history()
    first = publication.publish(day=date(2026, 11, 29))
    assert publication.publish(day=date(2026, 11, 29)) == first  # idempotent
    record_event(stream="membership.case:1", action="more")
    second = publication.publish(day=date(2026, 11, 30))
    record_event(stream="membership.case:1", action="more")
    third = publication.publish(day=date(2026, 12, 1))
    with pytest.raises(publication.PublicationError, match="does not follow"):
        publication.verify_against([first, third])
    assert publication.verify_against([first, second, third]) == []


def test_the_portal_lists_the_publications_and_serves_each_file(client, published_dir):
    _history()
    publication.publish(day=date(2026, 11, 30))
    page = client.get(reverse("public:audit_heads"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "2026年11月30日" in body and publication.public_key_text() in body
    served = client.get(reverse("public:audit_heads_file", args=["2026-11-30"]))
    assert served.status_code == 200
    assert json.loads(b"".join(served.streaming_content))["stream_count"] == 2
    assert client.get(reverse("public:audit_heads_file", args=["2026-13-01"])).status_code == 404
    assert client.get(reverse("public:audit_heads_file", args=["2026-12-31"])).status_code == 404


@pytest.mark.postgres
def test_the_application_role_cannot_rewrite_truncate_or_disable_the_trail():
    """Production runs as a role that does not own the tables: it may append, not edit,
    delete, truncate, or switch the triggers off. The start-up check tells the owner apart."""
    from django.db import DatabaseError, transaction

    from workflows.db_roles import app_role_owns_audit_table

    record_event(stream="x:1", action="a")
    assert app_role_owns_audit_table() is True  # the test runs as the owner: it would warn
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jiceng_app_test')"
            " THEN CREATE ROLE jiceng_app_test; END IF; END $$"
        )
        cursor.execute("GRANT SELECT, INSERT ON workflows_auditevent TO jiceng_app_test")
        cursor.execute("SET ROLE jiceng_app_test")
        try:
            assert app_role_owns_audit_table() is False
            for statement in (
                "UPDATE workflows_auditevent SET action = 'x'",
                "DELETE FROM workflows_auditevent",
                "TRUNCATE workflows_auditevent",
                "ALTER TABLE workflows_auditevent DISABLE TRIGGER ALL",
            ):
                with pytest.raises(DatabaseError), transaction.atomic():
                    cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute("REVOKE ALL ON workflows_auditevent FROM jiceng_app_test")
    assert AuditEvent.objects.filter(stream="x:1", action="a").exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a heads file"),
        (json.dumps({"format": publication.FORMAT}).encode(), 'field "day" missing'),
        (
            json.dumps(
                {"format": publication.FORMAT, "day": "yesterday", "previous": "",
                 "heads": {}, "signature": ""}
            ).encode(),
            '"day" is not a date',
        ),
        (
            json.dumps(
                {"format": publication.FORMAT, "day": "2026-11-30", "previous": "",
                 "heads": {"s": "x"}, "signature": ""}
            ).encode(),
            "is not [sequence, hash]",
        ),
        (b"\xff\xfe", "not JSON"),
    ],
)  # fmt: skip
def test_a_malformed_heads_file_is_named_with_what_is_wrong(tmp_path, content, said):
    """verify_audit --against exits with the file's name and its fault (a CommandError:
    Django prints it and exits 1, no traceback)."""
    path = tmp_path / "2026-11-30.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit", "--against", str(path))
    assert str(path) in str(refused.value) and said in str(refused.value)


def test_a_public_key_that_is_none_is_said(published_dir):
    _history()
    path = publication.publish(day=date(2026, 11, 30))
    with pytest.raises(CommandError, match="not an Ed25519 key"):
        call_command("verify_audit", "--against", str(path), "--public-key", "%%%")
