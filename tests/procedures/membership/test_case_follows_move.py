"""A case follows its person to another branch (细则 第十二条; members-and-transfers.md T8,
T10): from the day after the move it is the new branch's, for its scope, its roles and its
deadline rows; its dates and its acts stay as they were; a move within the branch, or of
a person whose case is closed, moves no case; a move refused moves none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from procedures.membership import selectors, services
from procedures.membership.models import Case, StepRecord
from procedures.people import history
from procedures.people.models import Organisation
from tests import factories
from workflows.audit import events_of, stream_of, verify_chain
from workflows.errors import NotFound, ProcedureError
from workflows.models import Deadline

from .walk import date_of, walk, world

pytestmark = pytest.mark.django_db


def _activist(w):
    case = walk(w, until="choose_candidate")
    assert case.status == "cultivating"
    return case


def test_an_activists_case_moves_with_him_and_keeps_its_dates_and_acts():
    w = world()
    case = _activist(w)
    other = w.tree.branches[1]
    records = list(StepRecord.objects.filter(case=case).values_list("pk", "step", "role"))
    dates = (case.applied_on, case.activist_on)
    on = date_of("choose_activist") + timedelta(days=40)

    history.membership_move(actor=None, person=w.applicant, to=other, on=on)

    case = Case.objects.get(pk=case.pk)
    assert case.branch == other
    assert (case.applied_on, case.activist_on) == dates  # no date reset (T8)
    assert list(StepRecord.objects.filter(case=case).values_list("pk", "step", "role")) == records
    # The new branch's secretary has it; the old one's no longer sees it.
    assert selectors.case_for(user=w.other_secretary, pk=case.pk) == case
    with pytest.raises(NotFound):
        selectors.case_for(user=w.secretary, pk=case.pk)
    [event] = [e for e in events_of(stream_of(case)) if e.action == "branch_moved"]
    assert event.act_date == on + timedelta(days=1)
    assert event.payload == {"from": w.branch.pk, "to": other.pk}
    rows = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk
    ).exclude(status=Deadline.Status.CLOSED)
    assert rows and {row.scope_path for row in rows} == {other.path}
    assert verify_chain(stream=stream_of(case)) == []


def test_a_move_to_a_party_group_of_his_own_branch_moves_no_case():
    w = world()
    case = _activist(w)
    on = date_of("choose_activist") + timedelta(days=40)
    history.membership_move(actor=None, person=w.applicant, to=w.group, on=on, why="regrouped")
    case = Case.objects.get(pk=case.pk)
    assert case.branch == w.branch
    assert not [e for e in events_of(stream_of(case)) if e.action == "branch_moved"]


def test_a_move_to_a_group_of_another_branch_gives_the_case_to_that_branch():
    w = world()
    case = _activist(w)
    other = w.tree.branches[1]
    group = factories.services.organisation_create(
        actor=None, name="邻村党小组", kind=Organisation.Kind.PARTY_GROUP, parent=other
    )
    on = date_of("choose_activist") + timedelta(days=40)
    history.membership_move(actor=None, person=w.applicant, to=group, on=on)
    assert Case.objects.get(pk=case.pk).branch == other


def test_a_closed_case_stays_where_it_was_closed():
    w = world()
    case = _activist(w)
    stopped_on = date_of("choose_activist") + timedelta(days=10)
    services.case_stop(case_id=case.pk, actor=None, stopped_on=stopped_on, reason="本人申请")
    history.membership_move(
        actor=None, person=w.applicant, to=w.tree.branches[1], on=stopped_on + timedelta(days=5)
    )
    assert Case.objects.get(pk=case.pk).branch == w.branch


def test_a_refused_move_moves_no_case():
    w = world()
    case = _activist(w)
    with pytest.raises(ProcedureError):
        history.membership_move(
            actor=None, person=w.applicant, to=w.tree.townships[0], on=date_of("talk")
        )
    case = Case.objects.get(pk=case.pk)
    assert case.branch == w.branch
    assert not [e for e in events_of(stream_of(case)) if e.action == "branch_moved"]
