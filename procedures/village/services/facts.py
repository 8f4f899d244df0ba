"""What a village matter's meetings are to its branch (the shared fact `MeetingHeld`): the
branch committee's 提议 is that month's 支委会, the party members' 审议 that quarter's 党员大会,
each on its date as its latest 更正 left it. The other meetings (联席会议, 村民(代表)会议) are
no party meetings and count in no branch ledger."""

from __future__ import annotations

from collections.abc import Iterable

from procedures.people import scopes
from procedures.people.facts import Held, meetings_held_sync
from procedures.people.models import MeetingHeld

from ..models import MatterMeeting
from ..steps import Step

SERVED = {
    MatterMeeting.Kind.MEMBERS: MeetingHeld.Kind.GENERAL_MEETING,
    MatterMeeting.Kind.BRANCH_COMMITTEE: MeetingHeld.Kind.COMMITTEE_MEETING,
}


def meeting_label(row: MatterMeeting) -> str:
    """The step and its meeting, once: 审议（党员大会）, the step's own label where it names
    the meeting already."""
    step = str(Step(row.step).label) if row.step in Step.values else row.step
    kind = str(row.get_kind_display())
    return step if kind in step else f"{step}（{kind}）"


def held(row: MatterMeeting) -> list[Held]:
    """`row` (read through `MatterMeeting.objects.dated()`) as the branch counts it."""
    if row.kind not in SERVED:
        return []
    matter = row.matter
    return [
        Held(
            branch=scopes.branch_of(matter.village),
            kind=SERVED[row.kind],
            held_on=row.day,
            topic=matter.title,
            should_attend=row.should_attend,
            attended=row.attended,
            source=f"村级事务“{matter.title}”的{meeting_label(row)}",
            page=matter,
        )
    ]


def sync(meeting_ids: Iterable[int]) -> None:
    rows = (
        MatterMeeting.objects.dated()
        .filter(pk__in={pk for pk in meeting_ids if pk})
        .select_related("matter__village")
    )
    for row in rows:
        meetings_held_sync(row, held(row))
