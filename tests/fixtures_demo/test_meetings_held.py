"""The shared fact "a branch meeting held" on the demo county: what each procedure's
services wrote through the pipeline is what the migrations make of the same records (so an
existing county's ledger reads the same after the upgrade), and the ledger's lines are
those facts, from every procedure, each linking its page."""

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
    "procedures.branchlife.migrations.0006_meetings_held",
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
    written = _facts()
    sources = {row[8] for row in written}
    assert sources == {"branchmeeting", "mattermeeting", "meeting"}, sources
    assert any(row[2] == "general_meeting" and row[8] == "branchmeeting" for row in written)
    migrations = [importlib.import_module(name) for name in BACKFILLS]
    for migration in migrations:  # backwards: each forgets its own facts
        migration.forget(apps, None)
    assert not MeetingHeld.objects.exists()
    for migration in migrations:  # forwards, from the records as they stand
        migration.backfill(apps, None)
    assert _facts() == written


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
