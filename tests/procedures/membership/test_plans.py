"""年度发展党员计划: the county gives a township its quota, the township splits it among its
branches (never beyond it: n-1, n, n+1), adjustments are new versions with a reason and an
audit event, and progress counts the year's new members against the plan (12-31 vs 01-01)."""

from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from fixtures import case_script
from procedures.membership import services, statistics
from procedures.membership.models import Case, DevelopmentPlan
from procedures.membership.steps import Variant
from tests import factories
from workflows.audit import stream_of, verify_chain
from workflows.models import AuditEvent

from .walk import APPLIED_ON, date_of, refusal, world

pytestmark = pytest.mark.django_db
YEAR = date.today().year


def _set(actor, organisation, quota, **more):
    return services.plan_set(
        actor=actor, organisation_id=organisation.pk, year=more.pop("year", YEAR), quota=quota,
        **more,
    )  # fmt: skip


def test_the_county_sets_a_township_and_the_township_splits_to_its_branches():
    w = world()
    plan = _set(w.county, w.township, 5, women=30, youth=60, frontline="70")
    assert (plan.version, plan.quota, plan.women, plan.frontline) == (1, 5, 30, 70)
    first, second = w.tree.branches[0], w.tree.branches[1]
    assert _set(w.organiser, first, 3).quota == 3
    assert _set(w.organiser, second, 2).quota == 2  # n: the whole quota split
    # The township splits; the county does not set a branch's, nor a branch its own.
    assert refusal(lambda: _set(w.county, first, 1)).code == "plan_forbidden"
    assert refusal(lambda: _set(w.secretary, first, 1)).code == "plan_forbidden"
    assert refusal(lambda: _set(w.organiser, w.township, 9)).code == "plan_forbidden"
    # Another township's branch is outside the organiser's scope: not found, nothing said.
    other = w.tree.branches[2]
    error = refusal(lambda: _set(w.organiser, other, 1))
    assert error.code == "organisation_not_found" and other.name not in error.message
    event = AuditEvent.objects.filter(stream=stream_of(w.township)).last()
    assert event.action == "development_plan_set" and event.payload["quota"] == 5
    assert verify_chain(stream=stream_of(w.township)) == []


@pytest.mark.parametrize(("share", "allowed"), [(2, True), (3, True), (4, False)])
def test_the_branches_shares_never_exceed_the_township_s_quota(share, allowed):
    w = world()
    _set(w.county, w.township, 5)
    _set(w.organiser, w.tree.branches[0], 2)
    call = lambda: _set(w.organiser, w.tree.branches[1], share)
    if allowed:
        assert call().quota == share
    else:
        error = refusal(call)
        assert error.code == "plan_over" and "最多可分3名" in error.message
        assert DevelopmentPlan.objects.filter(organisation=w.tree.branches[1]).count() == 0


def test_a_branch_cannot_be_given_a_share_before_its_township_has_a_plan():
    w = world()
    error = refusal(lambda: _set(w.organiser, w.branch, 1))
    assert error.code == "plan_no_upper" and f"{YEAR}年的计划尚未下达" in error.message


@pytest.mark.parametrize(("quota", "allowed"), [(4, False), (5, True), (6, True)])
def test_a_township_s_quota_is_not_lowered_below_what_it_has_split(quota, allowed):
    w = world()
    _set(w.county, w.township, 8)
    _set(w.organiser, w.tree.branches[0], 3)
    _set(w.organiser, w.tree.branches[1], 2)
    call = lambda: _set(w.county, w.township, quota, reason="年中调整")
    if allowed:
        assert call().version == 2
    else:
        assert refusal(call).code == "plan_under"


def test_an_adjustment_is_a_new_version_with_its_reason_and_the_old_one_stays():
    w = world()
    _set(w.county, w.township, 5, women=30)
    assert refusal(lambda: _set(w.county, w.township, 6)).code == "reason_required"
    assert refusal(lambda: _set(w.county, w.township, 5, women=30, reason="x")).code == (
        "plan_same"
    )
    second = _set(w.county, w.township, 6, women=30, reason="半年后调增")
    assert second.version == 2
    versions = DevelopmentPlan.objects.filter(organisation=w.township, year=YEAR)
    assert sorted(versions.values_list("version", "quota")) == [(1, 5), (2, 6)]
    assert statistics.current_plans([w.township.pk], YEAR)[w.township.pk].quota == 6
    event = AuditEvent.objects.filter(stream=stream_of(w.township)).last()
    assert (event.payload["previous"], event.payload["reason"]) == (5, "半年后调增")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("quota", "-1", "plan_invalid"),
        ("quota", "2.5", "plan_invalid"),
        ("quota", "", "plan_invalid"),
        ("quota", "100001", "plan_invalid"),
        ("women", "101", "plan_invalid"),
        ("youth", "abc", "plan_invalid"),
        ("year", YEAR - 2, "plan_year"),
        ("year", YEAR + 2, "plan_year"),
        ("reason", "理" * 301, "plan_reason_long"),
    ],
)
def test_bad_figures_are_refused_in_chinese_and_nothing_is_written(field, value, code):
    w = world()
    values = {"quota": 5, field: value}
    error = refusal(lambda: _set(w.county, w.township, **values))
    assert error.code == code and error.message
    assert not DevelopmentPlan.objects.exists()


