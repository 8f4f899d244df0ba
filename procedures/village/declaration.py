"""A village matter's steps as the surfaces see them: for each step (and the villagers'
meeting planned and announced, the households told in person, the exits), the fields it
takes and the service that performs it. The staff form, the API body and its schema are built
from this table (portal/surfaces/step_inputs.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from procedures.people import scopes
from procedures.people.meetings import positions_held, voters
from procedures.people.models import Household, Organisation, Person, Position
from workflows import amend_inputs
from workflows import inputs as i

from . import policy, services
from .deadlines import PLANNABLE
from .models import Acknowledgement, VillagersMeetingPlan
from .services.matters import MATTERS
from .steps import COMMITTEE_TITLES, JOINT_TITLES, MEETING_STEPS, READABLE, Step

# Not steps of the matter's lifecycle: the villagers' meeting planned and announced ahead,
# and the households told of the result in person.
EXTRA_LABELS = {
    "plan_villagers_meeting": "安排村民会议",
    "announce_villagers_meeting": "通知村民会议",
    "record_visits": "登记入户告知（一知晓）",
    "decline": "不予提议",
    "withdraw": "撤回事项",
}


def holders(titles) -> i.Options:
    """The options of those holding one of `titles` in the village's branch and committees
    on the day, each with the post: a meeting's chair, recorder and attendees."""

    def options(matter, on: date) -> list[tuple[int, str]]:
        branch = scopes.branch_of(matter.village)
        positions = (
            positions_held(branch, on, titles)
            .select_related("person")
            .order_by("title", "person__name")
        )
        return [(p.person_id, f"{p.person.name}（{p.get_title_display()}）") for p in positions]

    return options


officers = holders(JOINT_TITLES)


def members(matter, on: date) -> list[tuple[int, str]]:
    """The party members' meeting (审议): the branch's voters."""
    return [(p.pk, p.name) for p in voters(scopes.branch_of(matter.village), on)]


def representatives(matter, on: date) -> list[tuple[int, str]]:
    committee = Organisation.objects.filter(
        kind=Organisation.Kind.VILLAGERS_COMMITTEE, village=matter.village
    ).first()
    people = Person.objects.filter(
        positions__organisation=committee, positions__title=Position.Title.VILLAGER_REPRESENTATIVE
    ).distinct()
    return [(p.pk, p.name) for p in people]


def households(matter, on: date) -> list[tuple[int, str]]:
    rows = Household.objects.filter(village=matter.village).order_by("number")
    return [
        (h.pk, f"{h.number}号户" + (f"（{h.group_name}）" if h.group_name else "")) for h in rows
    ]


def _meeting_fields(attendee_options, *extra, quorum: str = "") -> tuple:
    return (
        i.date("held_on", "会议日期"),
        i.text("place", "地点", 100),
        i.record("chair", "主持人", officers),
        i.record("recorder", "记录人", officers),
        i.records("attendees", "到会人员", 3000, attendee_options, optional=True, quorum=quorum),
        i.number("yes", "同意", default=0),
        i.number("no", "不同意", default=0),
        i.number("abstain", "弃权", default=0),
        i.text("proposal", "议题", 2000, optional=True),
        i.text("outcome", "议定事项", 5000, optional=True),
        *extra,
    )


FAILURE = i.flag("record_failure", "会议未达到法定要求，如实记录为未获通过", default=False)
ON = i.date("on", "日期", today=True)
REASON = i.text("reason", "理由", 300, blank=True)  # a blank one: the service asks for it


def _meeting(data) -> services.MeetingInput:
    return services.MeetingInput(
        held_on=data["held_on"],
        place=data["place"],
        chair_id=data["chair"],
        recorder_id=data["recorder"],
        attendee_ids=data["attendees"],
        yes=data["yes"],
        no=data["no"],
        abstain=data["abstain"],
        proposal=data["proposal"],
        outcome=data["outcome"],
        villagers_meeting=data.get("villagers_meeting", False),
        present=data.get("present", 0),
        households_present=data.get("households_present", 0),
        announced_on=data.get("announced_on"),
        delegated=data.get("delegated", False),
        record_failure=data.get("record_failure", False),
    )


