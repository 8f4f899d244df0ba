"""The migrations of the branch's records on a database with a 主题党日 that carried a village
matter: 0006 writes its two meeting-held facts, 0007 keeps the matter it carried as the
generic `carried` relation, and both go back and forth without losing it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from procedures.branchlife import services
from procedures.branchlife.models import BranchMeeting
from procedures.branchlife.steps import Kind
from procedures.people.models import MeetingHeld
from procedures.village.models import Matter

from ..membership.walk import world

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_FACTS = [("branchlife", "0005_meeting_corrections")]
BEFORE_CARRIED = [("branchlife", "0006_meetings_held")]
NOW = [("branchlife", "0007_carried_business")]


def _latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_a_carried_matter_survives_the_migrations_and_its_facts_are_made_again():
    w = world()
    matter = Matter.objects.create(village=w.branch.village, title="村道硬化", category="general")
    day = services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind=Kind.THEME_DAY,
        minutes=services.Minutes(
            held_on=date(2026, 11, 12), topic="主题党日：民主议事", summary="议村道硬化。",
            place="村部", chair_id=w.members[0].pk, present_ids=[m.pk for m in w.members[:6]],
            matter_id=matter.pk,
        ),
    )  # fmt: skip
    assert (day.carried, day.carried_id) == (matter, matter.pk)
    fields = ("kind", "held_on", "topic", "should_attend", "attended", "source", "record_id")
    written = sorted(MeetingHeld.objects.values_list(*fields))
    assert [row[0] for row in written] == [Kind.GENERAL_MEETING, Kind.THEME_DAY]
    assert "村级事务“村道硬化”" in written[0][5]

    old = _migrate(BEFORE_CARRIED)  # back: the foreign key again
    assert old.get_model("branchlife", "BranchMeeting").objects.get(pk=day.pk).matter_id == (
        matter.pk
    )
    _migrate(BEFORE_FACTS)  # back: no facts of the branch's own records
    assert not MeetingHeld.objects.filter(record_type__app_label="branchlife").exists()
    _migrate(NOW)  # forwards: the facts from the records, the matter carried
    _migrate(_latest())  # and every app at its newest, for the tests that follow
    assert sorted(MeetingHeld.objects.values_list(*fields)) == written
    assert BranchMeeting.objects.get(pk=day.pk).carried == matter
