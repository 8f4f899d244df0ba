"""What member development's 支部大会 is to its branch (the shared fact `MeetingHeld`): a
支部党员大会, whatever it voted on (接收预备党员, 转正), held or failed."""

from __future__ import annotations

from procedures.people.facts import Held, meetings_held_sync
from procedures.people.models import MeetingHeld

from ..models import Meeting


def held(meeting: Meeting) -> list[Held]:
    if meeting.kind != Meeting.Kind.GENERAL:
        return []
    ballots = list(meeting.ballots.select_related("case__person").order_by("pk"))
    if not ballots:
        return []
    names = "、".join(ballot.case.person.name for ballot in ballots)
    return [
        Held(
            branch=meeting.branch,
            kind=MeetingHeld.Kind.GENERAL_MEETING,
            held_on=meeting.held_on,
            topic=f"发展党员：{names}",
            should_attend=meeting.should_attend.count(),
            attended=meeting.attended.count(),
            source="发展党员的支部大会",
            page=ballots[0].case,
        )
    ]


def sync(meeting_id: int) -> None:
    meeting = Meeting.objects.select_related("branch").filter(pk=meeting_id).first()
    if meeting is not None:
        meetings_held_sync(meeting, held(meeting))
