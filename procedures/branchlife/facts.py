"""What the branch's own records are to its ledger (the shared fact `MeetingHeld`): a record
held counts as its kind, and a 主题党日 that carried a village matter's 民主议事 as that
period's 党员大会 too (its quorum was checked); one withdrawn or superseded counts nowhere."""

from __future__ import annotations

from procedures.people import agenda
from procedures.people.facts import Held, meetings_held_sync
from procedures.people.models import MeetingHeld

from .models import BranchMeeting
from .steps import Kind, Status


def held(meeting: BranchMeeting) -> list[Held]:
    if meeting.status != Status.HELD:
        return []
    carried = agenda.named(meeting.carried) if meeting.carried_id else ""
    own = Held(
        branch=meeting.branch,
        group=meeting.group,
        kind=meeting.kind,
        held_on=meeting.held_on,
        topic=meeting.topic,
        should_attend=meeting.should_attend,
        attended=meeting.attended,
        source=f"组织生活记录（含{carried}的民主议事）" if carried else "组织生活记录",
        page=meeting,
    )
    if meeting.kind != Kind.THEME_DAY or not carried:
        return [own]
    general = Held(
        branch=meeting.branch,
        kind=MeetingHeld.Kind.GENERAL_MEETING,
        held_on=meeting.held_on,
        topic=meeting.topic,
        should_attend=meeting.should_attend,
        attended=meeting.attended,
        source=f"主题党日（{carried}的民主议事），计入党员大会",
        page=meeting,
    )
    return [own, general]


def sync(meeting: BranchMeeting) -> None:
    meetings_held_sync(meeting, held(meeting))
