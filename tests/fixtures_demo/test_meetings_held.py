"""The shared fact "a branch meeting held" on the demo county: what the village's and member
development's services wrote through the pipeline is what their migrations make of the same
records (so an existing county's ledger reads the same after the upgrade; the branch's own
backfill reads a column a later migration moved, and is tried with the records' schema in
tests/procedures/branchlife/test_carried_migration.py), and the ledger's lines are those
facts, from every procedure, each linking its page."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from procedures.branchlife import ledger
from procedures.branchlife.models import BranchMeeting
from procedures.membership.models import Case
from procedures.people.models import MeetingHeld, Organisation
from procedures.village.models import Matter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]

BACKFILLS = [
    "procedures.village.migrations.0005_meetings_held",
    "procedures.membership.migrations.0008_meetings_held",
]


def _facts() -> set[tuple]:
    return set(
        MeetingHeld.objects.values_list(
            "branch_id",
            "group_id",
            "kind",
            "held_on",
            "topic",
            "should_attend",
            "attended",
            "source",
            "record_type__model",
            "record_id",
            "page_type__model",
            "page_id",
        )
    )


def test_the_migrations_make_of_the_records_the_facts_the_services_wrote():
    everything = _facts()
    sources = {row[8] for row in everything}
    assert sources == {"branchmeeting", "mattermeeting", "meeting"}, sources
    own = {row for row in everything if row[8] == "branchmeeting"}
    migrations = [importlib.import_module(name) for name in BACKFILLS]
    for migration in migrations:  # backwards: each forgets its own facts
        migration.forget(apps, None)
    assert _facts() == own
    for migration in migrations:  # forwards, from the records as they stand
        migration.backfill(apps, None)
    assert _facts() == everything


def test_the_ledger_reads_every_procedures_meetings_from_the_facts():
    # the branch whose facts come from the most procedures
    kinds: dict[int, set[str]] = {}
    for branch_id, model in MeetingHeld.objects.values_list("branch_id", "record_type__model"):
        kinds.setdefault(branch_id, set()).add(model)
    branch = Organisation.objects.get(pk=max(kinds, key=lambda pk: (len(kinds[pk]), -pk)))
    assert len(kinds[branch.pk]) == 3
    facts = MeetingHeld.objects.filter(branch=branch)
    first, last = facts.order_by("held_on").first(), facts.order_by("held_on").last()
    lines = ledger.lines(branch, first.held_on, last.held_on)
    assert len(lines) == facts.count()
    pages = {type(line.page) for line in lines}
    assert pages <= {BranchMeeting, Matter, Case}
    for line in lines:
        assert line.record is not None and line.page is not None
        if isinstance(line.page, Matter):
            assert line.source.startswith(f"村级事务“{line.page.title}”")
        if isinstance(line.page, Case):
            assert line.source == "发展党员的支部大会" and line.page.person.name in line.topic
