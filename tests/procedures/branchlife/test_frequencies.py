"""Frequencies as deadline rows (a quarter with no 党员大会, a month with no 支委会 or 主题党日,
a year with no 组织生活会 or 民主评议), the ledger's completion, and the village matters'
meetings counted once in the ledger they also serve."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from procedures.branchlife import deadlines, ledger, services
from procedures.branchlife.models import BranchLife
from procedures.branchlife.periods import period_of
from procedures.branchlife.rulebooks import BRANCH_2018
from procedures.branchlife.steps import Kind
from procedures.people import scopes
from workflows import deadlines as rows
from workflows.models import RuleSetting
from workflows.rules import clear_cache

from ..membership.walk import world
from ..village.world import D, advance, register, village_world

pytestmark = pytest.mark.django_db


def _keys(branch, today) -> dict[str, date]:
    deadlines.sync_branch(branch, today=today)
    life = BranchLife.objects.get(branch=branch)
    return {row.key: timezone.localtime(row.due_at).date() for row in rows.open_for(life)}


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 12, 31), date(2026, 10, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 1), date(2027, 3, 31)),
        (date(2026, 3, 31), date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 4, 1), date(2026, 6, 30)),
    ],
)
def test_a_quarter_runs_from_its_first_to_its_last_day(day, start, end):
    period = period_of(day, 3)
    assert (period.start, period.end) == (start, end)


def test_the_quarter_s_general_meeting_is_due_on_its_last_day_then_overdue():
    w = world()
    last_day = _keys(w.branch, date(2026, 12, 31))
    assert last_day["frequency:general_meeting:202610"] == date(2026, 12, 31)
    assert "frequency:general_meeting:202701" not in last_day
    first_after = _keys(w.branch, date(2027, 1, 1))
    # The quarter that ended without one stays open, overdue, beside the new quarter's row.
    assert first_after["frequency:general_meeting:202610"] == date(2026, 12, 31)
    assert first_after["frequency:general_meeting:202701"] == date(2027, 3, 31)
    a_quarter_on = _keys(w.branch, date(2027, 4, 1))
    assert "frequency:general_meeting:202610" not in a_quarter_on  # closed: kept as missed
    assert "frequency:general_meeting:202701" in a_quarter_on


def test_months_and_years_have_their_own_rows():
    w = world()
    keys = _keys(w.branch, date(2026, 12, 1))
    assert keys["frequency:committee_meeting:202612"] == date(2026, 12, 31)
    assert keys["frequency:theme_day:202612"] == date(2026, 12, 31)
    assert keys["frequency:life_meeting:202601"] == date(2026, 12, 31)
    assert keys["frequency:appraisal:202601"] == date(2026, 12, 31)
    # A group with nobody in it holds no meetings: no row for it.
    assert not any(key.startswith("frequency:group_meeting") for key in keys)


def test_a_meeting_held_in_the_period_closes_its_row():
    w = world()
    services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind=Kind.GENERAL_MEETING,
        minutes=services.Minutes(
            held_on=date(2026, 11, 5),
            topic="季度党员大会",
            summary="通报本季度工作。",
            place="村部",
            chair_id=w.members[0].pk,
            present_ids=[m.pk for m in w.members[:5]],
        ),
    )
    keys = _keys(w.branch, date(2026, 12, 1))
    assert "frequency:general_meeting:202610" not in keys
    assert "frequency:general_meeting:202607" in keys  # the quarter before had none


def test_a_county_s_frequency_moves_the_rows_and_switching_it_off_removes_them():
    w = world()
    RuleSetting.objects.create(
        rulebook=BRANCH_2018, rule_id="general_meeting_frequency", params={"months": 6}
    )
    clear_cache()
    keys = _keys(w.branch, date(2026, 12, 1))
    assert keys["frequency:general_meeting:202607"] == date(2026, 12, 31)
    RuleSetting.objects.filter(rule_id="general_meeting_frequency").update(enabled=False)
    clear_cache()
    keys = _keys(w.branch, date(2026, 12, 1))
    assert not any(key.startswith("frequency:general_meeting") for key in keys)


def test_a_village_matter_s_meetings_count_in_the_ledger_once(django_capture_on_commit_callbacks):
    """The 党员大会 that deliberated a village matter is that quarter's 党员大会, and the branch
    committee's 提议 its month's 支委会: the ledger reads the matter's meetings themselves,
    and the rows close as soon as the matter's step commits."""
    w = village_world()
    branch = scopes.branch_of(w.village)
    deliberated = D["deliberate"]
    deadlines.sync_branch(branch, today=deliberated)
    with django_capture_on_commit_callbacks(execute=True):
        matter = advance(w, register(w), until="resolve")
    year = deliberated.year
    lines = ledger.lines(branch, date(year, 1, 1), date(year, 12, 31))
    general = [line for line in lines if line.kind == Kind.GENERAL_MEETING]
    committee = [line for line in lines if line.kind == Kind.COMMITTEE_MEETING]
    assert [line.record.matter_id for line in general] == [matter.pk]
    assert general[0].source == f"村级事务“{matter.title}”的审议（党员大会）"  # the kind once
    assert committee[0].source == f"村级事务“{matter.title}”的提议（村党支部会议）"
    assert [line.day for line in committee] == [D["propose"]]
    done = {row.kind: row for row in ledger.completion(branch, year, today=deliberated)}
    assert done[Kind.GENERAL_MEETING].held == 1
    life = BranchLife.objects.get(branch=branch)
    quarter = period_of(deliberated, 3).key
    open_keys = {row.key for row in rows.open_for(life)}
    assert f"frequency:general_meeting:{quarter}" not in open_keys


