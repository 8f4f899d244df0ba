"""The step's own statements, written by hand: what the service's step (② 谈话) sends to the
database, each statement as small as SQL allows, with no ORM, no viewflow and no rule code
between them. It runs on copies of the tables the step writes (taken before the service
runs, so each case is still at 入党申请人 with its talk task and deadline open), reading the
real ones it only reads. Its rate is the most any code issuing these statements could
reach on this machine: the ceiling of the service, where the floor is the least a step
must do at all. The copies have no foreign keys, so the ceiling errs high."""

from __future__ import annotations

import hashlib
import json

# The copies, and the tables they copy (with their rows).
COPIES = {
    "bench_ceiling_case": "membership_case",
    "bench_ceiling_record": "membership_steprecord",
    "bench_ceiling_deadline": "workflows_deadline",
    "bench_ceiling_task": "viewflow_task",
}
EMPTY = {
    "bench_ceiling_previous": "viewflow_task_previous",
    "bench_ceiling_event": "workflows_auditevent",
    "bench_ceiling_head": "workflows_auditstreamhead",
}


def create_tables() -> None:
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table, model in {**COPIES, **EMPTY}.items():
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            rows = "" if table in EMPTY else f"INSERT INTO {table} SELECT * FROM {model}"
            if postgres:
                cursor.execute(f"CREATE TABLE {table} (LIKE {model} INCLUDING ALL)")
                if rows:
                    cursor.execute(rows)
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                    )
            else:
                where = " WHERE 0" if table in EMPTY else ""
                cursor.execute(f"CREATE TABLE {table} AS SELECT * FROM {model}{where}")
        if not postgres:  # the upserts need their unique keys
            cursor.execute(
                "CREATE UNIQUE INDEX bench_ceiling_head_stream ON bench_ceiling_head(stream)"
            )
            cursor.execute(
                "CREATE UNIQUE INDEX bench_ceiling_previous_link"
                " ON bench_ceiling_previous(from_task_id, to_task_id)"
            )


class Step:
    """One process's statements: the content types and the flow's node names, read once."""

    def __init__(self, actor) -> None:
        from django.contrib.contenttypes.models import ContentType
        from viewflow.workflow.models import Task

        from procedures.membership.flows import MemberDevelopmentFlow
        from procedures.membership.models import Case

        self.actor = actor
        self.person_id = actor.person.pk
        self.case_type = ContentType.objects.get_for_model(Case).pk  # the process's artifact
        node = MemberDevelopmentFlow.choose_activist
        self.next_task = Task._meta.get_field("flow_task").get_prep_value(node)

    def __call__(self, case_id: int, talked_on) -> None:
        from django.db import connection, transaction
        from django.utils import timezone

        postgres = connection.vendor == "postgresql"
        lock = " FOR UPDATE OF c" if postgres else ""
        lock_process = " FOR UPDATE OF p" if postgres else ""
        now = timezone.now()
        today = timezone.localdate()
        stream = f"membership.case:{case_id}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.*, p.*, o.* FROM bench_ceiling_case c"
                " JOIN people_person p ON p.id = c.person_id"
                " JOIN people_organisation o ON o.id = c.branch_id"
                f" WHERE c.id = %s{lock}",
                [case_id],
            )
            cursor.fetchone()
            cursor.execute(
                "SELECT pos.*, org.* FROM people_position pos"
                " JOIN people_organisation org ON org.id = pos.organisation_id"
                " WHERE pos.person_id = %s AND pos.start_date <= %s"
                " AND (pos.end_date IS NULL OR pos.end_date >= %s)"
                " ORDER BY org.path, pos.title, pos.start_date",
                [self.person_id, today, today],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT step, act_date, outcome FROM bench_ceiling_record WHERE case_id = %s"
                " ORDER BY act_date, id",
                [case_id],
            )
            cursor.fetchall()
            cursor.execute(
                "UPDATE bench_ceiling_case SET status = %s, talked_on = %s"
                " WHERE id = %s AND status = %s",
                ["talked", talked_on, case_id, "applied"],
            )
            cursor.execute(
                "INSERT INTO bench_ceiling_record (case_id, step, actor_id, actor_name, role,"
                " act_date, entered_at, note, data, late, outcome)"
                " VALUES (%s, 'talk', %s, %s, %s, %s, %s, '', %s, '[]', 'done')",
                [case_id, self.actor.pk, "secretary", "书记", talked_on, now, '{"talker": ""}'],
            )
            cursor.execute(
                "UPDATE bench_ceiling_deadline SET status = 'closed', closed_at = %s"
                " WHERE status = 'open' AND subject_type_id = %s AND subject_id = %s",
                [now, self.case_type, case_id],
            )
            cursor.execute(
                "SELECT t.id, t.token, t.process_id, p.* FROM bench_ceiling_task t"
                " JOIN viewflow_process p ON p.id = t.process_id"
                " WHERE p.artifact_content_type_id = %s AND p.artifact_object_id = %s"
                f" AND t.status IN ('NEW', 'SCHEDULED'){lock_process}",
                [self.case_type, case_id],
            )
            task_id, token, process_id = cursor.fetchone()[:3]
            cursor.execute(
                "UPDATE bench_ceiling_task SET status = 'DONE', started = %s, finished = %s"
                " WHERE id = %s",
                [now, now, task_id],
            )
            cursor.execute(
                "INSERT INTO bench_ceiling_task (flow_task, flow_task_type, status, created,"
                " token, process_id, data) VALUES (%s, 'FUNCTION', 'NEW', %s, %s, %s, '{}')"
                " RETURNING id",
                [self.next_task, now, token, process_id],
            )
            next_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO bench_ceiling_previous (from_task_id, to_task_id) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                [next_id, task_id],
            )
            cursor.execute(
                "INSERT INTO bench_ceiling_head (stream, sequence, hash) VALUES (%s, 1, '')"
                " ON CONFLICT (stream) DO UPDATE SET sequence = bench_ceiling_head.sequence + 1"
                " RETURNING sequence, hash",
                [stream],
            )
            sequence, prev_hash = cursor.fetchone()
            payload = json.dumps({"status": "talked", "data": {"talker": ""}, "late": []})
            digest = hashlib.sha256(
                f"{stream}|{sequence}|{self.actor.pk}|talk|{talked_on}|{now}|{payload}|"
                f"{prev_hash or '0' * 64}".encode()
            ).hexdigest()
            insert = (
                "INSERT INTO bench_ceiling_event (stream, sequence, actor_id, actor_name, role,"
                " action, act_date, recorded_at, payload, prev_hash, hash)"
                " VALUES (%s, %s, %s, 'secretary', '书记', 'talk', %s, %s, %s, %s, %s)"
            )
            values = [stream, sequence, self.actor.pk, talked_on, now, payload, prev_hash, digest]
            set_hash = "UPDATE bench_ceiling_head SET hash = %s WHERE stream = %s"
            if postgres:
                cursor.execute(
                    f"WITH event AS ({insert} RETURNING id) {set_hash}",
                    [*values, digest, stream],
                )
            else:
                cursor.execute(insert, values)
                cursor.execute(set_hash, [digest, stream])


def check(count: int) -> None:
    """Every case the ceiling stepped: talked in its copy, one event each."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_ceiling_event")
        written = cursor.fetchone()[0]
    if written != count:
        raise RuntimeError(f"the ceiling wrote {written} events for {count} transitions")