S = services
_DECLARED: dict[str, tuple] = {
    "propose": (
        _meeting_fields(holders(COMMITTEE_TITLES)),
        lambda m, a, d: S.matter_propose(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "consult": (
        _meeting_fields(officers),
        lambda m, a, d: S.matter_consult(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "propose_and_consult": (
        _meeting_fields(officers),
        lambda m, a, d: S.matter_propose_and_consult(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "deliberate": (
        _meeting_fields(members, FAILURE, quorum="more_than_half"),
        lambda m, a, d: S.matter_deliberate(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "resolve": (
        _meeting_fields(
            representatives,
            i.flag("villagers_meeting", "村民会议（否则为村民代表会议）", default=False),
            i.number("present", "村民会议到会人数", default=0),
            i.number("households_present", "到会户代表数", default=0),
            i.date("announced_on", "通知日期", optional=True),
            i.flag("delegated", "经村民会议授权", default=False),
            FAILURE,
        ),
        lambda m, a, d: S.matter_resolve(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "publish_resolution": (
        (ON,),
        lambda m, a, d: S.matter_publish_resolution(matter_id=m.pk, actor=a, published_on=d["on"]),
    ),
    "record_progress": (
        (ON, i.text("text", "进展", 2000)),
        lambda m, a, d: S.matter_record_progress(
            matter_id=m.pk, actor=a, on=d["on"], text=d["text"]
        ),
    ),
    "publish_result": (
        (ON, i.date("completed_on", "完成日期"), i.text("result", "实施结果", 2000)),
        lambda m, a, d: S.matter_publish_result(
            matter_id=m.pk,
            actor=a,
            completed_on=d["completed_on"],
            result=d["result"],
            published_on=d["on"],
        ),
    ),
    "acknowledge": (
        (
            ON,
            i.choices("channels", "告知方式", Acknowledgement.Channel.choices, 4),
            i.text("note", "说明", 300, optional=True),
        ),
        lambda m, a, d: S.matter_acknowledge(
            matter_id=m.pk, actor=a, on=d["on"], channels=d["channels"], note=d["note"]
        ),
    ),
    "plan_villagers_meeting": (
        (i.date("planned_on", "拟召开日期", future=True), i.text("place", "地点", 100)),
        lambda m, a, d: S.matter_plan_villagers_meeting(
            matter_id=m.pk, actor=a, planned_on=d["planned_on"], place=d["place"]
        ),
    ),
    "announce_villagers_meeting": (
        (
            i.date("announced_on", "通知日期", today=True),
            i.text("how", "通知方式（如广播、公开栏、微信群、入户）", 300),
        ),
        lambda m, a, d: S.matter_announce_villagers_meeting(
            matter_id=m.pk, actor=a, announced_on=d["announced_on"], how=d["how"]
        ),
    ),
    "record_visits": (
        (ON, i.records("households", "已入户告知的户", 5000, households)),
        lambda m, a, d: S.matter_record_visits(
            matter_id=m.pk, actor=a, household_ids=d["households"], on=d["on"]
        ),
    ),
    "archive": (
        (ON,),
        lambda m, a, d: S.matter_archive(matter_id=m.pk, actor=a, on=d["on"]),
    ),
    "decline": (
        (ON, REASON),
        lambda m, a, d: S.matter_decline(matter_id=m.pk, actor=a, reason=d["reason"], on=d["on"]),
    ),
    "withdraw": (
        (ON, REASON),
        lambda m, a, d: S.matter_withdraw(matter_id=m.pk, actor=a, reason=d["reason"], on=d["on"]),
    ),
}


# The side exits: a matter not proposed, or withdrawn before its decision.
EXITS = ("decline", "withdraw")
# The corrections and hand-offs (workflows.amend): a return names one of the meetings.
AMENDS = amend_inputs.declared(MATTERS, [(step, str(Step(step).label)) for step in MEETING_STEPS])


def _label(code: str) -> str:
    return str(Step(code).label) if code in Step.values else EXTRA_LABELS[code]


def _planning(matter, user) -> str | None:
    if matter.status not in PLANNABLE or not policy.may_act(matter, user):
        return None
    planned = VillagersMeetingPlan.objects.filter(matter=matter).exists()
    return _("村民会议改期") if planned else EXTRA_LABELS["plan_villagers_meeting"]


def _announcing(matter, user) -> str | None:
    if matter.status not in PLANNABLE or not policy.may_act(matter, user):
        return None
    plan = VillagersMeetingPlan.objects.filter(matter=matter).first()
    waiting = plan is not None and plan.announced_on is None
    return EXTRA_LABELS["announce_villagers_meeting"] if waiting else None


def _visiting(matter, user) -> str | None:
    if matter.status not in READABLE or not policy.may_act(matter, user):
        return None
    return EXTRA_LABELS["record_visits"]


# When a page offers the inputs that are no transition of the matter's lifecycle.
_OFFERED = {
    "plan_villagers_meeting": _planning,
    "announce_villagers_meeting": _announcing,
    "record_visits": _visiting,
}

STEP_INPUTS: dict[str, i.StepInput] = {
    code: i.StepInput(code, _label(code), fields, perform, _OFFERED.get(code))
    for code, (fields, perform) in _DECLARED.items()
}
STEP_INPUTS.update(AMENDS)
