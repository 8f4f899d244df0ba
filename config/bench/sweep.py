"""The deadline sweep over a million open deadline rows: the time to find the due ones and
hand them over to the reminders (`notifications.services.due_now`: the indexed query, the
rows, the moments each calls for), against a raw SQL query fetching the same rows' columns
on the same index. Also the plan, to show the index is used."""

from __future__ import annotations

import time

from .stats import Run

DAY_SPREAD = 730  # due moments spread over two years ...
OVERDUE_DAYS = 10  # ... starting ten days ago: about 2 % are due or overdue now


def fill(rows: int) -> None:
    """`rows` open deadlines of cases, generated in the database (SQL, not Python)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from procedures.membership.models import Case

    subject_type = ContentType.objects.get_for_model(Case).pk
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO workflows_deadline (subject_type_id, subject_id, key, title, rulebook,"
                " rule_id, citation, due_at, audience, scope_path, status, opened_at)"
                " SELECT %s, 1000000 + g, 'bench', '期限' || g, 'cpc-2014', 'talk_deadline', '',"
                " now() + (((g::bigint * 7919) %% (%s * 86400)) - %s * 86400)"
                " * interval '1 second',"
                " 'branch', '/1/2/3/', 'open', now() FROM generate_series(1, %s) AS g",
                [subject_type, DAY_SPREAD, OVERDUE_DAYS, rows],
            )
            cursor.execute("ANALYZE workflows_deadline")
        else:
            cursor.execute(
                "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %s)"
                " INSERT INTO workflows_deadline (subject_type_id, subject_id, key, title,"
                " rulebook, rule_id, citation, due_at, audience, scope_path, status,"
                " opened_at)"
                " SELECT %s, 1000000 + n, 'bench', '期限' || n, 'cpc-2014', 'talk_deadline', '',"
                " datetime('now', (((n * 7919) %% (%s * 86400)) - %s * 86400) || ' seconds'),"
                " 'branch', '/1/2/3/', 'open', datetime('now') FROM g",
                [rows, subject_type, DAY_SPREAD, OVERDUE_DAYS],
            )
            cursor.execute("ANALYZE")


def _columns() -> list[str]:
    """The columns the sweep reads: the floor fetches the same."""
    from notifications.services import SWEEP_FIELDS
    from workflows.models import Deadline

    return [Deadline._meta.get_field(name).column for name in SWEEP_FIELDS]


def project(now) -> Run:
    """What the sweep does to find and hand over the due deadlines."""
    from notifications import services

    started = time.perf_counter()
    handed = sum(1 for _deadline, _moments in services.due_now(now))
    return Run("sweep: find and hand over", handed, time.perf_counter() - started)


def floor(now) -> Run:
    """The same rows and columns by raw SQL, read in chunks from a server-side cursor."""
    from django.db import connection, transaction

    from notifications.services import due_until

    columns = ", ".join(_columns())
    started = time.perf_counter()
    count = 0
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM workflows_deadline WHERE status = %s AND due_at <= %s",
            ["open", due_until(now)],
        )
        while rows := cursor.fetchmany(2000):
            count += len(rows)
    return Run("raw SQL, same rows", count, time.perf_counter() - started)


def plan(now) -> str:
    from notifications.services import due_deadlines

    return due_deadlines(now).explain()


def uses_index(plan_text: str) -> bool:
    return "deadline_status_due" in plan_text
