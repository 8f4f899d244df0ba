"""What each step of a member development case takes as input, and which service it calls:
shared by the API and the staff pages, so both parse and refuse alike."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from procedures.membership import services
from procedures.membership.models import Case, Observation
from procedures.membership.steps import CHECKLIST
from procedures.people.models import Organisation
from workflows.errors import ProcedureError

from . import step_inputs
from .params import positive_int
from .step_inputs import count_field, id_field


class OpenCaseInput(serializers.Serializer):
    person = id_field(label="申请人")
    branch = id_field(label="党支部")
    applied_on = serializers.DateField(label="递交申请书日期")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label="说明"
    )


class ObservationInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Observation.Kind.choices,
        label="类型",
        error_messages={"invalid_choice": "请选择思想汇报或考察意见。"},
    )
    on = serializers.DateField(label="日期")
    summary = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", label="内容摘要"
    )


class MaterialInput(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(CHECKLIST), label="步骤")
    kind = serializers.CharField(max_length=40, label="材料")
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label="标题"
    )
    file = serializers.FileField(required=False, label="文件")


class DatedInput(serializers.Serializer):
    on = serializers.DateField(default=timezone.localdate, label="发生日期")


def _record_failure() -> serializers.BooleanField:
    return serializers.BooleanField(
        required=False,
        default=False,
        label="会议（审查）确已进行但未通过的，如实记录为“未通过”",
    )


class CommitteeInput(DatedInput):
    present = serializers.IntegerField(min_value=0, max_value=100, label="到会人数")
    yes = serializers.IntegerField(min_value=0, max_value=100, label="同意")
    record_failure = _record_failure()


class ActivistInput(CommitteeInput):
    recommendation = serializers.ChoiceField(
        choices=["members", "youth_league", "mass"], label="推荐方式"
    )


class CandidateInput(DatedInput):
    present = serializers.IntegerField(min_value=0, max_value=100, required=False, label="到会人数")
    yes = serializers.IntegerField(min_value=0, max_value=100, required=False, label="同意")
    record_failure = _record_failure()


class PeopleInput(DatedInput):
    people = serializers.ListField(child=id_field(), max_length=10, label="人员")


class TalkInput(DatedInput):
    talker = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50, label="谈话人"
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label="说明"
    )


class ReviewInput(DatedInput):
    passed = serializers.BooleanField(label="政治审查合格")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, label="说明"
    )
    record_failure = _record_failure()


class TrainingInput(DatedInput):
    days = serializers.IntegerField(min_value=0, max_value=365, label="培训天数")
    hours = serializers.IntegerField(min_value=0, max_value=2000, label="培训学时")


class ReplyInput(DatedInput):
    reply = serializers.CharField(max_length=2000, allow_blank=True, label="预审书面意见")


class GeneralMeetingInput(serializers.Serializer):
    held_on = serializers.DateField(label="会议日期")
    present = serializers.ListField(child=id_field(), max_length=2000, label="到会有表决权的党员")
    yes = count_field(label="同意")
    no = count_field(label="不同意")
    abstain = count_field(label="弃权")
    written = serializers.DictField(
        child=serializers.ChoiceField(choices=["yes", "no", "abstain"]),
        required=False,
        default=dict,
        label="书面意见",
    )
    chair = id_field(label="主持人")
    recorder = id_field(label="记录人")
    record_failure = _record_failure()

    def validate_written(self, value: dict) -> dict:
        if len(value) > 2000 or any(positive_int(str(key)) is None for key in value):
            raise serializers.ValidationError("书面意见应按党员编号填写。")
        return value


class ApprovalInput(CommitteeInput):
    special_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, label="特殊情况说明"
    )


class GroupInput(DatedInput):
    group = id_field(label="党小组")


class CaseReasonInput(DatedInput):
    reason = serializers.CharField(max_length=300, allow_blank=True, label="理由")


class ExtensionInput(CaseReasonInput):
    months = serializers.IntegerField(min_value=0, max_value=120, label="延长月数")


class RediscussInput(DatedInput):
    reason = serializers.CharField(max_length=300, label="退回理由")


def _attendance(data) -> services.Attendance:
    return services.Attendance(
        held_on=data["held_on"],
        present_ids=data["present"],
        yes=data["yes"],
        no=data["no"],
        abstain=data["abstain"],
        written={int(k): v for k, v in data["written"].items()},
        chair_id=data["chair"],
        recorder_id=data["recorder"],
    )


def _group(branch_id: int, pk: int) -> Organisation:
    group = Organisation.objects.filter(pk=pk, parent_id=branch_id).first()
    if group is None:
        raise ProcedureError("not_a_group_of_branch", "请选择本支部的党小组。")
    return group


# step -> (input serializer, how the parsed input calls the step's service)
STEP_INPUTS: dict[str, tuple[type[serializers.Serializer], Any]] = {
    "talk": (
        TalkInput,
        lambda c, a, d: services.case_talk(
            case_id=c.pk, actor=a, talked_on=d["on"], talker=d["talker"], note=d["note"]
        ),
    ),
    "choose_activist": (
        ActivistInput,
        lambda c, a, d: services.case_choose_activist(
            case_id=c.pk,
            actor=a,
            decided_on=d["on"],
            recommendation=d["recommendation"],
            present=d["present"],
            yes=d["yes"],
            record_failure=d["record_failure"],
        ),
    ),
    "file_activist": (
        DatedInput,
        lambda c, a, d: services.case_file(
            case_id=c.pk, actor=a, verb="file_activist", filed_on=d["on"]
        ),
    ),
    "assign_mentors": (
        PeopleInput,
        lambda c, a, d: services.case_assign_mentors(
            case_id=c.pk, actor=a, mentor_ids=d["people"], assigned_on=d["on"]
        ),
    ),
    "propose_candidate": (
        CommitteeInput,
        lambda c, a, d: services.case_propose_candidate(
            case_id=c.pk,
            actor=a,
            decided_on=d["on"],
            present=d["present"],
            yes=d["yes"],
            record_failure=d["record_failure"],
        ),
    ),
    "choose_candidate": (
        CandidateInput,
        lambda c, a, d: services.case_choose_candidate(
            case_id=c.pk,
            actor=a,
            decided_on=d["on"],
            present=d.get("present"),
            yes=d.get("yes"),
            record_failure=d["record_failure"],
        ),
    ),
    "file_candidate": (
        DatedInput,
        lambda c, a, d: services.case_file(
            case_id=c.pk, actor=a, verb="file_candidate", filed_on=d["on"]
        ),
    ),
    "assign_sponsors": (
        PeopleInput,
        lambda c, a, d: services.case_assign_sponsors(
            case_id=c.pk, actor=a, sponsor_ids=d["people"], assigned_on=d["on"]
        ),
    ),
    "record_review": (
        ReviewInput,
        lambda c, a, d: services.case_record_review(
            case_id=c.pk,
            actor=a,
            reviewed_on=d["on"],
            passed=d["passed"],
            note=d["note"],
            record_failure=d["record_failure"],
        ),
    ),
    "record_training": (
        TrainingInput,
        lambda c, a, d: services.case_record_training(
            case_id=c.pk, actor=a, finished_on=d["on"], days=d["days"], hours=d["hours"]
        ),
    ),
    "committee_review": (
        CommitteeInput,
        lambda c, a, d: services.case_committee_review(
            case_id=c.pk,
            actor=a,
            held_on=d["on"],
            present=d["present"],
            yes=d["yes"],
            record_failure=d["record_failure"],
        ),
    ),
    "pre_review": (
        ReplyInput,
        lambda c, a, d: services.case_pre_review(
            case_id=c.pk, actor=a, reviewed_on=d["on"], reply=d["reply"]
        ),
    ),
    "publish_admission": (
        DatedInput,
        lambda c, a, d: services.case_publish_admission(
            case_id=c.pk, actor=a, published_on=d["on"]
        ),
    ),
    "fill_form": (
        DatedInput,
        lambda c, a, d: services.case_fill_form(case_id=c.pk, actor=a, filled_on=d["on"]),
    ),
    "branch_admit": (
        GeneralMeetingInput,
        lambda c, a, d: services.case_branch_admit(
            case_id=c.pk, actor=a, attendance=_attendance(d), record_failure=d["record_failure"]
        ),
    ),
    "committee_talk": (
        TalkInput,
        lambda c, a, d: services.case_committee_talk(
            case_id=c.pk, actor=a, talked_on=d["on"], talker=d["talker"], note=d["note"]
        ),
    ),
    "approve": (
        ApprovalInput,
        lambda c, a, d: services.case_approve(
            case_id=c.pk,
            actor=a,
            approved_on=d["on"],
            present=d["present"],
            yes=d["yes"],
            special_reason=d["special_reason"],
            record_failure=d["record_failure"],
        ),
    ),
    "notify_admission": (
        DatedInput,
        lambda c, a, d: services.case_file(
            case_id=c.pk, actor=a, verb="notify_admission", filed_on=d["on"]
        ),
    ),
    "notify_conversion": (
        DatedInput,
        lambda c, a, d: services.case_file(
            case_id=c.pk, actor=a, verb="notify_conversion", filed_on=d["on"]
        ),
    ),
    "file_upper": (
        DatedInput,
        lambda c, a, d: services.case_file(
            case_id=c.pk, actor=a, verb="file_upper", filed_on=d["on"]
        ),
    ),
    "assign_group": (
        GroupInput,
        lambda c, a, d: services.case_assign_group(
            case_id=c.pk, actor=a, group=_group(c.branch_id, d["group"]), assigned_on=d["on"]
        ),
    ),
    "take_oath": (
        DatedInput,
        lambda c, a, d: services.case_take_oath(case_id=c.pk, actor=a, oath_on=d["on"]),
    ),
    "apply_conversion": (
        DatedInput,
        lambda c, a, d: services.case_apply_conversion(case_id=c.pk, actor=a, applied_on=d["on"]),
    ),
    "publish_conversion": (
        DatedInput,
        lambda c, a, d: services.case_publish_conversion(
            case_id=c.pk, actor=a, published_on=d["on"]
        ),
    ),
    "branch_convert": (
        GeneralMeetingInput,
        lambda c, a, d: services.case_branch_convert(
            case_id=c.pk, actor=a, attendance=_attendance(d), record_failure=d["record_failure"]
        ),
    ),
    "approve_conversion": (
        DatedInput,
        lambda c, a, d: services.case_approve_conversion(
            case_id=c.pk, actor=a, approved_on=d["on"]
        ),
    ),
    "archive": (
        DatedInput,
        lambda c, a, d: services.case_archive(case_id=c.pk, actor=a, archived_on=d["on"]),
    ),
    "stop": (
        CaseReasonInput,
        lambda c, a, d: services.case_stop(
            case_id=c.pk, actor=a, stopped_on=d["on"], reason=d["reason"]
        ),
    ),
    "extend_probation": (
        ExtensionInput,
        lambda c, a, d: services.case_extend_probation(
            case_id=c.pk, actor=a, decided_on=d["on"], months=d["months"], reason=d["reason"]
        ),
    ),
    "cancel": (
        CaseReasonInput,
        lambda c, a, d: services.case_cancel(
            case_id=c.pk, actor=a, decided_on=d["on"], reason=d["reason"]
        ),
    ),
    "rediscuss": (
        RediscussInput,
        lambda c, a, d: services.case_rediscuss(
            case_id=c.pk, actor=a, decided_on=d["on"], reason=d["reason"]
        ),
    ),
}


def perform(case: Case, step: str, actor, data, *, check_only: bool = False) -> Case:
    """Parse `data` for the case's `step` and perform it (or, with `check_only`, check it)."""
    return step_inputs.run(STEP_INPUTS, case, step, actor, data, check_only=check_only)
