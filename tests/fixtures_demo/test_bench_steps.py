"""The transition benchmark's three kinds of step on a few demo cases, for correctness only
(no timing), on the demo county this package shares."""

import pytest
from django.db import connection

from config.bench import ceiling, transition
from procedures.membership.models import Case
from workflows.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]


def test_transitions_service_floor_and_ceiling_do_the_same_steps():
    ids = transition.make_cases(5)
    transition.create_floor_tables()
    ceiling.create_tables()
    runs = {kind: transition.run_serial(kind, ids) for kind in ("service", "floor", "ceiling")}
    # One warms up, one is stepped apart to count its statements.
    assert [run.count for run in runs.values()] == [3, 3, 3]
    transition.check(ids, len(ids))
    ceiling.check(len(ids))
    assert Case.objects.filter(pk__in=ids, status="talked").count() == 5
    streams = [f"membership.case:{pk}" for pk in ids]
    assert AuditEvent.objects.filter(action="talk", stream__in=streams).count() == 5
    # The ceiling sends the service's statements, and both send more than the floor (its
    # eight: BEGIN, the case locked and updated, the stream head read and made, the event,
    # the head moved, COMMIT).
    assert runs["ceiling"].statements == runs["service"].statements > runs["floor"].statements
    assert runs["floor"].statements == 8


def test_the_ceiling_writes_only_its_copies():
    ids = transition.make_cases(3)
    ceiling.create_tables()
    transition.run_serial("ceiling", ids)
    assert Case.objects.filter(pk__in=ids, status="applied").count() == 3
    streams = [f"membership.case:{pk}" for pk in ids]
    assert not AuditEvent.objects.filter(action="talk", stream__in=streams).exists()
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT COUNT(*) FROM bench_ceiling_case WHERE status = 'talked' AND id IN ({marks})",
            ids,
        )
        assert cursor.fetchone()[0] == 3
        cursor.execute("SELECT COUNT(*) FROM bench_ceiling_previous")
        assert cursor.fetchone()[0] == 3  # each talk task linked to the task after it
