"""Registering a village matter and the steps that decide it (提议, 商议, 审议, 决议), each
a meeting whose vote moves the matter on or, when it really failed, ends it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.people import scopes
from procedures.people.meetings import eligible_voters, voters
from procedures.people.models import Household, Organisation, Person, Position, Village
from workflows import pipeline
from workflows.errors import NotAllowed, ProcedureError

from .. import deadlines as matter_deadlines
from .. import policy
from ..models import (
    DecisionSettings,
    Matter,
    MatterMeeting,
    VillagersMeetingPlan,
)
from ..steps import (
    COMMITTEE_TITLES,
    JOINT_TITLES,
    Category,
    Method,
    Step,
)
from .matters import (
    MATTERS,
    MSG_CATEGORY,
    MSG_COUNTS,
    MSG_FORBIDDEN,
    MSG_TITLE,
    MSG_UNKNOWN_METHOD,
    MeetingInput,
    T,
    _check_date,
    _holders,
)
from .meetings import _check_attendees, _check_chair_and_recorder, _check_tally, _meeting_row


@transaction.atomic
def matter_register(
    *, actor, village: Village, title: str, category: str, description: str = ""
) -> Matter:
    if not policy.may_record(actor, village):
        raise NotAllowed("matter_forbidden", _(MSG_FORBIDDEN))
    if not (title or "").strip():
        raise ProcedureError("title_required", _(MSG_TITLE))
    if category not in Category.values:
        raise ProcedureError("category_required", _(MSG_CATEGORY))
    county_id = village.township.county_id
    settings_row = DecisionSettings.objects.filter(county_id=county_id).first()
    if settings_row is not None and settings_row.method not in Method.values:
        raise ProcedureError(
            "unknown_method", _(MSG_UNKNOWN_METHOD) % {"key": settings_row.method[:10]}
        )
    matter = Matter.objects.create(
        village=village,
        title=title.strip()[:200],
        description=description,
        category=category,
        method=settings_row.method if settings_row else Method.THREE,
    )
    # Its first act, through the pipeline: its record, deadline rows and audit event.
    pipeline.started(
        MATTERS,
        matter,
        "registered",
        actor=actor,
        act_date=timezone.localdate(),
        payload={"title": matter.title, "category": category, "method": matter.method},
    )
    return matter


def _committee_step(matter_id, actor, meeting: MeetingInput, verb: str, step: str) -> Matter:
    matter = pipeline.begin(MATTERS, matter_id, verb, actor)
    _check_date(meeting.held_on)
    chair_title, stand_in = _check_chair_and_recorder(matter, step, meeting)
    titles = COMMITTEE_TITLES if step == Step.PROPOSE else JOINT_TITLES
    expected = _holders(matter.village, meeting.held_on, titles)
    _check_attendees(matter.village, set(expected), meeting.attendee_ids)
    kind = MatterMeeting.Kind.BRANCH_COMMITTEE if step == Step.PROPOSE else MatterMeeting.Kind.JOINT
    row = _meeting_row(
        matter,
        step,
        kind,
        meeting,
        chair_title=chair_title,
        stand_in=stand_in,
        should_attend=len(expected),
        attended=len(set(meeting.attendee_ids)),
        passed=True,
        actor=actor,
    )
    pipeline.finish(
        MATTERS,
        matter,
        verb,
        actor=actor,
        act_date=meeting.held_on,
        data={"meeting": row.pk, "chair_title": chair_title, "stand_in_recorder": stand_in},
    )
    return matter


@transaction.atomic
def matter_propose(*, matter_id: int, actor, meeting: MeetingInput) -> Matter:
    """提议: the branch committee meeting, chaired by the secretary (the first secretary only
    in his absence; never a village-liaison leader or cadre)."""
    return _committee_step(matter_id, actor, meeting, "propose", Step.PROPOSE)


@transaction.atomic
def matter_consult(*, matter_id: int, actor, meeting: MeetingInput) -> Matter:
    """商议: the joint consultation of liaison leaders and cadres, work team, village cadres."""
    return _committee_step(matter_id, actor, meeting, "consult", Step.CONSULT)


@transaction.atomic
def matter_propose_and_consult(*, matter_id: int, actor, meeting: MeetingInput) -> Matter:
    """四议两公开 where one person is both secretary and committee director: one meeting."""
    return _committee_step(
        matter_id, actor, meeting, "propose_and_consult", Step.PROPOSE_AND_CONSULT
    )


@transaction.atomic
def matter_deliberate(*, matter_id: int, actor, meeting: MeetingInput) -> Matter:
    """审议: the party members' meeting, chaired by the secretary or the first secretary."""
    matter = pipeline.begin(MATTERS, matter_id, "deliberate", actor)
    _check_date(meeting.held_on)
    chair_title, stand_in = _check_chair_and_recorder(matter, Step.DELIBERATE, meeting)
    branch = scopes.branch_of(matter.village)
    allowed = {person.pk for person in voters(branch, meeting.held_on)}
    _check_attendees(matter.village, allowed, meeting.attendee_ids)
    eligible = eligible_voters(branch, meeting.held_on, meeting.attendee_ids)
    present = len(set(meeting.attendee_ids))
    _check_tally(meeting, present)
    rulebook = matter_deadlines.rulebook_of(matter)
    checks = [
        rulebook.check("members_quorum", eligible=len(eligible), present=present),
        rulebook.check("members_majority", eligible=len(eligible), yes=meeting.yes),
    ]
    return _vote_outcome(
        matter,
        "deliberate",
        Step.DELIBERATE,
        MatterMeeting.Kind.MEMBERS,
        meeting,
        checks,
        actor=actor,
        chair_title=chair_title,
        stand_in=stand_in,
        should_attend=len(eligible),
        attended=present,
    )


