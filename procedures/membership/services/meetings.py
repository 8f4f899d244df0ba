"""Meetings and ballots: who should attend, who came, the tally, written opinions.

Who should attend a branch general meeting (应到会有表决权的党员): the branch's full members
with party rights on that day, not probationary members, not members under 留党察看.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import roles
from procedures.people.meetings import committee_members, eligible_voters, voters
from procedures.people.models import Organisation, Person, Position
from workflows.errors import ProcedureError
from workflows.votes import MORE_THAN_HALF

from ..models import Ballot, Case, Meeting

T = Position.Title
BRANCH_COMMITTEE = TOWNSHIP_COMMITTEE = roles.COMMITTEE_TITLES  # the same titles, both levels

MSG_NOT_ELIGIBLE = gettext_noop("%(names)s不是本次会议应到会有表决权的人员。")
# Said of ids outside the branch without naming them: a refusal never tells who is who
# beyond the user's scope.
MSG_NOT_OF_BRANCH = gettext_noop("所选人员不在本支部（编号：%(ids)s），请从本支部党员中选择。")
MSG_CHAIR_NOT_OF_BRANCH = gettext_noop("主持人和记录人须是本支部的人员。")
MSG_TALLY = gettext_noop("票数之和（%(cast)d）应等于到会有表决权的人数（%(present)d）。")
MSG_WRITTEN_PRESENT = gettext_noop("%(names)s已到会，不能再计书面意见。")
MSG_CHAIR = gettext_noop("请填写会议主持人和记录人。")
MSG_COUNTS = gettext_noop(
    "人数有误：委员%(members)d人，到会%(present)d人，同意%(yes)d人（到会不能多于委员，"
    "同意不能多于到会）。"
)
MSG_NO_MEMBERS = gettext_noop("%(organisation)s在%(date)s没有在任委员，请先录入委员职务。")


@dataclass
class Attendance:
    """What a general meeting's record says, as entered."""

    held_on: date
    present_ids: list[int]
    yes: int
    no: int
    abstain: int
    written: dict[int, str] = field(default_factory=dict)  # person id -> yes/no/abstain
    chair_id: int | None = None
    recorder_id: int | None = None


def require_committee(organisation: Organisation, on: date, titles: set[str]) -> list[int]:
    members = committee_members(organisation, on, titles)
    if not members:
        raise ProcedureError(
            "no_committee_members",
            _(MSG_NO_MEMBERS) % {"organisation": organisation.name, "date": on},
        )
    return members


def check_counts(members: int, present: int, yes: int) -> None:
    if not 0 <= yes <= present <= members:
        raise ProcedureError(
            "count_mismatch",
            _(MSG_COUNTS) % {"members": members, "present": present, "yes": yes},
        )


@dataclass(frozen=True)
class Count:
    eligible: int
    present: int
    yes: int  # including written opinions
    needed: int
    passed: bool


def _of_branch(branch: Organisation, ids: set[int]) -> set[int]:
    return set(
        Person.objects.filter(pk__in=ids, organisation__path__startswith=branch.path).values_list(
            "pk", flat=True
        )
    )


def check_not_eligible(branch: Organisation, strangers: set[int]) -> None:
    """Refuse the people who may not vote: named when they belong to the branch, only
    counted by id when they do not (or do not exist)."""
    if not strangers:
        return
    own = _of_branch(branch, strangers)
    if own != strangers:
        ids = "、".join(str(pk) for pk in sorted(strangers - own))
        raise ProcedureError("not_of_branch", _(MSG_NOT_OF_BRANCH) % {"ids": ids})
    names = "、".join(Person.objects.filter(pk__in=own).values_list("name", flat=True))
    raise ProcedureError("not_eligible", _(MSG_NOT_ELIGIBLE) % {"names": names})


def count_general_meeting(branch: Organisation, attendance: Attendance) -> tuple[Count, list]:
    allowed = {person.pk for person in voters(branch, attendance.held_on)}
    came = set(attendance.present_ids) | set(attendance.written)
    check_not_eligible(branch, came - allowed)
    eligible = eligible_voters(branch, attendance.held_on, came)
    both = set(attendance.present_ids) & set(attendance.written)
    if both:
        names = "、".join(Person.objects.filter(pk__in=both).values_list("name", flat=True))
        raise ProcedureError("written_but_present", _(MSG_WRITTEN_PRESENT) % {"names": names})
    present = len(set(attendance.present_ids))
    cast = attendance.yes + attendance.no + attendance.abstain
    if min(attendance.yes, attendance.no, attendance.abstain) < 0 or cast != present:
        raise ProcedureError("tally_mismatch", _(MSG_TALLY) % {"cast": cast, "present": present})
    if not attendance.chair_id or not attendance.recorder_id:
        raise ProcedureError("chair_required", _(MSG_CHAIR))
    officers = {attendance.chair_id, attendance.recorder_id}
    if _of_branch(branch, officers) != officers:
        raise ProcedureError("chair_not_of_branch", _(MSG_CHAIR_NOT_OF_BRANCH))
    written_yes = sum(1 for vote in attendance.written.values() if vote == "yes")
    yes = attendance.yes + written_yes
    count = Count(
        eligible=len(eligible),
        present=present,
        yes=yes,
        needed=MORE_THAN_HALF.needed(len(eligible)),
        passed=MORE_THAN_HALF.met(present, len(eligible))
        and MORE_THAN_HALF.met(yes, len(eligible)),
    )
    return count, eligible


def save_general_meeting(
    case: Case, attendance: Attendance, count: Count, eligible: list[Person], purpose: str
) -> Meeting:
    meeting = Meeting.objects.create(
        branch=case.branch,
        kind=Meeting.Kind.GENERAL,
        held_on=attendance.held_on,
        chair_id=attendance.chair_id,
        recorder_id=attendance.recorder_id,
    )
    meeting.should_attend.set(eligible)
    meeting.attended.set(attendance.present_ids)
    written = list(attendance.written.values())
    Ballot.objects.create(
        meeting=meeting,
        case=case,
        purpose=purpose,
        yes=attendance.yes,
        no=attendance.no,
        abstain=attendance.abstain,
        written_yes=written.count("yes"),
        written_no=written.count("no"),
        written_abstain=written.count("abstain"),
        passed=count.passed,
    )
    return meeting


def meeting_data(attendance: Attendance, count: Count) -> dict:
    return {
        "held_on": attendance.held_on,
        "eligible": count.eligible,
        "present": count.present,
        "yes": attendance.yes,
        "no": attendance.no,
        "abstain": attendance.abstain,
        "written": dict(sorted((str(k), v) for k, v in attendance.written.items())),
        "yes_total": count.yes,
        "needed": count.needed,
        "passed": count.passed,
        "chair": attendance.chair_id,
        "recorder": attendance.recorder_id,
        "attended": sorted(set(attendance.present_ids)),
    }
