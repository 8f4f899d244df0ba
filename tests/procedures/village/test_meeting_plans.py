"""A villagers' meeting planned ahead and announced 10 days before it (村民委员会组织法
第二十一条): the plan opens a deadline row for the notice, the notice closes it, and the
decision reads the announcement from the plan."""

from datetime import date, timedelta

import pytest

from procedures.village import services
from procedures.village.models import VillagersMeetingPlan
from procedures.village.steps import Status
from tests.factories import refusal
from workflows import deadlines
from workflows.audit import events_of, stream_of
from workflows.errors import Conflict

from .world import D, advance, meeting, register, village_world

pytestmark = pytest.mark.django_db
TODAY = D["deliberate"]  # the matter was deliberated on 2026-03-10


def _deliberated():
    w = village_world()
    return w, advance(w, register(w), until="resolve")


def _plan(matter, planned_on, today=TODAY):
    return services.matter_plan_villagers_meeting(
        matter_id=matter.pk, actor=None, planned_on=planned_on, place="村文化广场", today=today
    )


def _notice_row(matter):
    return next(
        (row for row in deadlines.open_for(matter) if row.key == "villagers_meeting_notice"), None
    )


@pytest.mark.parametrize(
    ("days_ahead", "ok"),
    [(9, False), (10, True), (11, True)],  # n-1, n, n+1 days
)
def test_a_meeting_is_planned_at_least_ten_days_ahead(days_ahead, ok):
    _w, matter = _deliberated()
    call = lambda: _plan(matter, TODAY + timedelta(days=days_ahead))
    if ok:
        plan = call()
        assert plan.announced_on is None
        row = _notice_row(matter)
        assert row.citation.endswith("第二十一条") and row.audience == "branch"
    else:
        error = refusal(call)
        assert error.code == "notice_too_short" and error.citation.article == "第二十一条"
        assert not VillagersMeetingPlan.objects.exists()
        assert _notice_row(matter) is None


def test_the_notice_deadline_is_ten_days_before_the_meeting():
    _w, matter = _deliberated()
    _plan(matter, date(2026, 3, 30))
    row = _notice_row(matter)
    assert row.due_at.date() == date(2026, 3, 20)
    assert "2026-03-30" in row.title


@pytest.mark.parametrize(
    ("announced_on", "ok"),
    [(date(2026, 3, 21), False), (date(2026, 3, 20), True), (date(2026, 3, 19), True)],
)
def test_the_announcement_must_come_ten_days_before_the_meeting(announced_on, ok):
    _w, matter = _deliberated()
    _plan(matter, date(2026, 3, 30), today=date(2026, 3, 12))
    call = lambda: services.matter_announce_villagers_meeting(
        matter_id=matter.pk, actor=None, announced_on=announced_on, how="广播、微信群"
    )
    if ok:
        call()
        assert _notice_row(matter) is None  # the notice given closes its deadline
        actions = [event.action for event in events_of(stream_of(matter))]
        assert actions[-2:] == ["plan_villagers_meeting", "announce_villagers_meeting"]
    else:
        assert refusal(call).code == "announced_late"
        plan = VillagersMeetingPlan.objects.get()
        assert plan.announced_on is None and _notice_row(matter) is not None


def test_announcing_needs_a_plan_and_a_way_and_happens_once():
    _w, matter = _deliberated()
    announce = lambda how="广播": services.matter_announce_villagers_meeting(
        matter_id=matter.pk, actor=None, announced_on=date(2026, 3, 12), how=how
    )
    with pytest.raises(Conflict):
        announce()
    _plan(matter, date(2026, 3, 30))
    assert refusal(lambda: announce("  ")).code == "how_required"
    announce()
    with pytest.raises(Conflict):
        announce()


def test_a_new_date_needs_a_new_notice():
    _w, matter = _deliberated()
    _plan(matter, date(2026, 3, 30))
    services.matter_announce_villagers_meeting(
        matter_id=matter.pk, actor=None, announced_on=date(2026, 3, 12), how="广播"
    )
    _plan(matter, date(2026, 4, 10), today=date(2026, 3, 25))
    plan = VillagersMeetingPlan.objects.get()
    assert plan.announced_on is None
    assert _notice_row(matter).due_at.date() == date(2026, 3, 31)


def test_the_decision_reads_the_announcement_and_closes_the_plan_deadline():
    w, matter = _deliberated()
    _plan(matter, D["resolve"], today=date(2026, 3, 5))
    services.matter_announce_villagers_meeting(
        matter_id=matter.pk, actor=None, announced_on=date(2026, 3, 10), how="广播"
    )
    services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["resolve"], villagers_meeting=True, present=20, yes=15, no=5),
    )
    matter.refresh_from_db()
    assert matter.status == Status.RESOLVED
    assert matter.meetings.get(step="resolve").data["announced_on"] == "2026-03-10"


def test_a_plan_left_unannounced_is_refused_at_the_decision_and_its_row_closes_with_the_matter():
    w, matter = _deliberated()
    _plan(matter, D["resolve"], today=date(2026, 3, 5))
    error = refusal(
        lambda: services.matter_resolve(
            matter_id=matter.pk,
            actor=None,
            meeting=meeting(w, D["resolve"], villagers_meeting=True, present=20, yes=15, no=5),
        )
    )
    assert error.citation.article == "第二十一条"
    services.matter_withdraw(matter_id=matter.pk, actor=None, reason="改由下次会议讨论")
    assert _notice_row(matter) is None


def test_a_meeting_cannot_be_planned_before_the_proposal_or_after_the_decision():
    w = village_world()
    matter = register(w)
    with pytest.raises(Conflict):
        _plan(matter, date(2026, 4, 30))
    matter = advance(w, matter, until="publish_resolution")
    with pytest.raises(Conflict):
        _plan(matter, date(2026, 4, 30))
