"""A village matter's meetings: who may chair and record on the day (委托 included), who attends,
the tally, and the meeting's record."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from procedures.people import delegations, scopes
from procedures.people.models import Person, Position, Village
from procedures.publicity.kinds import chinese_date
from workflows.errors import ProcedureError

from .. import deadlines as matter_deadlines
from ..models import (
    Matter,
    MatterMeeting,
)
from ..steps import (
    CHAIRS,
    NEVER_CHAIR_PROPOSAL,
    RECORDERS,
    STAND_IN_RECORDERS,
    Step,
)
from .matters import (
    MSG_ACTING,
    MSG_ATTENDEES,
    MSG_DELEGATION_NEEDED,
    MSG_NOT_OF_VILLAGE,
    MSG_PLACE,
    MSG_TALLY,
    MeetingInput,
    _holders,
)


def _names(ids) -> str:
    return "、".join(Person.objects.filter(pk__in=ids).values_list("name", flat=True))


def _check_chair_and_recorder(matter: Matter, step: str, meeting: MeetingInput) -> tuple[str, bool]:
    """Return the chair's title and whether a liaison cadre stands in as recorder."""
    rulebook = matter_deadlines.rulebook_of(matter)
    chairs = CHAIRS[matter.method][step]
    every_title = (
        chairs | NEVER_CHAIR_PROPOSAL | delegations.DELEGATES | RECORDERS | STAND_IN_RECORDERS
    )
    held = _holders(matter.village, meeting.held_on, set(every_title))
    chair_titles = held.get(meeting.chair_id, set())
    chosen = next(iter(sorted(chair_titles & chairs)), None)
    acting = ""
    if step in (Step.PROPOSE, Step.PROPOSE_AND_CONSULT) and chosen is None:
        # The 第一书记 (or the deputy) chairs only while the secretary is absent: a
        # delegation recorded for the meeting's day is the record of that absence.
        standing_in = chair_titles & delegations.DELEGATES
        if standing_in and delegations.acting_for(
            meeting.chair_id, matter.branch.pk, meeting.held_on
        ):
            chosen = next(iter(sorted(standing_in)))
            acting = str(_(MSG_ACTING))
        elif standing_in:  # the one thing missing is the record of the secretary's absence
            citation = rulebook.citation("chair_proposal")
            said = {
                "title": Position.Title(next(iter(sorted(standing_in)))).label,
                "day": chinese_date(meeting.held_on),
                "name": Person.objects.get(pk=meeting.chair_id).name,
            }
            raise ProcedureError(
                "chair_proposal_delegation",
                f"{_(MSG_DELEGATION_NEEDED) % said}（{citation}）",
                citation,
            )
    rule_id = {
        Step.PROPOSE: "chair_proposal",
        Step.PROPOSE_AND_CONSULT: "chair_proposal",
        Step.CONSULT: "chair_consultation",
        Step.DELIBERATE: "chair_deliberation",
        Step.RESOLVE: "chair_resolution",
    }[step]
    recorder_titles = held.get(meeting.recorder_id, set())
    stand_in = not (recorder_titles & RECORDERS) and bool(recorder_titles & STAND_IN_RECORDERS)
    rulebook.require(
        rulebook.check(rule_id, allowed=chosen is not None),
        rulebook.check("recorder", allowed=bool(recorder_titles & RECORDERS) or stand_in),
    )
    return f"{Position.Title(chosen).label}{acting}", stand_in


def _check_attendees(village: Village, allowed_ids: set[int], attendee_ids: list[int]) -> None:
    """Refuse those who were not to attend: named when they are of the village, only
    counted by id when they are not (a refusal never tells who is who elsewhere)."""
    strangers = set(attendee_ids) - allowed_ids
    if not strangers:
        return
    branch = scopes.branch_of(village)
    local = set(
        Person.objects.filter(pk__in=strangers)
        .filter(Q(organisation__path__startswith=branch.path) | Q(household__village=village))
        .values_list("pk", flat=True)
    )
    if local != strangers:
        ids = "、".join(str(pk) for pk in sorted(strangers - local))
        raise ProcedureError("not_of_village", _(MSG_NOT_OF_VILLAGE) % {"ids": ids})
    raise ProcedureError("not_expected", _(MSG_ATTENDEES) % {"names": _names(local)})


def _check_tally(meeting: MeetingInput, present: int) -> None:
    cast = meeting.yes + meeting.no + meeting.abstain
    if min(meeting.yes, meeting.no, meeting.abstain) < 0 or cast > present:
        raise ProcedureError("tally_mismatch", _(MSG_TALLY) % {"cast": cast, "present": present})


def _meeting_row(
    matter,
    step,
    kind,
    meeting: MeetingInput,
    *,
    chair_title,
    stand_in,
    should_attend,
    attended,
    passed,
    actor,
    data=None,
) -> MatterMeeting:
    if not meeting.place.strip():
        raise ProcedureError("place_required", _(MSG_PLACE))
    row = MatterMeeting.objects.create(
        matter=matter,
        step=step,
        kind=kind,
        held_on=meeting.held_on,
        place=meeting.place.strip(),
        chair_id=meeting.chair_id,
        chair_title=chair_title,
        recorder_id=meeting.recorder_id,
        recorder_stand_in=stand_in,
        should_attend=should_attend,
        attended=attended,
        households_present=meeting.households_present or None,
        yes=meeting.yes,
        no=meeting.no,
        abstain=meeting.abstain,
        proposal=meeting.proposal,
        outcome=meeting.outcome,
        passed=passed,
        data=data or {},
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if meeting.attendee_ids:
        row.attendees.set(meeting.attendee_ids)
    return row
