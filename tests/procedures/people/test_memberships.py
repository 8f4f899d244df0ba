"""A person's organisations over time: a move on day D leaves both branches' past as it was
(who should attend, who votes, dues and the counts read as of their day), and the new branch
has him from the day after (条例 第二十五条: the sending branch answers for him until he is
received). Not counted in 应到 and 留党察看 are dated too."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from procedures.branchlife import attendance, services, standing
from procedures.branchlife.steps import Kind
from procedures.people import history as people
from procedures.people import meetings
from procedures.people.models import Discipline, Membership, NotCounted, Person
from tests import factories
from workflows.audit import events_of, stream_of
from workflows.errors import ProcedureError

from ..membership.walk import world

pytestmark = pytest.mark.django_db

D = date(2026, 10, 14)
DAYS = (D - timedelta(days=1), D, D + timedelta(days=1))


def _full(branch, name):
    person = factories.person(branch, name=name)
    Person.objects.filter(pk=person.pk).update(
        standing=Person.Standing.FULL, full_member_since=date(2001, 7, 1)
    )
    return Person.objects.get(pk=person.pk)


_pay = factories.dues_paid


def _general_meeting(w, held_on, present):
    """A 支部党员大会 of the world's branch on `held_on` with `present` there."""
    return services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind=Kind.GENERAL_MEETING,
        minutes=_minutes(w, held_on, present),
    )


def _minutes(w, held_on, present) -> services.Minutes:
    return services.Minutes(
        held_on=held_on,
        topic="学习",
        summary="传达学习。",
        place="村党群服务中心",
        chair_id=w.members[0].pk,
        recorder_id=w.members[2].pk,
        present_ids=[m.pk for m in present],
    )


def _branch_figures(branch, day) -> dict:
    """What a branch's records say of `day`: who should attend its 党员大会, who votes and
    counts in its quorum, whose dues are behind, and its counts of members and flags."""
    return {
        "attendees": sorted(p.pk for p in attendance.expected(branch, Kind.GENERAL_MEETING, day)),
        "voters": sorted(p.pk for p in meetings.voters(branch, day)),
        "should_attend": sorted(p.pk for p in meetings.eligible_voters(branch, day, ())),
        "arrears": sorted((a.member.pk, a.months) for a in standing.arrears(branch, day)),
        "members": len(meetings.party_members(branch, day)),
        "flags": sorted((f.member.pk, f.ground) for f in standing.flags(branch, day)),
    }


def _figures(w, other) -> dict:
    return {(b.pk, day): _branch_figures(b, day) for b in (w.branch, other) for day in DAYS}


def test_a_move_on_day_d_leaves_both_branches_days_up_to_d_as_they_were():
    w = world()
    other = w.tree.branches[1]
    hosts = [_full(other, f"邻村党员{index}") for index in range(3)]
    mover = w.members[8]
    # Both branches record dues, so both track arrears; the mover has paid to June.
    _pay(w.branch, mover, date(2026, 1, 1), 6)
    for host in hosts:
        _pay(other, host, date(2026, 1, 1), 10)
    before = _figures(w, other)
    assert mover.pk in before[(w.branch.pk, D)]["voters"]
    assert mover.pk not in before[(other.pk, D)]["attendees"]

    moved = people.membership_move(actor=None, person=mover, to=other, on=D)

    after = _figures(w, other)
    for branch in (w.branch, other):
        for day in DAYS[:2]:
            assert after[(branch.pk, day)] == before[(branch.pk, day)], (branch.name, day)
    # From the day after, he is the receiving branch's, and no longer the sending one's.
    next_day = DAYS[2]
    assert mover.pk not in after[(w.branch.pk, next_day)]["attendees"]
    assert mover.pk not in after[(w.branch.pk, next_day)]["voters"]
    assert mover.pk in after[(other.pk, next_day)]["attendees"]
    assert mover.pk in after[(other.pk, next_day)]["should_attend"]
    assert after[(other.pk, next_day)]["members"] == before[(other.pk, next_day)]["members"] + 1
    # His months before arriving are the sending branch's: the receiving one counts from his
    # arrival (November), the month before `next_day`'s being October, so none behind yet.
    assert (mover.pk, 0) in after[(other.pk, next_day)]["arrears"]
    assert (moved.starts_on, moved.started_why) == (next_day, Membership.Reason.TRANSFERRED)
    assert Person.objects.get(pk=mover.pk).organisation == other
    assert meetings.organisation_on(mover, D) == w.branch
    assert meetings.organisation_on(mover, next_day) == other
    [event] = [e for e in events_of(stream_of(mover)) if e.action == "membership_moved"]
    assert (event.act_date, event.payload["to"]) == (D, other.pk)


