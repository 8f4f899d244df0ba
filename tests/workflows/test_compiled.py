"""Queries compiled once (`workflows.compiled`): run with new values, they give what the
queryset itself gives (instances with their select_related rows, converted value rows),
compile once per connection, and refuse a build that drops an argument."""

from datetime import date

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from procedures.people.models import Organisation, Person, Position
from tests import factories
from workflows.compiled import Compiled

pytestmark = pytest.mark.django_db

HELD = Compiled(
    lambda person_id, day: (
        Position.objects.filter(person_id=person_id, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("organisation")
        .order_by("pk")
    ),
    int,
    date,
)
ROWS = Compiled(
    lambda person_id: Person.objects.filter(pk=person_id).values_list(
        "pk", "name", "birth_date", "organisation_id"
    ),
    int,
)


@pytest.fixture
def held():
    tree = factories.tree()
    one, other = factories.person(tree.branches[0]), factories.person(tree.branches[1])
    factories.hold(one, tree.branches[0], "secretary", start=date(2024, 1, 1))
    factories.hold(
        one, tree.townships[0], "organiser", start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    factories.hold(other, tree.branches[1], "secretary", start=date(2024, 1, 1))
    return one, other


def test_instances_are_the_querysets(held):
    one, other = held
    for person, day in (
        (one, date(2025, 6, 1)),
        (one, date(2026, 6, 1)),
        (other, date(2023, 1, 1)),
    ):
        expected = list(HELD.build(person.pk, day))
        found = HELD(person.pk, day)
        assert [p.pk for p in found] == [p.pk for p in expected]
        for mine, theirs in zip(found, expected, strict=True):
            assert mine.title == theirs.title and mine.end_date == theirs.end_date
            assert mine._state.db == "default" and not mine._state.adding
            with CaptureQueriesContext(connection) as captured:
                assert mine.organisation.name == theirs.organisation.name
            assert not captured.captured_queries  # read with it, as select_related does
    assert len(HELD(one.pk, date(2025, 6, 1))) == 2
    assert len(HELD(one.pk, date(2026, 1, 1))) == 1  # the day after the township post ended
    assert len(HELD(one.pk, date(2025, 12, 31))) == 2  # its last day


def test_value_rows_are_converted(held):
    one, _other = held
    assert ROWS(one.pk) == list(ROWS.build(one.pk))
    (row,) = ROWS(one.pk)
    assert isinstance(row[2], date)  # a date, on SQLite too (stored as text there)
    assert ROWS(0) == []


def test_compiled_once_per_connection(held):
    one, other = held
    HELD(one.pk, date(2026, 1, 1))
    plans = connections["default"].__dict__["_jiceng_compiled"]
    plan = plans[HELD.key]
    HELD(other.pk, date(2025, 1, 1))
    assert plans[HELD.key] is plan
    with CaptureQueriesContext(connection) as captured:
        HELD(other.pk, date(2025, 1, 1))
    assert len(captured.captured_queries) == 1


def test_every_argument_must_be_a_parameter():
    dropped = Compiled(lambda person_id: Person.objects.filter(pk=1), int)
    with pytest.raises(ValueError):
        dropped(5)


NAMED = Compiled(
    lambda prefix: Organisation.objects.filter(name__startswith=prefix).order_by("pk"), str
)


def test_a_pattern_takes_the_value_escaped():
    tree = factories.tree()
    assert [o.pk for o in NAMED("测试0")] == [o.pk for o in NAMED.build("测试0")]
    assert len(NAMED("测试0")) == 3  # the township and its two branches
    assert NAMED("测试_") == [] and NAMED("测试%") == []  # not wildcards
    assert [o.pk for o in NAMED("测试县委")] == [tree.county.pk, tree.department.pk]