def _vote_outcome(
    matter,
    verb,
    step,
    kind,
    meeting,
    checks,
    *,
    actor,
    chair_title,
    stand_in,
    should_attend,
    attended,
    data=None,
) -> Matter:
    """A vote that meets its rules moves the matter on; one that does not is refused, or,
    when the meeting really took place and failed, recorded and the matter ends 未获通过."""
    rulebook = matter_deadlines.rulebook_of(matter)
    failed = [violation for batch in checks for violation in batch]
    if failed and not meeting.record_failure:
        rulebook.require(*checks)
    row = _meeting_row(
        matter,
        step,
        kind,
        meeting,
        chair_title=chair_title,
        stand_in=stand_in,
        should_attend=should_attend,
        attended=attended,
        passed=not failed,
        actor=actor,
        data={**(data or {}), "failed": [v.as_dict() for v in failed]},
    )
    if failed:
        matter.closed_reason = failed[0].message[:300]
        pipeline.finish(
            MATTERS,
            matter,
            "fail",
            actor=actor,
            act_date=meeting.held_on,
            data={"meeting": row.pk, "failed": [v.code for v in failed]},
        )
        return matter
    if verb == "resolve":
        matter.decided_on = meeting.held_on
        matter.decision = meeting.outcome
    pipeline.finish(
        MATTERS,
        matter,
        verb,
        actor=actor,
        act_date=meeting.held_on,
        data={
            "meeting": row.pk,
            "chair_title": chair_title,
            "stand_in_recorder": stand_in,
            "yes": meeting.yes,
            "no": meeting.no,
            "abstain": meeting.abstain,
        },
    )
    return matter


def _adults(village: Village, on: date) -> int:
    people = Person.objects.filter(household__village=village).only("birth_date")
    return sum(1 for person in people if person.age_on(on) >= 18)


@transaction.atomic
def matter_resolve(*, matter_id: int, actor, meeting: MeetingInput) -> Matter:
    """决议 (一会): the villagers' meeting or the representatives' meeting decides."""
    matter = pipeline.begin(MATTERS, matter_id, "resolve", actor)
    _check_date(meeting.held_on)
    chair_title, stand_in = _check_chair_and_recorder(matter, Step.RESOLVE, meeting)
    rulebook = matter_deadlines.rulebook_of(matter)
    checks = [
        rulebook.check(
            "reserved_matter",
            reserved=matter.reserved,
            villagers_meeting=meeting.villagers_meeting,
            delegated=meeting.delegated,
        )
    ]
    rulebook.require(*checks)
    if meeting.villagers_meeting:
        adults = _adults(matter.village, meeting.held_on)
        households = Household.objects.filter(village=matter.village).count()
        if meeting.present > adults or meeting.households_present > households:
            raise ProcedureError(
                "count_mismatch", _(MSG_COUNTS) % {"present": meeting.present, "total": adults}
            )
        _check_tally(meeting, meeting.present)
        # The notice recorded when the meeting was announced, unless the minutes give one.
        plan = VillagersMeetingPlan.objects.filter(matter=matter).first()
        announced_on = meeting.announced_on or (plan.announced_on if plan else None)
        given = (meeting.held_on - announced_on).days if announced_on else 0
        rulebook.require(rulebook.check("villagers_meeting_notice", given=given))
        checks = [
            rulebook.check(
                "villagers_meeting_quorum",
                present=meeting.present,
                adults=adults,
                households_present=meeting.households_present,
                households=households,
            ),
            rulebook.check("villagers_meeting_majority", present=meeting.present, yes=meeting.yes),
        ]
        kind, should, attended = MatterMeeting.Kind.VILLAGERS, adults, meeting.present
        data = {"households": households, "announced_on": announced_on}
    else:
        committee = Organisation.objects.get(
            kind=Organisation.Kind.VILLAGERS_COMMITTEE, village=matter.village
        )
        representatives = set(
            Position.objects.filter(
                organisation=committee,
                title=T.VILLAGER_REPRESENTATIVE,
                start_date__lte=meeting.held_on,
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=meeting.held_on))
            .values_list("person_id", flat=True)
        )
        _check_attendees(matter.village, representatives, meeting.attendee_ids)
        present = len(set(meeting.attendee_ids))
        _check_tally(meeting, present)
        checks = [
            rulebook.check("representatives_quorum", members=len(representatives), present=present),
            rulebook.check("representatives_majority", present=present, yes=meeting.yes),
        ]
        kind, should, attended = MatterMeeting.Kind.REPRESENTATIVES, len(representatives), present
        data = {"delegated": meeting.delegated}
    return _vote_outcome(
        matter,
        "resolve",
        Step.RESOLVE,
        kind,
        meeting,
        checks,
        actor=actor,
        chair_title=chair_title,
        stand_in=stand_in,
        should_attend=should,
        attended=attended,
        data=data,
    )