def test_a_meeting_of_the_day_of_the_move_is_the_sending_branchs():
    w = world()
    other = w.tree.branches[1]
    mover = w.members[8]
    people.membership_move(actor=None, person=mover, to=other, on=D)
    meeting = _general_meeting(w, D, w.members)
    assert (meeting.should_attend, meeting.attended) == (9, 9)
    later = _minutes(w, D + timedelta(days=1), w.members)
    with pytest.raises(ProcedureError) as refused:
        services.meeting_hold(actor=None, branch=w.branch, kind=Kind.GENERAL_MEETING, minutes=later)
    assert refused.value.code == "not_of_branch"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"to": "same"}, "move_same"),
        ({"to": "township"}, "move_kind"),
        ({"on": "tomorrow"}, "move_future"),
        ({"why": Membership.Reason.DIED}, "move_reason"),
    ],
)
def test_a_move_that_cannot_be_is_refused_and_changes_nothing(change, code):
    w = world()
    mover = w.members[8]
    to = {"same": w.branch, "township": w.township}.get(change.get("to"), w.tree.branches[1])
    on = date.today() + timedelta(days=1) if change.get("on") else D
    why = change.get("why", Membership.Reason.TRANSFERRED)
    with pytest.raises(ProcedureError) as refused:
        people.membership_move(actor=None, person=mover, to=to, on=on, why=why)
    assert refused.value.code == code and refused.value.message
    [only] = Membership.objects.filter(person=mover)
    assert (only.organisation, only.ends_on) == (w.branch, None)


def test_a_second_move_cannot_reach_back_before_the_first():
    w = world()
    mover = w.members[8]
    people.membership_move(actor=None, person=mover, to=w.tree.branches[1], on=D)
    with pytest.raises(ProcedureError) as refused:
        people.membership_move(actor=None, person=mover, to=w.branch, on=D)
    assert refused.value.code == "move_before_start"
    # the day after his arrival is a day of the new branch's, and may be his last there
    people.membership_move(actor=None, person=mover, to=w.branch, on=D + timedelta(days=1))
    assert meetings.organisation_on(mover, D + timedelta(days=2)) == w.branch