def test_the_year_s_completion_counts_periods_ended_and_met():
    w = world()
    for held_on in (date(2026, 2, 10), date(2026, 8, 10)):
        services.meeting_hold(
            actor=None,
            branch=w.branch,
            kind=Kind.GENERAL_MEETING,
            minutes=services.Minutes(
                held_on=held_on,
                topic="党员大会",
                summary="议事。",
                place="村部",
                chair_id=w.members[0].pk,
                present_ids=[m.pk for m in w.members[:6]],
            ),
        )
    done = {row.kind: row for row in ledger.completion(w.branch, 2026, today=date(2026, 12, 1))}
    general = done[Kind.GENERAL_MEETING]
    # Q1 met, Q2 missed, Q3 met; Q4 not yet ended and not met: not yet due.
    assert (general.held, general.due, general.met) == (2, 3, 2)
    assert general.missing == ("第2季度",)


@pytest.mark.parametrize(
    ("today", "due", "also_open"),
    [
        (date(2026, 11, 30), date(2026, 11, 30), None),
        (date(2026, 12, 1), date(2026, 12, 31), "frequency:committee_meeting:202611"),
    ],
)
def test_the_month_s_committee_meeting_is_due_on_its_last_day(today, due, also_open):
    w = world()
    keys = _keys(w.branch, today)
    assert keys[f"frequency:committee_meeting:{today:%Y%m}"] == due
    if also_open:
        assert keys[also_open] == date(2026, 11, 30)  # the month before, now overdue


def test_the_year_s_life_meeting_row_runs_to_the_last_day_of_the_year():
    w = world()
    assert _keys(w.branch, date(2026, 12, 31))["frequency:life_meeting:202601"] == date(
        2026, 12, 31
    )
    next_year = _keys(w.branch, date(2027, 1, 1))
    assert next_year["frequency:life_meeting:202601"] == date(2026, 12, 31)  # overdue
    assert next_year["frequency:life_meeting:202701"] == date(2027, 12, 31)


def test_the_secretary_s_lecture_of_the_year_closes_its_row():
    w = world()
    assert "secretary_lecture:2026" in _keys(w.branch, date(2026, 12, 1))
    lecture = services.Minutes(
        held_on=date(2026, 11, 20),
        topic="党课",
        summary="讲授党的理论。",
        place="村部",
        chair_id=w.members[1].pk,  # the deputy's lecture does not count for the secretary's
        present_ids=[m.pk for m in w.members[:6]],
    )
    services.meeting_hold(actor=None, branch=w.branch, kind=Kind.PARTY_LECTURE, minutes=lecture)
    assert "secretary_lecture:2026" in _keys(w.branch, date(2026, 12, 1))
    lecture.chair_id = w.members[0].pk
    services.meeting_hold(actor=None, branch=w.branch, kind=Kind.PARTY_LECTURE, minutes=lecture)
    assert "secretary_lecture:2026" not in _keys(w.branch, date(2026, 12, 1))


def test_a_theme_day_carrying_a_matter_s_deliberation_is_also_the_quarter_s_general_meeting():
    from procedures.village.models import Matter

    w = world()
    matter = Matter.objects.create(village=w.branch.village, title="村道硬化", category="general")

    def theme_day(present):
        return services.meeting_hold(
            actor=None,
            branch=w.branch,
            kind=Kind.THEME_DAY,
            minutes=services.Minutes(
                held_on=date(2026, 11, 12), topic="主题党日：民主议事", summary="议村道硬化。",
                place="村部", chair_id=w.members[0].pk, present_ids=[m.pk for m in present],
                matter_id=matter.pk,
            ),
        )  # fmt: skip

    from workflows.errors import ProcedureError

    with pytest.raises(ProcedureError) as short:
        theme_day(w.members[:4])  # 4 of 9 voters: no 党员大会
    assert short.value.code == "general_meeting_quorum"
    day = theme_day(w.members[:5])
    kinds = {
        line.kind: line
        for line in ledger.lines(w.branch, date(2026, 10, 1), date(2026, 12, 31))
        if line.record == day
    }
    assert set(kinds) == {Kind.THEME_DAY, Kind.GENERAL_MEETING}
    assert "计入党员大会" in kinds[Kind.GENERAL_MEETING].source
    assert "frequency:general_meeting:202610" not in _keys(w.branch, date(2026, 12, 1))


def test_each_group_with_members_keeps_its_own_monthly_row():
    from tests import factories

    w = world()
    factories.regroup(w.members[5:8], w.group)
    factories.hold(w.members[5], w.group, "group_leader")
    key = f"frequency:group_meeting:{w.group.pk}:202611"
    assert _keys(w.branch, date(2026, 11, 30))[key] == date(2026, 11, 30)
    services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind=Kind.GROUP_MEETING,
        minutes=services.Minutes(
            held_on=date(2026, 11, 20), topic="党小组学习", summary="学习。", place="组长家",
            chair_id=w.members[5].pk, present_ids=[m.pk for m in w.members[5:8]],
            group_id=w.group.pk,
        ),
    )  # fmt: skip
    assert key not in _keys(w.branch, date(2026, 11, 30))
    december = _keys(w.branch, date(2026, 12, 1))
    assert december[f"frequency:group_meeting:{w.group.pk}:202612"] == date(2026, 12, 31)
