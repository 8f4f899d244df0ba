"""The steps of a village matter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import delegations, roles, scopes
from procedures.people.meetings import eligible_voters, positions_held, voters
from procedures.people.models import Household, Organisation, Person, Position, Village
from procedures.publicity import services as publicity
from procedures.publicity.kinds import chinese_date
from workflows import calendar, pipeline
from workflows.audit import record_event, stream_of
from workflows.errors import NotAllowed, ProcedureError

from .. import deadlines as matter_deadlines
from .. import policy
from ..models import (
    Acknowledgement,
    DecisionSettings,
    Matter,
    MatterMeeting,
    Progress,
    VillagersMeetingPlan,
)
from ..steps import (
    CHAIRS,
    COMMITTEE_TITLES,
    JOINT_TITLES,
    NEVER_CHAIR_PROPOSAL,
    RECORDERS,
    STAND_IN_RECORDERS,
    Category,
    Method,
    Step,
)
from . import facts

T = Position.Title
MSG_NOT_FOUND = gettext_noop("没有找到该事项，或不在您的管理范围内。")
MSG_FORBIDDEN = gettext_noop("您不能办理该村的村级事务。")
MSG_NOT_NOW = gettext_noop(
    "事项当前进度为“%(status)s”，现在不能办理“%(step)s”，步骤不能跳过或颠倒。"
)
MSG_CONCURRENT = gettext_noop("该事项刚被他人办理，请刷新后再试。")
MSG_FUTURE = gettext_noop("日期不能晚于今天。")
MSG_TITLE = gettext_noop("请填写事项名称。")
MSG_CATEGORY = gettext_noop("请选择事项类别。")
MSG_REASON = gettext_noop("请说明理由。")
MSG_ATTENDEES = gettext_noop("%(names)s不是本次会议应到会的人员。")
MSG_NOT_OF_VILLAGE = gettext_noop("所选人员不在本村（编号：%(ids)s），请从本村人员中选择。")
MSG_TALLY = gettext_noop("票数之和（%(cast)d）不能超过到会人数（%(present)d）。")
MSG_COUNTS = gettext_noop("到会人数（%(present)d）不能超过应到人数（%(total)d）。")
MSG_PLACE = gettext_noop("请填写会议地点。")
MSG_NO_RESULT_NOTICE = gettext_noop("结果尚未公开，不能登记知晓。")
MSG_CHANNELS = gettext_noop("请至少选择一种告知方式（广播、公开栏、微信群、入户）。")
MSG_HOUSEHOLD = gettext_noop("本村没有户号为“%(number)s”的户，请核对。")
MSG_NOT_READABLE = gettext_noop("该事项的结果尚未公开。")
MSG_NOTHING = gettext_noop("请填写内容。")
MSG_COMPLETED_LATER = gettext_noop("完成日期不能晚于结果公开日期。")
MSG_UNKNOWN_METHOD = gettext_noop(
    "村级事务设置中的工作法“%(key)s”不存在，请县委组织部在后台“村级事务设置”中重新选择。"
)


@dataclass
class MeetingInput:
    held_on: date
    place: str
    chair_id: int
    recorder_id: int
    attendee_ids: list[int] = field(default_factory=list)
    yes: int = 0
    no: int = 0
    abstain: int = 0
    proposal: str = ""
    outcome: str = ""
    # 决议 only
    villagers_meeting: bool = False  # False: a representatives' meeting
    present: int = 0  # villagers' meeting: how many came
    households_present: int = 0
    announced_on: date | None = None
    delegated: bool = False
    record_failure: bool = False  # a meeting that failed: record it and end the matter


def _holders(village: Village, on: date, titles) -> dict[int, set[str]]:
    """Person id -> titles held on `on` in the village's branch and committee."""
    held: dict[int, set[str]] = {}
    positions = positions_held(scopes.branch_of(village), on, titles)
    for person_id, title in positions.values_list("person_id", "title"):
        held.setdefault(person_id, set()).add(title)
    return held