def test_a_move_between_the_branchs_own_groups_keeps_his_stay_unbroken():
    w = world()
    mover = w.members[8]
    people.membership_move(
        actor=None, person=mover, to=w.group, on=D, why=Membership.Reason.REGROUPED
    )
    arrived = meetings.arrived_on(w.branch, [mover.pk], D + timedelta(days=5))
    assert arrived == {mover.pk: None}  # in the branch since before the records
    assert mover.pk in {p.pk for p in meetings.party_members(w.group, D + timedelta(days=1))}
    assert mover.pk not in {p.pk for p in meetings.party_members(w.group, D)}


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "counted"),
    [
        (D + timedelta(days=1), None, True),  # not yet
        (D, None, False),  # from the day itself
        (D - timedelta(days=30), D - timedelta(days=1), True),  # ended the day before
        (D - timedelta(days=30), D, False),  # its last day
    ],
)
def test_a_member_not_counted_leaves_the_quorum_unless_he_comes(starts_on, ends_on, counted):
    w = world()
    away = w.members[8]
    people.not_counted_record(
        actor=None,
        person=away,
        kind=NotCounted.Kind.AWAY_WITH_LEAVE,
        reason="外出务工，已向支部请假",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    should = {p.pk for p in meetings.eligible_voters(w.branch, D, ())}
    assert (away.pk in should) is counted
    assert away.pk in {p.pk for p in meetings.voters(w.branch, D)}  # he may still vote
    assert away.pk in {p.pk for p in meetings.eligible_voters(w.branch, D, [away.pk])}


def test_a_general_meeting_quorum_leaves_out_those_not_counted():
    """9 voters, 2 excused: 7 should attend, so 4 present is a quorum (not of 9)."""
    w = world()
    for member in w.members[7:9]:
        people.not_counted_record(
            actor=None,
            person=member,
            kind=NotCounted.Kind.ABROAD,
            reason="出国务工一年",
            starts_on=date(2026, 1, 1),
        )
    meeting = _general_meeting(w, D, w.members[:4])
    assert (meeting.should_attend, meeting.attended) == (7, 4)


def test_not_counted_periods_of_one_member_never_overlap_and_end_once():
    w = world()
    row = people.not_counted_record(
        actor=None,
        person=w.members[8],
        kind=NotCounted.Kind.MISSING,
        reason="联系不上",
        starts_on=date(2026, 3, 1),
    )
    with pytest.raises(ProcedureError) as refused:
        people.not_counted_record(
            actor=None,
            person=w.members[8],
            kind=NotCounted.Kind.ILL,
            reason="病重",
            starts_on=date(2026, 6, 1),
        )
    assert refused.value.code == "not_counted_overlap"
    with pytest.raises(ProcedureError):
        people.not_counted_end(actor=None, row=row, ends_on=date(2026, 2, 28))
    people.not_counted_end(actor=None, row=row, ends_on=date(2026, 5, 31))
    with pytest.raises(ProcedureError) as again:
        people.not_counted_end(actor=None, row=row, ends_on=date(2026, 6, 30))
    assert again.value.code == "ended"
    people.not_counted_record(
        actor=None,
        person=w.members[8],
        kind=NotCounted.Kind.ILL,
        reason="病重",
        starts_on=date(2026, 6, 1),
    )
    with pytest.raises(ProcedureError) as masses:
        people.not_counted_record(
            actor=None,
            person=w.applicant,
            kind=NotCounted.Kind.ILL,
            reason="病重",
            starts_on=date(2026, 6, 1),
        )
    assert masses.value.code == "not_a_member"


def test_a_probation_needs_its_last_day_and_other_disciplines_have_none():
    w = world()
    with pytest.raises(ProcedureError):
        people.discipline_record(
            actor=None,
            person=w.members[8],
            kind=Discipline.Kind.PROBATION,
            decided_on=date(2026, 1, 5),
            deciding_body="县纪委",
        )
    warning = people.discipline_record(
        actor=None,
        person=w.members[8],
        kind=Discipline.Kind.WARNING,
        decided_on=date(2026, 1, 5),
        deciding_body="镇纪委",
        matter="违反工作纪律",
    )
    # A warning leaves his rights as they were.
    assert w.members[8].pk in {p.pk for p in meetings.voters(w.branch, date(2026, 2, 1))}
    assert Discipline.objects.get() == warning


def test_every_registration_opens_a_membership_since_before_the_records():
    branch = factories.tree().branches[0]
    person = factories.person(branch)
    [row] = Membership.objects.filter(person=person)
    assert (row.organisation, row.starts_on, row.ends_on) == (branch, None, None)
    assert row.started_why == Membership.Reason.BEFORE_RECORDS
    assert meetings.organisation_on(person, date(1950, 1, 1)) == branch
