"""An audited step transition: the project's real service for ② 谈话 (rule checks, the
protected status transition, the step record, the case's deadline rows, the viewflow task,
the hash-chained audit event) on many cases, against a hand-written floor doing the least
that such a step must do in SQL: lock the case row, update it, and append a hash-chained
event under the stream head's lock. Each in one process and in N processes."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import time
from datetime import timedelta

from .stats import Run

FLOOR_EVENTS = "bench_floor_event"
FLOOR_HEADS = "bench_floor_head"


def _secretary():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.select_related("person__organisation").get(username="secretary")


def ensure_county() -> None:
    from fixtures import demo_county

    if not demo_county.is_loaded():
        demo_county.load()


def make_cases(count: int, *, offset: int = 0) -> list[int]:
    """`count` applicants of the demo secretary's branch, each with an open case (applied 20
    days ago): created through the services, so every row a real case has is there."""
    from django.utils import timezone

    from fixtures import demo_county
    from procedures.membership import services as membership
    from procedures.people import identity
    from procedures.people import services as people
    from procedures.people.models import Person

    ensure_county()
    secretary = _secretary()
    branch = secretary.person.organisation
    today = timezone.localdate()
    ids = []
    for index in range(offset, offset + count):
        born = today.replace(year=today.year - 30) - timedelta(days=index // 400)
        male = index % 2 == 0
        person = people.person_register(
            actor=None,
            name=f"申请人{index}",
            gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
            birth_date=born,
            id_number=identity.make_number(
                "529902", born, (index % 400) * 2 + (1 if male else 0), male=male
            ),
            education=Person.Education.SENIOR,
            occupation=Person.Occupation.FARMER,
            phone="",
            organisation=branch,
        )
        case = membership.case_open(
            actor=secretary, person=person, branch=branch, applied_on=today - timedelta(days=20)
        )
        ids.append(case.pk)
    del demo_county
    return ids


def create_floor_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table, model in (
            (FLOOR_EVENTS, "workflows_auditevent"),
            (FLOOR_HEADS, "workflows_auditstreamhead"),
        ):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE {table} (LIKE {model} INCLUDING ALL)")
            else:
                cursor.execute(f"CREATE TABLE {table} AS SELECT * FROM {model} WHERE 0")


def floor_step(case_id: int, talked_on, actor_id: int) -> None:
    """The least a step must do, in SQL."""
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    lock = " FOR UPDATE" if postgres else ""
    stream = f"membership.case:{case_id}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT id, status FROM membership_case WHERE id = %s{lock}", [case_id])
        cursor.fetchone()
        cursor.execute(
            "UPDATE membership_case SET status = %s, talked_on = %s WHERE id = %s",
            ["talked", talked_on, case_id],
        )
        cursor.execute(
            f"SELECT sequence, hash FROM {FLOOR_HEADS} WHERE stream = %s{lock}", [stream]
        )
        head = cursor.fetchone()
        if head is None:
            cursor.execute(
                f"INSERT INTO {FLOOR_HEADS} (stream, sequence, hash) VALUES (%s, 0, '')", [stream]
            )
            head = (0, "")
        sequence, prev_hash = head[0] + 1, head[1] or "0" * 64
        payload = json.dumps({"status": "talked"})
        recorded_at = time.time()
        digest = hashlib.sha256(
            f"{stream}|{sequence}|{actor_id}|talk|{talked_on}|{recorded_at}|{payload}|{prev_hash}".encode()
        ).hexdigest()
        cursor.execute(
            f"INSERT INTO {FLOOR_EVENTS} (stream, sequence, actor_id, actor_name, role, action,"
            " act_date, recorded_at, payload, prev_hash, hash)"
            " VALUES (%s, %s, %s, 'secretary', '', 'talk', %s, CURRENT_TIMESTAMP, %s, %s, %s)",
            [stream, sequence, actor_id, talked_on, payload, prev_hash, digest],
        )
        cursor.execute(
            f"UPDATE {FLOOR_HEADS} SET sequence = %s, hash = %s WHERE stream = %s",
            [sequence, digest, stream],
        )


def _stepper(kind: str):
    """One step of `kind` on a case id, with its actor and date read beforehand."""
    from django.utils import timezone

    from procedures.membership import services as membership

    from . import ceiling

    secretary = _secretary()
    talked_on = timezone.localdate() - timedelta(days=5)
    if kind == "service":
        return lambda case_id: membership.case_talk(
            case_id=case_id, actor=secretary, talked_on=talked_on
        )
    if kind == "ceiling":
        by_hand = ceiling.Step(secretary)
        return lambda case_id: by_hand(case_id, talked_on)
    return lambda case_id: floor_step(case_id, talked_on, secretary.pk)


def _work(kind: str, ids: list[int]) -> list[float]:
    step = _stepper(kind)
    latencies = []
    for case_id in ids:
        started = time.perf_counter()
        step(case_id)
        latencies.append(time.perf_counter() - started)
    return latencies


def run_serial(kind: str, ids: list[int]) -> Run:
    """The first case warms up (imports, caches, the first connection), the last is stepped
    apart to count its statements; the rest are timed."""
    _work(kind, ids[:1])
    started = time.perf_counter()
    latencies = _work(kind, ids[1:-1])
    run = Run(f"{kind} ×1", len(latencies), time.perf_counter() - started, latencies)
    run.statements = statements_of(kind, ids[-1])
    return run


def statements_of(kind: str, case_id: int) -> int:
    """How many statements one step sends, the transaction's BEGIN and COMMIT included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    step = _stepper(kind)
    with CaptureQueriesContext(connection) as captured:
        step(case_id)
    return len(captured.captured_queries)


def _child(kind: str, ids: list[int], barrier, results) -> None:
    import django

    django.setup()
    _work(kind, ids[:1])
    barrier.wait(timeout=120)
    results.put(_work(kind, ids[1:]))


def run_parallel(kind: str, ids: list[int], processes: int) -> Run:
    """`processes` separate Python processes (spawned: each its own connection), started
    together; the rate is all their transitions over the wall time of the slowest."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    results = context.Queue()
    chunks = [ids[index::processes] for index in range(processes)]
    workers = [
        context.Process(target=_child, args=(kind, chunk, barrier, results)) for chunk in chunks
    ]
    for worker in workers:
        worker.start()
    barrier.wait(timeout=120)
    started = time.perf_counter()
    latencies: list[float] = []
    for _ in workers:
        latencies.extend(results.get(timeout=1800))
    seconds = time.perf_counter() - started
    for worker in workers:
        worker.join(timeout=60)
        if worker.exitcode != 0:
            raise RuntimeError(f"a {kind} worker failed (exit {worker.exitcode})")
    return Run(f"{kind} ×{processes}", len(latencies), seconds, latencies)


def check(service_ids: list[int], floor_count: int) -> None:
    """The service really did its work: every case talked, every chain intact; and the floor
    wrote one event per transition."""
    from django.db import connection

    from procedures.membership.models import Case
    from workflows.audit import verify_chain

    talked = Case.objects.filter(pk__in=service_ids, status="talked").count()
    if talked != len(service_ids):
        raise RuntimeError(f"only {talked} of {len(service_ids)} cases were talked")
    breaks = verify_chain()
    if breaks:
        raise RuntimeError(f"audit chain broken: {breaks[0]}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FLOOR_EVENTS}")
        written = cursor.fetchone()[0]
    if written != floor_count:
        raise RuntimeError(f"the floor wrote {written} events for {floor_count} transitions")