@pytest.mark.parametrize("year", [YEAR - 1, YEAR + 1])
def test_last_year_s_and_next_year_s_plans_may_be_set(year):
    w = world()
    assert _set(w.county, w.township, 5, year=year).year == year


def _developed(w, admitted: date, branch=None) -> Case:
    applied_on = admitted - (case_script.dates(APPLIED_ON)["branch_admit"] - APPLIED_ON)
    branch = branch or w.branch
    case = services.case_open(
        actor=None, person=factories.person(branch), branch=branch, applied_on=applied_on
    )
    return case_script.advance(case, w.cast, until="notify_admission")


def test_progress_counts_the_plan_year_s_new_members_new_year_s_eve_in_new_year_s_day_out(
    monkeypatch,
):
    w = world()
    year = date_of("branch_admit").year
    with monkeypatch.context() as m:  # the plans were set in January of that year
        m.setattr(timezone, "localdate", lambda *a, **k: date(year, 1, 10))
        _set(w.county, w.township, 4, year=year)
        _set(w.organiser, w.branch, 2, year=year)
    eve = _developed(w, date(year, 12, 31))
    _developed(w, date(year + 1, 1, 1))
    assert eve.admitted_on == date(year, 12, 31)
    rows = statistics.progress(
        Case.objects.all(), [w.township, w.branch], year, today=date(year + 1, 6, 1)
    )
    township, branch = rows
    assert (township.quota, township.developed, township.percent) == (4, 1, 25)
    assert (branch.quota, branch.developed, str(branch.percent)) == (2, 1, "50.0")
    assert township.pipeline is None  # the year is over: nobody more can be admitted in it


def test_the_pipeline_is_the_candidates_the_projection_lets_the_branch_admit_this_year():
    w = world(variant=Variant.LOCAL)  # its 拟接收 notice runs five working days
    candidate_day = date_of("choose_candidate")
    case = services.case_open(
        actor=None, person=w.applicant, branch=w.branch, applied_on=APPLIED_ON
    )
    case_script.advance(case, w.cast, until="file_candidate")  # a 发展对象, just chosen
    waiting = Case.objects.filter(Q(pk=case.pk))
    # Admission waits at least for the notice's five working days: by the end of the year
    # when chosen in spring; not when the year has two days left.
    spring = statistics.pipeline_by_branch(waiting, candidate_day.year, today=candidate_day)
    assert spring == {w.branch.path: 1}
    late = date(candidate_day.year, 12, 30)
    assert statistics.pipeline_by_branch(waiting, late.year, today=late) == {}
    assert statistics.pipeline_by_branch(waiting, late.year, today=late + timedelta(days=3)) is None


def test_candidates_sharing_a_projection_are_counted_together_as_one_by_one(monkeypatch):
    """The projection lets the 支部大会 meet five working days after the 拟接收 notice it runs
    from the day before: from 12-20 that is within the year, from 12-28 (New Year's Day a
    holiday) it is not. Grouped by status, the count is what projecting every case gives."""
    w = world(variant=Variant.LOCAL)
    for until in ("assign_sponsors", "publish_admission", "fill_form", "fill_form"):
        case = services.case_open(
            actor=None, person=factories.person(w.branch), branch=w.branch, applied_on=APPLIED_ON
        )
        case_script.advance(case, w.cast, until=until)
    cases = Case.objects.all()
    for day, expected in ((date(YEAR, 12, 20), {w.branch.path: 4}), (date(YEAR, 12, 28), {})):
        with monkeypatch.context() as m:
            m.setattr(timezone, "localdate", lambda *a, day=day, **k: day)
            grouped = statistics.pipeline_by_branch(cases, YEAR, today=day)
            m.setattr(statistics.plans, "_reads_the_case", lambda *a: True)
            assert grouped == statistics.pipeline_by_branch(cases, YEAR, today=day) == expected


def test_a_reason_of_three_hundred_characters_is_kept_whole():
    w = world()
    _set(w.county, w.township, 5)
    assert _set(w.county, w.township, 6, reason="理" * 300).reason == "理" * 300
