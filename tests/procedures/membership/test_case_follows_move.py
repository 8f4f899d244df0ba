"""A case follows its person to another branch (细则 第十二条; members-and-transfers.md T8,
T10): from the day after the move it is the new branch's, for its scope, its roles and its
deadline rows; its dates and its acts stay as they were; a move within the branch, or of
a person whose case is closed, moves no case; a move refused moves none."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from fixtures import case_script
from procedures.membership import selectors, services, statistics
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


# The statistics of a branch's past do not follow the person (issue 32's D−1/D): each act
# counts where it was done.

D = date(2024, 10, 14)  # after the first one's approval, before the second one's admission
YEAR = (date(2024, 1, 1), date(2024, 12, 31))
COHORT = (date(2023, 1, 1), date(2023, 12, 31))


def _development_figures(orgs, day) -> dict:
    """What member development's statistics say of each organisation as of `day`: the
    year's new members and their structure, the 2023 applicants' funnel, the stages' time,
    the slowest branches and the plan's progress with its pipeline."""
    figures = {}
    for org in orgs:
        cases = statistics.cases_touching(org.path)
        structure = statistics.structure(cases, *YEAR, org.path)
        [progress] = statistics.progress(cases, [org], 2024, today=day)
        figures[org.pk] = {
            "structure": (structure.total, [s.count for s in structure.seed]),
            "funnel": [
                s.count for s in statistics.funnel(cases, *COHORT, as_of=day, within=org.path)
            ],
            "spans": [(s.count, s.median_days) for s in statistics.spans(cases, *YEAR, org.path)],
            "slowest": statistics.slowest_branches(cases, *YEAR, org.path),
            "progress": (progress.developed, progress.pipeline),
        }
    return figures


def test_a_move_on_day_d_leaves_each_branchs_development_figures_of_d_1_and_d():
    w = world()
    other = w.tree.branches[1]
    orgs = (w.branch, other, w.township)
    admitted = walk(w, until="notify_admission")  # a 预备党员, approved in 2024
    waiting = case_script.advance(
        services.case_open(
            actor=None, person=factories.person(w.branch), branch=w.branch,
            applied_on=date(2023, 6, 1),
        ),
        w.cast,
        until="assign_sponsors",
    )  # fmt: skip
    assert (admitted.admitted_on, waiting.candidate_on) == (date(2024, 7, 15), date(2024, 7, 23))
    before = {day: _development_figures(orgs, day) for day in (D - timedelta(days=1), D)}
    mine = before[D][w.branch.pk]
    assert mine["structure"][0] == 1 and mine["funnel"][:3] == [2, 2, 2]
    assert mine["progress"] == (1, 1)  # the 发展对象 may still be admitted this year
    assert [b.branch for b in mine["slowest"]] == [w.branch.name]
    assert before[D][other.pk]["structure"][0] == 0

    for person in (w.applicant, waiting.person):
        history.membership_move(actor=None, person=person, to=other, on=D)
    assert set(Case.objects.values_list("branch", flat=True)) == {other.pk}

    for day, figures in before.items():
        assert _development_figures(orgs, day) == figures, day
    # From the day after, the 发展对象 waits in the new branch; the admission stays the old
    # branch's act.
    after = _development_figures(orgs, D + timedelta(days=1))
    assert after[w.branch.pk]["progress"] == (1, 0)
    assert after[other.pk]["progress"] == (0, 1)
    assert after[w.township.pk]["progress"] == (1, 1)


def test_the_statistics_page_counts_a_new_member_in_the_branch_that_admitted_him():
    w = world()
    other = w.tree.branches[1]
    walk(w, until="notify_admission")
    history.membership_move(actor=None, person=w.applicant, to=other, on=D)
    client = Client()
    client.force_login(w.county)
    period = {"start": "2024-01-01", "end": "2024-12-31"}
    for org, total in ((w.branch, 1), (other, 0), (w.township, 1)):
        page = client.get(reverse("staff:statistics"), {**period, "organisation": org.pk})
        assert f"共发展党员{total}名" in page.content.decode(), org.name
    # The year's 台账 has him in both branches (his steps were taken in one, he ended the
    # year in the other), each time with the branch he ended the year in; not in 2025's
    # of the branch he left.
    for org, year, expected in ((w.branch, 2024, 1), (other, 2024, 1), (w.branch, 2025, 0)):
        ledger = client.get(
            reverse("staff:development_ledger"), {"year": year, "organisation": org.pk}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(ledger.content)).worksheets[0]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        assert [(row[0], row[3]) for row in rows] == [(w.applicant.name, other.name)] * expected


def test_a_move_after_the_probation_ran_out_waits_for_the_branchs_decision():
    """T10: the sending branch decides the 转正 of a probation that has ended before the
    member moves; a move within the branch (a party group) is no such move."""
    w = world()
    case = walk(w, until="apply_conversion")  # probation to 2025-07-15
    other = w.tree.branches[1]
    ends = Case.objects.get(pk=case.pk).probation_ends_on
    with pytest.raises(ProcedureError) as refused:
        history.membership_move(actor=None, person=w.applicant, to=other, on=ends)
    assert refused.value.code == "probation_ended" and w.branch.name in refused.value.message
    assert Case.objects.get(pk=case.pk).branch == w.branch
    # A party group of his own branch: the case stays where it is, nothing to decide first.
    history.membership_move(actor=None, person=w.applicant, to=w.group, on=ends, why="regrouped")
    assert Case.objects.get(pk=case.pk).branch == w.branch
