"""The branch's organisational life: a record too thin is refused, quorums at their
boundaries, who should attend from the people records, plans (预约报备) and their overdue
row, and who may record (branch-life.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from procedures.branchlife import services
from procedures.branchlife.models import BranchMeeting, MeetingAttendance
from procedures.branchlife.steps import Grade, Kind, Presence, Status
from procedures.people.models import Person
from tests import factories
from workflows import deadlines as rows
from workflows.audit import events_of, stream_of
from workflows.errors import NotAllowed, NotFound, ProcedureError

from ..membership.walk import world

pytestmark = pytest.mark.django_db

HELD = date(2026, 11, 10)


def minutes(w, present, **extra) -> services.Minutes:
    fields = {
        "held_on": HELD,
        "topic": "学习党的二十届四中全会精神",
        "summary": "传达学习，讨论本村落实措施。",
        "place": "村党群服务中心",
        "chair_id": w.members[0].pk,
        "recorder_id": w.members[2].pk,
        "present_ids": [p.pk for p in present],
    }
    return services.Minutes(**{**fields, **extra})


def hold(w, kind, present, actor=None, **extra):
    return services.meeting_hold(
        actor=actor, branch=w.branch, kind=kind, minutes=minutes(w, present, **extra)
    )


def refused(call) -> ProcedureError:
    with pytest.raises(ProcedureError) as raised:
        call()
    return raised.value


@pytest.mark.parametrize(("present", "ok"), [(4, False), (5, True), (6, True)])
def test_a_general_meeting_needs_more_than_half_of_the_voters(present, ok):
    """9 full members with voting rights: 4 is not more than half, 5 is."""
    w = world()
    call = lambda: hold(w, Kind.GENERAL_MEETING, w.members[:present])
    if ok:
        meeting = call()
        assert meeting.status == Status.HELD
        assert (meeting.should_attend, meeting.attended) == (9, present)
    else:
        error = refused(call)
        assert error.code == "general_meeting_quorum" and "第十四条" in error.message
        assert not BranchMeeting.objects.exists()


@pytest.mark.parametrize(("present", "ok"), [(2, False), (3, True)])
def test_a_committee_meeting_needs_more_than_half_of_the_committee(present, ok):
    """4 committee members: half (2) is not enough, half plus one is."""
    w = world()
    call = lambda: hold(w, Kind.COMMITTEE_MEETING, w.members[:present], recorder_id=w.members[1].pk)
    if ok:
        assert call().should_attend == 4
    else:
        assert refused(call).code == "committee_meeting_quorum"


def test_a_committee_meeting_seats_its_committee_only():
    w = world()
    error = refused(lambda: hold(w, Kind.COMMITTEE_MEETING, [*w.members[:3], w.members[6]]))
    assert error.code == "not_expected" and w.members[6].name in error.message


def test_a_record_too_thin_is_refused_and_nothing_is_written():
    w = world()
    assert refused(lambda: hold(w, Kind.THEME_DAY, w.members[:6], summary="  ")).code == (
        "summary_required"
    )
    assert refused(lambda: hold(w, Kind.THEME_DAY, [])).code == "attendees_required"
    assert refused(lambda: hold(w, Kind.THEME_DAY, w.members[:6], topic="")).code == (
        "topic_required"
    )
    assert not BranchMeeting.objects.exists() and not MeetingAttendance.objects.exists()


def test_the_record_keeps_who_came_who_was_on_leave_and_who_was_absent():
    w = world()
    meeting = hold(
        w,
        Kind.THEME_DAY,
        w.members[:6],
        leave={w.members[6].pk: "外出务工"},
    )
    by_person = {row.person_id: row for row in meeting.attendance.all()}
    assert len(by_person) == 9  # the branch's party members on the day
    assert by_person[w.members[6].pk].presence == Presence.LEAVE
    assert by_person[w.members[6].pk].reason == "外出务工"
    assert by_person[w.members[7].pk].presence == Presence.ABSENT
    [event] = [e for e in events_of(stream_of(meeting)) if e.action == "hold"]
    assert event.payload["present"] == sorted(p.pk for p in w.members[:6])


def test_someone_of_another_branch_is_refused_by_number_only():
    w = world()
    stranger = factories.person(w.tree.branches[1], name="外村党员")
    error = refused(lambda: hold(w, Kind.THEME_DAY, [*w.members[:5], stranger]))
    assert error.code == "not_of_branch"
    assert str(stranger.pk) in error.message and "外村党员" not in error.message


def test_a_probationary_member_attends_but_does_not_count_for_the_quorum():
    w = world()
    probationary = factories.person(w.branch, name="预备党员甲")
    Person.objects.filter(pk=probationary.pk).update(standing=Person.Standing.PROBATIONARY)
    assert (
        refused(lambda: hold(w, Kind.GENERAL_MEETING, [*w.members[:4], probationary])).code
        == "general_meeting_quorum"
    )
    meeting = hold(w, Kind.GENERAL_MEETING, [*w.members[:5], probationary])
    assert (meeting.should_attend, meeting.attended) == (10, 6)


def test_an_appraisal_grades_everyone_present():
    w = world()
    present = w.members[:6]
    grades = {p.pk: Grade.QUALIFIED for p in present[:5]}
    assert refused(lambda: hold(w, Kind.APPRAISAL, present, grades=grades)).code == (
        "grades_required"
    )
    wrong = {**grades, present[5].pk: "great"}
    assert refused(lambda: hold(w, Kind.APPRAISAL, present, grades=wrong)).code == "grade"
    grades[present[5].pk] = Grade.EXCELLENT
    meeting = hold(w, Kind.APPRAISAL, present, grades=grades)
    assert meeting.attendance.get(person=present[5]).grade == Grade.EXCELLENT


def test_a_talk_has_two_sides():
    w = world()
    assert refused(lambda: hold(w, Kind.HEART_TALK, w.members[:3])).code == "talk_pair"
    talk = hold(w, Kind.HEART_TALK, w.members[:2], place="", recorder_id=None)
    assert (talk.should_attend, talk.attended) == (2, 2)


def test_a_group_meeting_names_its_group_seats_its_members_and_is_chaired_by_its_leader():
    w = world()
    factories.regroup(w.members[5:8], w.group)
    factories.hold(w.members[5], w.group, "group_leader")
    assert refused(lambda: hold(w, Kind.GROUP_MEETING, w.members[5:8])).code == "group_required"
    by_member = refused(
        lambda: hold(
            w, Kind.GROUP_MEETING, w.members[5:7], group_id=w.group.pk,
            chair_id=w.members[6].pk, recorder_id=w.members[5].pk,
        )
    )  # fmt: skip
    assert by_member.code == "group_meeting_chair" and "第十三条" in by_member.message
    meeting = hold(
        w, Kind.GROUP_MEETING, w.members[5:7], group_id=w.group.pk, chair_id=w.members[5].pk,
        recorder_id=w.members[6].pk,
    )  # fmt: skip
    assert (meeting.should_attend, meeting.attended) == (3, 2)


def test_only_the_branch_records_and_an_outsider_does_not_find_the_record():
    w = world()
    with pytest.raises(NotAllowed):
        hold(w, Kind.THEME_DAY, w.members[:6], actor=w.organiser)
    meeting = services.meeting_plan(
        actor=w.secretary,
        branch=w.branch,
        kind=Kind.THEME_DAY,
        planned_on=timezone.localdate() + timedelta(days=3),
        topic="主题党日",
    )
    with pytest.raises(NotAllowed) as forbidden:
        services.meeting_cancel(meeting_id=meeting.pk, actor=w.organiser, reason="改期")
    assert forbidden.value.code == "step_forbidden"
    with pytest.raises(NotFound):
        services.meeting_cancel(meeting_id=meeting.pk, actor=w.other_secretary, reason="改期")
    assert BranchMeeting.objects.get(pk=meeting.pk).status == Status.PLANNED


def test_a_plan_is_overdue_after_its_day_and_closes_when_recorded():
    w = world()
    today = timezone.localdate()
    assert refused(
        lambda: services.meeting_plan(
            actor=w.secretary, branch=w.branch, kind=Kind.THEME_DAY,
            planned_on=today - timedelta(days=1), topic="过期的预约",
        )
    ).code == "plan_in_past"  # fmt: skip
    plan = services.meeting_plan(
        actor=w.secretary, branch=w.branch, kind=Kind.THEME_DAY, planned_on=today, topic="主题党日"
    )
    [row] = rows.open_for(plan)
    assert row.key == "plan" and timezone.localtime(row.due_at).date() == today
    assert row.audience == "branch" and row.scope_path == w.branch.path
    recorded = services.meeting_record(
        meeting_id=plan.pk, actor=w.secretary, minutes=minutes(w, w.members[:6], held_on=today)
    )
    assert recorded.status == Status.HELD and rows.open_for(recorded) == []
    with pytest.raises(ProcedureError) as again:
        services.meeting_record(
            meeting_id=plan.pk, actor=w.secretary, minutes=minutes(w, w.members[:6], held_on=today)
        )
    assert again.value.code == "step_not_available"


def test_a_cancelled_plan_keeps_its_reason_and_closes_its_row():
    w = world()
    plan = services.meeting_plan(
        actor=w.secretary,
        branch=w.branch,
        kind=Kind.PARTY_LECTURE,
        planned_on=timezone.localdate() + timedelta(days=2),
        topic="书记讲党课",
    )
    assert (
        refused(
            lambda: services.meeting_cancel(meeting_id=plan.pk, actor=w.secretary, reason=" ")
        ).code
        == "reason_required"
    )
    cancelled = services.meeting_cancel(meeting_id=plan.pk, actor=w.secretary, reason="防汛")
    assert cancelled.status == Status.CANCELLED and cancelled.cancelled_reason == "防汛"
    assert rows.open_for(cancelled) == []


@pytest.mark.parametrize(("chair", "ok"), [(0, True), (1, True), (5, False)])
def test_a_general_meeting_is_chaired_by_the_secretary_or_a_member_of_the_committee(chair, ok):
    """The secretary, or the deputy or a committee member he entrusts; not any member."""
    w = world()
    call = lambda: hold(w, Kind.GENERAL_MEETING, w.members[:7], chair_id=w.members[chair].pk)
    if ok:
        assert call().chair_id == w.members[chair].pk
    else:
        assert refused(call).code == "general_meeting_chair"
