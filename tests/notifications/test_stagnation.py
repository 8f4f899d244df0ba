"""长期不发展党员预警 at its boundaries, and cleared by an admission."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from notifications import stagnation
from notifications.models import StagnationWarning
from procedures.membership import services

from ..procedures.membership.walk import walk, world

pytestmark = pytest.mark.django_db
Level = StagnationWarning.Level
APPROVED = date(2024, 8, 15)  # the walk's approval date


def _levels(branch) -> set[str]:
    return set(
        StagnationWarning.objects.filter(branch=branch, cleared_on__isnull=True).values_list(
            "level", flat=True
        )
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (APPROVED + relativedelta(years=2, days=-1), set()),
        (APPROVED + relativedelta(years=2), {Level.TOWNSHIP}),
        (APPROVED + relativedelta(years=3, days=-1), {Level.TOWNSHIP}),
        (APPROVED + relativedelta(years=3), {Level.TOWNSHIP, Level.COUNTY}),
    ],
)
def test_two_and_three_years_without_a_new_member(today, expected):
    w = world()
    walk(w, until="file_upper")  # admitted (approved) on 2024-08-15
    stagnation.sweep(today=today)
    assert _levels(w.branch) == expected
    stagnation.sweep(today=today)  # idempotent
    assert StagnationWarning.objects.filter(branch=w.branch).count() == len(expected)


def test_an_admission_clears_the_warning(django_capture_on_commit_callbacks):
    w = world()
    case = walk(w, until="approve")
    StagnationWarning.objects.create(branch=w.branch, level=Level.TOWNSHIP, raised_on=APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_approve(case_id=case.pk, actor=None, approved_on=APPROVED, present=3, yes=3)
    assert _levels(w.branch) == set()


def test_the_township_sees_its_warnings(client):
    w = world()
    walk(w, until="file_upper")
    stagnation.sweep(today=APPROVED + relativedelta(years=3))
    client.force_login(w.organiser)
    page = client.get(reverse("staff:notifications")).content.decode()
    assert "长期不发展党员预警" in page and "县委重点管理" in page
    client.force_login(w.secretary)  # a branch does not see its own warning
    assert "县委重点管理" not in client.get(reverse("staff:notifications")).content.decode()
    client.force_login(w.county)
    assert "县委重点管理" in client.get(reverse("staff:notifications")).content.decode()


def test_branches_without_history_are_counted_from_their_entry_in_jiceng():
    w = world()  # branches entered today, no admissions on record
    stagnation.sweep(today=date.today())
    assert not StagnationWarning.objects.exists()
    stagnation.sweep(today=date.today() + relativedelta(years=2))
    assert _levels(w.tree.branches[1]) == {Level.TOWNSHIP}


def test_an_approval_that_did_not_pass_leaves_the_warning(django_capture_on_commit_callbacks):
    """The event says whether the step admitted a member: a 审批 recorded as not passed did
    not, and the branch stays 长期不发展."""
    w = world()
    case = walk(w, until="approve")
    StagnationWarning.objects.create(branch=w.branch, level=Level.TOWNSHIP, raised_on=APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_approve(
            case_id=case.pk, actor=None, approved_on=APPROVED, present=3, yes=1,
            record_failure=True,
        )  # fmt: skip
    assert _levels(w.branch) == {Level.TOWNSHIP}
