"""Deadline rows of any subject: opened, moved, kept and closed by `sync`, each row written
only when something of it changes."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows import deadlines
from workflows.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    return get_user_model().objects.create_user("deadline-subject", password="x-pass-123")


def wanted(**due: date) -> dict[str, dict]:
    return {
        key: {"due_on": on, "title": key, "audience": "branch", "scope_path": "/1/"}
        for key, on in due.items()
    }


def open_rows(subject) -> dict[str, Deadline]:
    return {row.key: row for row in deadlines.open_for(subject)}


def writes(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]


def test_sync_opens_what_is_wanted_and_a_second_sync_writes_nothing(subject):
    deadlines.sync(subject, wanted(talk=date(2026, 3, 1), report=date(2026, 6, 1)))
    first = open_rows(subject)
    assert set(first) == {"talk", "report"}
    with CaptureQueriesContext(connection) as captured:
        deadlines.sync(subject, wanted(talk=date(2026, 3, 1), report=date(2026, 6, 1)))
    assert writes(captured) == []
    assert {key: row.pk for key, row in open_rows(subject).items()} == {
        key: row.pk for key, row in first.items()
    }


def test_sync_moves_a_changed_row_in_place_opens_a_new_key_and_closes_the_rest(subject):
    deadlines.sync(subject, wanted(talk=date(2026, 3, 1), report=date(2026, 6, 1)))
    before = open_rows(subject)
    deadlines.sync(subject, wanted(talk=date(2026, 3, 8), oath=date(2026, 9, 1)))
    after = open_rows(subject)
    assert set(after) == {"talk", "oath"}
    assert after["talk"].pk == before["talk"].pk  # moved, so its reminders keep their row
    assert after["talk"].due_at == deadlines.end_of(date(2026, 3, 8))
    closed = Deadline.objects.get(pk=before["report"].pk)
    assert closed.status == Deadline.Status.CLOSED and closed.closed_at is not None


def test_sync_with_nothing_wanted_closes_every_open_row_in_one_statement(subject):
    deadlines.sync(subject, wanted(talk=date(2026, 3, 1), report=date(2026, 6, 1)))
    with CaptureQueriesContext(connection) as captured:
        deadlines.sync(subject, {})
    statements = [q["sql"] for q in captured.captured_queries if q["sql"] not in ("BEGIN",)]
    assert len(statements) == 1 and statements[0].startswith("UPDATE")
    assert open_rows(subject) == {}
    assert Deadline.objects.filter(status=Deadline.Status.CLOSED).count() == 2


def test_open_deadline_twice_keeps_one_open_row_per_key(subject):
    for due_on in (date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 2)):
        deadlines.open_deadline(
            subject, key="talk", due_on=due_on, title="谈话", audience="branch", scope_path="/1/"
        )
    [row] = deadlines.open_for(subject)
    assert row.due_at == deadlines.end_of(date(2026, 3, 2))
