"""The shared fact "a branch meeting held": kept in step with its record, idempotent, and
announced after commit to what follows it."""

from __future__ import annotations

import pytest

from procedures.branchlife import facts as branch_facts
from procedures.branchlife.models import BranchMeeting
from procedures.branchlife.steps import Kind
from procedures.people.facts import meetings_held_changed, meetings_held_sync
from procedures.people.models import MeetingHeld

from ..branchlife.test_meetings import hold
from ..membership.walk import world

pytestmark = pytest.mark.django_db


def test_a_record_synchronised_twice_keeps_one_fact_per_kind(django_capture_on_commit_callbacks):
    w = world()
    heard = []

    def listen(sender, *, branch_ids, **kwargs):
        heard.append((sender, branch_ids))

    meetings_held_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            meeting = hold(w, Kind.PARTY_LECTURE, w.members[:6])
        [fact] = MeetingHeld.objects.all()
        assert (fact.kind, fact.held_on, fact.page, fact.record) == (
            Kind.PARTY_LECTURE,
            meeting.held_on,
            meeting,
            meeting,
        )
        with django_capture_on_commit_callbacks(execute=True):
            again = meetings_held_sync(meeting, branch_facts.held(meeting))
        assert [row.pk for row in again] == [fact.pk]
        assert heard == [(BranchMeeting, [w.branch.pk])] * 2
        # nothing held: nothing counts
        with django_capture_on_commit_callbacks(execute=True):
            meetings_held_sync(meeting, [])
        assert not MeetingHeld.objects.exists()
    finally:
        meetings_held_changed.disconnect(listen)
