"""The migration from the single `Person.organisation` to dated memberships: each person's
membership starts at his earliest recorded act, or since before the records when he has
none, never on the day of the migration; a 留党察看's end becomes its discipline record."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("people", "0006_statistics_vocabularies")]
AFTER = [("people", "0007_person_history")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # the audit table as it is now (its newest migration), to write the old acts into
    targets = [*targets, *executor.loader.graph.leaf_nodes("workflows")]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_memberships_start_at_the_earliest_recorded_act_else_before_the_records():
    old = _migrate(BEFORE)
    Organisation = old.get_model("people", "Organisation")
    Person = old.get_model("people", "Person")
    Position = old.get_model("people", "Position")
    AuditEvent = old.get_model("workflows", "AuditEvent")
    county = Organisation.objects.create(name="县委", kind="county_committee", path="/1/")
    branch = Organisation.objects.create(name="村党支部", kind="village_branch", parent=county)

    def person(number, **extra):
        return Person.objects.create(
            name=f"人{number}",
            gender="male",
            birth_date=date(1980, 1, 1),
            id_number=f"52990219800101{number:03d}X",
            education="junior",
            occupation="farmer",
            organisation=branch,
            **extra,
        )

    nobody = person(1)  # registered only: no act of his
    member = person(2, standing="full", full_member_since=date(2015, 7, 1))
    cadre = person(3, standing="full", full_member_since=date(2012, 7, 1))
    Position.objects.create(
        person=cadre, organisation=branch, title="secretary", start_date=date(2010, 3, 1)
    )
    lapsed = person(4, standing="full", disciplined_until=date(2027, 5, 1))
    for index, (who, action, day) in enumerate(
        [
            (nobody, "person_registered", date(2026, 12, 1)),
            (member, "person_registered", date(2026, 12, 1)),
            (member, "dues_lapse_decided", date(2014, 1, 5)),
        ]
    ):
        AuditEvent.objects.create(
            stream=f"people.person:{who.pk}",
            sequence=index + 1,
            action=action,
            act_date=day,
            recorded_at="2026-12-01T00:00:00Z",
            prev_hash="",
            hash=f"h{index}",
        )

    new = _migrate(AFTER)
    Membership = new.get_model("people", "Membership")
    Discipline = new.get_model("people", "Discipline")
    starts = {
        row.person_id: (row.starts_on, row.started_why, row.ends_on)
        for row in Membership.objects.all()
    }
    assert starts[nobody.pk] == (None, "before_records", None)
    assert starts[member.pk] == (date(2014, 1, 5), "registered", None)
    assert starts[cadre.pk] == (date(2010, 3, 1), "registered", None)
    assert starts[lapsed.pk] == (None, "before_records", None)
    [probation] = Discipline.objects.all()
    assert (probation.person_id, probation.kind, probation.decided_on, probation.ends_on) == (
        lapsed.pk,
        "probation",
        None,
        date(2027, 5, 1),
    )

    # And back: the 留党察看's end returns to the person.
    back = _migrate(BEFORE)
    assert back.get_model("people", "Person").objects.get(pk=lapsed.pk).disciplined_until == (
        date(2027, 5, 1)
    )
    _migrate_to_latest()


def _migrate_to_latest() -> None:
    """Every app back at its newest migration (going back also unapplied the migrations
    that depend on people's), for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
