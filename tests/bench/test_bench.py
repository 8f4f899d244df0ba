"""The benchmark code on tiny sizes, for correctness only: no timing is asserted (benchmarks
are run by `make bench`, not by the tests)."""

import pytest
from django.db import connection
from django.utils import timezone

from config.bench import ceiling, report, sweep, transition
from config.bench.portal import parse_wrk
from config.bench.stats import Row, Run, percentile

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:40321/n/44/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.90ms   12.01ms 139.50ms   85.40%
    Req/Sec     2.18k   220.11     2.71k    70.00%
  Latency Distribution
     50%   12.73ms
     75%   17.20ms
     90%   27.55ms
     99%   69.08ms
  34811 requests in 8.01s, 271.07MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   4344.24
Transfer/sec:     33.84MB
"""


def test_wrk_output_is_read_with_its_units_and_errors():
    assert parse_wrk(WRK_OUTPUT) == (4344.24, 12.73, 69.08, 7)
    assert parse_wrk(WRK_OUTPUT.replace("12.73ms", "950.00us"))[1] == pytest.approx(0.95)


def test_rates_and_percentiles():
    run = Run("x", 4, 2.0, [0.001, 0.002, 0.003, 0.100])
    assert run.rate == 2.0
    assert (run.p50_ms, run.p99_ms) == (pytest.approx(2.0), pytest.approx(100.0))
    assert percentile([], 0.5) == 0.0


def test_the_figures_replace_their_section_and_keep_the_notes_around_it(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\nWhat we changed.\n\n" + report.BEGIN + "\nold\n" + report.END)
    rows = [
        Row("sweep", "10 ms", "5 ms", 2.0, "≤ 2.0×", True),
        Row("ceiling", "7 ms", "3 ms", 0.4, "—", None),
    ]
    report.write(path, report.section(rows, machine_line="m", mode="make bench", notes=["n"]))
    text = path.read_text()
    assert "What we changed." in text and "old" not in text
    assert "| sweep | 10 ms | 5 ms | 2.00 | ≤ 2.0× | yes |" in text
    assert "| ceiling | 7 ms | 3 ms | 0.40 | — | — |" in text


@pytest.mark.django_db
def test_the_sweep_and_its_floor_find_the_same_due_rows_on_the_index():
    sweep.fill(600)
    now = timezone.now()
    project, floor = sweep.project(now), sweep.floor(now)
    assert project.count == floor.count > 0
    plan = sweep.plan(now)  # on so few rows a database may well scan the table instead
    assert "workflows_deadline" in plan
    assert sweep.uses_index(plan) is ("deadline_status_due" in plan)


@pytest.mark.postgres
@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_transitions_in_processes_and_a_celery_worker_peak(monkeypatch, settings):
    """Spawned processes and a Celery worker share the test database (so: PostgreSQL) and
    the configured broker."""
    db = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    )
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.test")
    transition.ensure_county()
    ids = transition.make_cases(6)
    transition.create_floor_tables()
    ceiling.create_tables()
    runs = [transition.run_parallel(kind, ids, 2) for kind in ("service", "floor", "ceiling")]
    assert [run.count for run in runs] == [4, 4, 4]  # each process warms up on one
    transition.check(ids, len(ids))
    ceiling.check(len(ids))
    from config.bench import memory

    monkeypatch.setenv("CELERY_BROKER_URL", settings.CELERY_BROKER_URL)
    peak, sent = memory.celery_worker_peak(3, timeout=120)
    assert sent == 3 and peak > 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_audit_walk_and_its_floor_read_the_same_events_and_find_the_chain_whole():
    """`make bench`'s verify_audit rows, for correctness only (no timing): the floor decodes
    the rows as the project does, so both walk every event and neither finds a break; an
    edited event is a break to both."""
    from datetime import date

    from config.bench import audit
    from workflows.audit import record_event
    from workflows.models import AuditEvent

    for number in range(5):
        for action in ("apply", "talk"):
            record_event(
                stream=f"bench.case:{number}", action=action, act_date=date(2026, 3, 1),
                payload={"n": number, "名": "张三"},
            )  # fmt: skip
    floor, walk = audit.floor(), audit.project(1)
    assert floor.events == walk.events == AuditEvent.objects.count() >= 10
    assert floor.breaks == walk.breaks == 0
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # past the append-only trigger
        try:
            AuditEvent.objects.filter(stream="bench.case:3", sequence=2).update(action="forged")
        finally:
            cursor.execute("SET session_replication_role = origin")
    assert audit.floor().breaks == 1 and audit.project(1).breaks == 1


def test_the_worst_uploads_are_built_within_the_limits_and_read_as_built(settings):
    """`make bench`'s upload rows, for correctness only: the files it measures are admitted by
    the limits, under the upload size, and hold what they were built to hold."""
    import io

    import openpyxl

    from config.bench import uploads
    from procedures.membership import workbook as case_book
    from workflows import sheets

    dense = uploads.dense_history(rows=50, filled=6)
    shared = uploads.shared_strings(strings=600, per_row=6)
    for content in (dense, shared):
        assert sheets.check_upload(content) is None and len(content) < uploads.UPLOAD_BYTES
    history = openpyxl.load_workbook(io.BytesIO(dense), read_only=True)[case_book.HISTORY]
    rows = list(history.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 50 and all(sum(v is not None for v in row) == 6 for row in rows)
    book = openpyxl.load_workbook(io.BytesIO(shared), read_only=True)
    values = [v for row in book[case_book.HISTORY].iter_rows(min_row=2, values_only=True)
              for v in row if v is not None]  # fmt: skip
    assert len(values) == 600 == len(set(values))
