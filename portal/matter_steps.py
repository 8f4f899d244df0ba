"""What each step of a village matter takes as input and which service it calls: shared by
the API and the staff pages."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from procedures.village import services
from procedures.village.models import Acknowledgement, Matter
from procedures.village.steps import Category

from . import step_inputs
from .step_inputs import count_field, id_field


class RegisterInput(serializers.Serializer):
    village = id_field(label="行政村")
    title = serializers.CharField(max_length=200, label="事项")
    category = serializers.ChoiceField(choices=Category.choices, label="类别")
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, label="内容"
    )


class MatterMeetingInput(serializers.Serializer):
    held_on = serializers.DateField(label="会议日期")
    place = serializers.CharField(max_length=100, label="地点")
    chair = id_field(label="主持人")
    recorder = id_field(label="记录人")
    attendees = serializers.ListField(
        child=id_field(),
        required=False,
        default=list,
        max_length=3000,
        label="到会人员",
    )
    yes = count_field(required=False, default=0, label="同意")
    no = count_field(required=False, default=0, label="不同意")
    abstain = count_field(required=False, default=0, label="弃权")
    proposal = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label="议题"
    )
    outcome = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000, label="议定事项"
    )


class ResolutionInput(MatterMeetingInput):
    villagers_meeting = serializers.BooleanField(
        required=False, default=False, label="村民会议（否则为村民代表会议）"
    )
    present = count_field(required=False, default=0, label="村民会议到会人数")
    households_present = count_field(required=False, default=0, label="到会户代表数")
    announced_on = serializers.DateField(
        required=False, allow_null=True, default=None, label="通知日期"
    )
    delegated = serializers.BooleanField(required=False, default=False, label="经村民会议授权")
    record_failure = serializers.BooleanField(
        required=False, default=False, label="会议未达到法定要求，如实记录为未获通过"
    )


class MatterDatedInput(serializers.Serializer):
    on = serializers.DateField(default=timezone.localdate, label="日期")


class ProgressInput(MatterDatedInput):
    text = serializers.CharField(max_length=2000, label="进展")


class ResultInput(MatterDatedInput):
    completed_on = serializers.DateField(label="完成日期")
    result = serializers.CharField(max_length=2000, label="实施结果")


class AcknowledgeInput(MatterDatedInput):
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Acknowledgement.Channel.choices),
        max_length=4,
        label="告知方式",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, label="说明"
    )


class MatterReasonInput(MatterDatedInput):
    reason = serializers.CharField(max_length=300, allow_blank=True, label="理由")


class PlanInput(serializers.Serializer):
    planned_on = serializers.DateField(label="拟召开日期")
    place = serializers.CharField(max_length=100, label="地点")


class AnnounceInput(serializers.Serializer):
    announced_on = serializers.DateField(default=timezone.localdate, label="通知日期")
    how = serializers.CharField(max_length=300, label="通知方式（如广播、公开栏、微信群、入户）")


class VisitsInput(MatterDatedInput):
    households = serializers.ListField(child=id_field(), max_length=5000, label="已入户告知的户")


# Not steps of the matter's lifecycle: the villagers' meeting planned and announced ahead,
# and the households told of the result in person.
EXTRA_LABELS = {
    "plan_villagers_meeting": "安排村民会议",
    "announce_villagers_meeting": "通知村民会议",
    "record_visits": "登记入户告知（一知晓）",
}


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
STEP_INPUTS: dict[str, tuple[type[serializers.Serializer], Any]] = {
    "propose": (
        MatterMeetingInput,
        lambda m, a, d: S.matter_propose(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "consult": (
        MatterMeetingInput,
        lambda m, a, d: S.matter_consult(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "propose_and_consult": (
        MatterMeetingInput,
        lambda m, a, d: S.matter_propose_and_consult(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "deliberate": (
        MatterMeetingInput,
        lambda m, a, d: S.matter_deliberate(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "resolve": (
        ResolutionInput,
        lambda m, a, d: S.matter_resolve(matter_id=m.pk, actor=a, meeting=_meeting(d)),
    ),
    "publish_resolution": (
        MatterDatedInput,
        lambda m, a, d: S.matter_publish_resolution(matter_id=m.pk, actor=a, published_on=d["on"]),
    ),
    "record_progress": (
        ProgressInput,
        lambda m, a, d: S.matter_record_progress(
            matter_id=m.pk, actor=a, on=d["on"], text=d["text"]
        ),
    ),
    "publish_result": (
        ResultInput,
        lambda m, a, d: S.matter_publish_result(
            matter_id=m.pk,
            actor=a,
            completed_on=d["completed_on"],
            result=d["result"],
            published_on=d["on"],
        ),
    ),
    "acknowledge": (
        AcknowledgeInput,
        lambda m, a, d: S.matter_acknowledge(
            matter_id=m.pk, actor=a, on=d["on"], channels=d["channels"], note=d["note"]
        ),
    ),
    "plan_villagers_meeting": (
        PlanInput,
        lambda m, a, d: S.matter_plan_villagers_meeting(
            matter_id=m.pk, actor=a, planned_on=d["planned_on"], place=d["place"]
        ),
    ),
    "announce_villagers_meeting": (
        AnnounceInput,
        lambda m, a, d: S.matter_announce_villagers_meeting(
            matter_id=m.pk, actor=a, announced_on=d["announced_on"], how=d["how"]
        ),
    ),
    "record_visits": (
        VisitsInput,
        lambda m, a, d: S.matter_record_visits(
            matter_id=m.pk, actor=a, household_ids=d["households"], on=d["on"]
        ),
    ),
    "archive": (
        MatterDatedInput,
        lambda m, a, d: S.matter_archive(matter_id=m.pk, actor=a, on=d["on"]),
    ),
    "decline": (
        MatterReasonInput,
        lambda m, a, d: S.matter_decline(matter_id=m.pk, actor=a, reason=d["reason"], on=d["on"]),
    ),
    "withdraw": (
        MatterReasonInput,
        lambda m, a, d: S.matter_withdraw(matter_id=m.pk, actor=a, reason=d["reason"], on=d["on"]),
    ),
}


def perform(matter: Matter, step: str, actor, data) -> Matter:
    return step_inputs.run(STEP_INPUTS, matter, step, actor, data)