class MatterSteps(pipeline.Procedure):
    """Village matters on the engine's step pipeline: the matter's lock, who may act (its
    transitions' permission: the village's 村级事务 role), its deadline rows."""

    model = Matter
    related = ("village",)
    not_found = ("matter_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    msg_concurrent = MSG_CONCURRENT

    def step_label(self, verb: str) -> str:
        return str(Step(verb).label) if verb in Step.values else verb

    def in_scope(self, subject: Matter, actor) -> bool:
        return policy.in_scope(subject, actor)

    def rulebook(self, subject: Matter):
        return matter_deadlines.rulebook_of(subject)

    def role_label(self, subject: Matter, actor, verb: str) -> str:
        position = roles.position_for(
            actor, subject.branch, roles.Role.VILLAGE_AFFAIRS, cache=subject
        )
        return f"{position.organisation.name}{position.get_title_display()}" if position else ""

    def acting(self, subject: Matter, actor, act_date) -> str:
        return delegations.acting_label(actor, subject.branch, act_date, cache=subject)

    def shared_facts(self, act: pipeline.Act) -> None:
        """A meeting of the branch the act recorded (提议, 审议), or a meeting whose date a
        correction changed, counts in the branch's ledger on its day."""
        meetings = [act.data.get("meeting")]
        if act.verb == "correct":
            meetings.append(act.data.get("record"))
        if any(meetings):
            facts.sync(meetings)

    def follow(self, act: pipeline.Act) -> None:
        matter_deadlines.sync(act.subject)

    def audit_payload(self, act: pipeline.Act) -> dict:
        return {"status": act.subject.status, **act.data}

    def record(self, act: pipeline.Act):
        """A matter's records are its meetings, written by their steps; a correction of
        one is a record of its own."""
        return _corrections().record_correction(act) if act.verb == "correct" else None

    # Corrections and hand-offs: services/corrections.py says what a matter allows of them.

    def returns(self, subject: Matter):
        return _corrections().returns(subject)

    def rewind(self, subject: Matter, to_step: str):
        return _corrections().rewind(subject, to_step)

    def last_act(self, subject: Matter):
        return _corrections().last_act(subject)

    def previous_act_on(self, subject: Matter):
        return _corrections().previous_act_on(subject)

    def correctable(self, subject: Matter) -> dict:
        return _corrections().correctable(subject)

    def correct(self, subject: Matter, target, new_date: date) -> None:
        _corrections().correct(subject, target, new_date)

    def approver_of(self, subject: Matter, target, actor) -> bool:
        return _corrections().approver_of(subject, target, actor)

    def pending(self, subject: Matter):
        return _corrections().pending(subject)

    def oversees(self, subject: Matter, actor) -> bool:
        return _corrections().oversees(subject, actor)

    def staff(self, subject: Matter) -> list:
        return roles.staff_over(subject.branch)


def _corrections():
    from . import corrections

    return corrections


MATTERS = MatterSteps()
MSG_ACTING = gettext_noop("（受书记委托主持）")
MSG_DELEGATION_NEEDED = gettext_noop(
    "书记不在时，%(title)s可以主持提议，但须有书记对%(day)s的委托记录，该日没有。"
    "请先在菜单“委托”（职责委托）中登记书记的委托（委托给%(name)s，包含该日），再登记本次会议"
)


def _check_date(on: date) -> None:
    if on > timezone.localdate():
        raise ProcedureError("date_in_future", _(MSG_FUTURE))


def hold(matter_id: int, actor) -> Matter:
    """A matter locked for a write that is not a step (a meeting planned, villagers'
    reading recorded): by those who record the village's matters."""
    matter = pipeline.hold(MATTERS, matter_id, actor)
    if not policy.may_act(matter, actor):
        raise NotAllowed("matter_forbidden", _(MSG_FORBIDDEN))
    return matter


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
    record_event(
        stream=stream_of(matter),
        action="registered",
        actor=actor,
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


def _resolution_meeting(matter: Matter) -> MatterMeeting:
    """The 决议 that stands (not undone by a return or withdrawal)."""
    return _corrections().acts(matter)[Step.RESOLVE].meeting


@transaction.atomic
def matter_publish_resolution(*, matter_id: int, actor, published_on: date | None = None):
    """一公开: the decision published in full on the village board (and the portal)."""
    matter = pipeline.begin(MATTERS, matter_id, "publish_resolution", actor)
    published_on = published_on or timezone.localdate()
    _check_date(published_on)
    meeting = _resolution_meeting(matter)
    rulebook = matter_deadlines.rulebook_of(matter)
    days = rulebook.param("publish_promptly", "days")
    due = calendar.add_workdays(matter.decided_on, days, count_start=False).value
    late = rulebook.require(rulebook.check("publish_promptly", late=published_on > due))
    notice = publicity.notice_draft(
        actor=None,
        village=matter.village,
        kind="resolution",
        subject=matter,
        issuer=f"{matter.village.name}村民委员会",
        title=f"{matter.village.name}关于{matter.title}的决议公开",
        fields={
            "matter": matter.title,
            "meeting": meeting.get_kind_display(),
            "decided_on": chinese_date(matter.decided_on),
            "attendance": f"应到{meeting.should_attend}人，实到{meeting.attended}人",
            "votes": f"同意{meeting.yes}，不同意{meeting.no}，弃权{meeting.abstain}",
            "decision": matter.decision or meeting.outcome,
        },
    )
    publicity.notice_publish(actor=None, notice=notice, published_on=published_on)
    pipeline.finish(
        MATTERS,
        matter,
        "publish_resolution",
        actor=actor,
        act_date=published_on,
        data={"notice": notice.pk, "late": [v.as_dict() for v in late]},
    )
    return matter


@transaction.atomic
def matter_record_progress(*, matter_id: int, actor, on: date, text: str) -> Matter:
    """实施: how the implementation goes."""
    matter = pipeline.begin(MATTERS, matter_id, "record_progress", actor)
    _check_date(on)
    if not (text or "").strip():
        raise ProcedureError("text_required", _(MSG_NOTHING))
    Progress.objects.create(
        matter=matter,
        on=on,
        text=text.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    pipeline.finish(
        MATTERS, matter, "record_progress", actor=actor, act_date=on, data={"text": text.strip()}
    )
    return matter


@transaction.atomic
def matter_publish_result(
    *, matter_id: int, actor, completed_on: date, result: str, published_on: date | None = None
) -> Matter:
    """结果公开: the result of the implementation made public."""
    matter = pipeline.begin(MATTERS, matter_id, "publish_result", actor)
    published_on = published_on or timezone.localdate()
    _check_date(published_on)
    if completed_on > published_on:
        raise ProcedureError("completed_after_publication", _(MSG_COMPLETED_LATER))
    if not (result or "").strip():
        raise ProcedureError("text_required", _(MSG_NOTHING))
    matter.result, matter.completed_on = result.strip(), completed_on
    notice = publicity.notice_draft(
        actor=None,
        village=matter.village,
        kind="result",
        subject=matter,
        issuer=f"{matter.village.name}村民委员会",
        title=f"{matter.village.name}关于{matter.title}的结果公开",
        fields={
            "matter": matter.title,
            "implementation": "；".join(p.text for p in matter.progress.all())[:500],
            "result": matter.result,
            "completed_on": chinese_date(completed_on),
        },
    )
    publicity.notice_publish(actor=None, notice=notice, published_on=published_on)
    pipeline.finish(
        MATTERS,
        matter,
        "publish_result",
        actor=actor,
        act_date=published_on,
        data={"notice": notice.pk, "completed_on": completed_on, "result": matter.result},
    )
    return matter


@transaction.atomic
def matter_acknowledge(
    *, matter_id: int, actor, on: date, channels: list[str], note: str = ""
) -> Matter:
    """一知晓: how the villagers were told the result (广播, 公开栏, 微信群, 入户)."""
    matter = pipeline.begin(MATTERS, matter_id, "acknowledge", actor)
    _check_date(on)
    chosen = [c for c in dict.fromkeys(channels) if c in Acknowledgement.Channel.values]
    if not chosen:
        raise ProcedureError("channels_required", _(MSG_CHANNELS))
    for channel in chosen:
        Acknowledgement.objects.create(matter=matter, channel=channel, on=on, note=note[:300])
    pipeline.finish(
        MATTERS, matter, "acknowledge", actor=actor, act_date=on, data={"channels": chosen}
    )
    return matter


@transaction.atomic
def matter_archive(*, matter_id: int, actor, on: date | None = None) -> Matter:
    matter = pipeline.begin(MATTERS, matter_id, "archive", actor)
    on = on or timezone.localdate()
    _check_date(on)
    pipeline.finish(MATTERS, matter, "archive", actor=actor, act_date=on, data={})
    return matter


def _exit(matter_id, actor, verb, reason, on) -> Matter:
    matter = pipeline.begin(MATTERS, matter_id, verb, actor)
    if not (reason or "").strip():
        raise ProcedureError("reason_required", _(MSG_REASON))
    matter.closed_reason = reason.strip()[:300]
    pipeline.finish(
        MATTERS,
        matter,
        verb,
        actor=actor,
        act_date=on or timezone.localdate(),
        data={"reason": matter.closed_reason},
    )
    return matter


@transaction.atomic
def matter_decline(*, matter_id: int, actor, reason: str, on: date | None = None) -> Matter:
    """不予提议."""
    return _exit(matter_id, actor, "decline", reason, on)


@transaction.atomic
def matter_withdraw(*, matter_id: int, actor, reason: str, on: date | None = None) -> Matter:
    """撤回 before the decision."""
    return _exit(matter_id, actor, "withdraw", reason, on)
