"""Member development's steps as the surfaces see them: for each step (and each side exit),
the fields it takes and the service that performs it. The staff form, the API body and its
schema, and the back-dated import are all built from this table (portal/surfaces/step_inputs.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import meetings
from procedures.people.models import Organisation
from workflows import amend_inputs
from workflows import inputs as i
from workflows.errors import ProcedureError

from . import permissions, services
from .models import Observation
from .services.base import CASES
from .steps import ANY_STEP, CHECKLIST, OBSERVING, STEPS, step_name

MSG_GROUP = gettext_noop("请选择本支部的党小组。")


def voters(case, on: date) -> list[tuple[int, str]]:
    """The branch's members who may vote on `on`: voters, chairs, recorders, mentors."""
    return [(person.pk, person.name) for person in meetings.voters(case.branch, on)]


def groups(case, on: date) -> list[tuple[int, str]]:
    kind = Organisation.Kind.PARTY_GROUP
    return list(
        Organisation.objects.filter(parent=case.branch, kind=kind).values_list("pk", "name")
    )


def _group(case, pk: int) -> Organisation:
    group = Organisation.objects.filter(
        pk=pk, parent_id=case.branch_id, kind=Organisation.Kind.PARTY_GROUP
    ).first()
    if group is None:
        raise ProcedureError("not_a_group_of_branch", _(MSG_GROUP))
    return group


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


# The fields steps share.
ON = i.date("on", "发生日期", today=True)
NOTE = i.text("note", "说明", 2000, optional=True)
FAILURE = i.flag(
    "record_failure", "会议（审查）确已进行但未通过的，如实记录为“未通过”", default=False
)
COMMITTEE = (
    ON,
    i.number("present", "到会人数", 100),
    i.number("yes", "同意", 100),
    FAILURE,
)
MEETING = (
    i.date("held_on", "会议日期"),
    i.records("present", "到会有表决权的党员", 2000, voters, quorum="more_than_half"),
    i.number("yes", "同意"),
    i.number("no", "不同意"),
    i.number("abstain", "弃权"),
    i.votes(
        "written", "书面意见（未到会人员）", 2000, voters, invalid="书面意见应按党员编号填写。"
    ),
    i.record("chair", "主持人", voters),
    i.record("recorder", "记录人", voters),
    FAILURE,
)
TALK = (ON, i.text("talker", "谈话人", 50, optional=True), NOTE)
REASON = i.text("reason", "理由", 300, blank=True)  # a blank one: the service asks for it
RECOMMENDATIONS = (
    ("members", "党员推荐"),
    ("youth_league", "团组织推优"),
    ("mass", "群团组织推优"),
)
S = services


def _committee(service, date_name: str, *extra: str):
    """A step decided by a committee's vote: its date, the count present and agreeing, the
    failure to record, and the step's own `extra` fields, passed by name."""

    def perform(case, actor, data):
        return service(
            case_id=case.pk,
            actor=actor,
            present=data["present"],
            yes=data["yes"],
            record_failure=data["record_failure"],
            **{date_name: data["on"]},
            **{name: data[name] for name in extra},
        )

    return perform


def _general_meeting(service):
    """A 支部大会's step: its attendance, ballot and written votes, and the failure to record."""
    return lambda c, a, d: service(
        case_id=c.pk, actor=a, attendance=_attendance(d), record_failure=d["record_failure"]
    )


def _talk(service):
    """A talk (the branch's ②, the township's ⑯): when, who talked, what was said."""
    return lambda c, a, d: service(
        case_id=c.pk, actor=a, talked_on=d["on"], talker=d["talker"], note=d["note"]
    )


def _dated(service, date_name: str) -> tuple:
    """A step that takes only the date of its act, passed as the service names it."""
    return ((ON,), lambda c, a, d: service(case_id=c.pk, actor=a, **{date_name: d["on"]}))


def _filed(verb: str) -> tuple:
    """④ ⑧ ⑱ 备案, and the 29-step variant's notifications: a date and nothing else."""
    return (
        (ON,),
        lambda c, a, d: S.case_file(case_id=c.pk, actor=a, verb=verb, filed_on=d["on"]),
    )


_DECLARED: dict[str, tuple] = {
    "talk": (
        TALK,
        _talk(S.case_talk),
    ),
    "choose_activist": (
        (*COMMITTEE, i.choice("recommendation", "推荐方式", RECOMMENDATIONS)),
        _committee(S.case_choose_activist, "decided_on", "recommendation"),
    ),
    "file_activist": _filed("file_activist"),
    "assign_mentors": (
        (ON, i.records("people", "培养联系人", 10, voters)),
        lambda c, a, d: S.case_assign_mentors(
            case_id=c.pk, actor=a, mentor_ids=d["people"], assigned_on=d["on"]
        ),
    ),
    "propose_candidate": (
        COMMITTEE,
        _committee(S.case_propose_candidate, "decided_on"),
    ),
    "choose_candidate": (
        (
            ON,
            i.optional_number("present", "到会人数", 100),
            i.optional_number("yes", "同意", 100),
            FAILURE,
        ),
        _committee(S.case_choose_candidate, "decided_on"),
    ),
    "file_candidate": _filed("file_candidate"),
    "assign_sponsors": (
        (ON, i.records("people", "入党介绍人", 10, voters)),
        lambda c, a, d: S.case_assign_sponsors(
            case_id=c.pk, actor=a, sponsor_ids=d["people"], assigned_on=d["on"]
        ),
    ),
    "record_review": (
        (ON, i.flag("passed", "政治审查合格"), NOTE, FAILURE),
        lambda c, a, d: S.case_record_review(
            case_id=c.pk,
            actor=a,
            reviewed_on=d["on"],
            passed=d["passed"],
            note=d["note"],
            record_failure=d["record_failure"],
        ),
    ),
    "record_training": (
        (ON, i.number("days", "培训天数", 365), i.number("hours", "培训学时", 2000)),
        lambda c, a, d: S.case_record_training(
            case_id=c.pk, actor=a, finished_on=d["on"], days=d["days"], hours=d["hours"]
        ),
    ),
    "committee_review": (
        COMMITTEE,
        _committee(S.case_committee_review, "held_on"),
    ),
    "pre_review": (
        (ON, i.text("reply", "预审书面意见", 2000, blank=True)),
        lambda c, a, d: S.case_pre_review(
            case_id=c.pk, actor=a, reviewed_on=d["on"], reply=d["reply"]
        ),
    ),
    "publish_admission": _dated(S.case_publish_admission, "published_on"),
    "fill_form": _dated(S.case_fill_form, "filled_on"),
    "branch_admit": (
        MEETING,
        _general_meeting(S.case_branch_admit),
    ),
    "committee_talk": (
        TALK,
        _talk(S.case_committee_talk),
    ),
    "approve": (
        (*COMMITTEE, i.text("special_reason", "特殊情况说明", 300, optional=True)),
        _committee(S.case_approve, "approved_on", "special_reason"),
    ),
    "notify_admission": _filed("notify_admission"),
    "file_upper": _filed("file_upper"),
    "assign_group": (
        (ON, i.record("group", "党小组", groups)),
        lambda c, a, d: S.case_assign_group(
            case_id=c.pk, actor=a, group=_group(c, d["group"]), assigned_on=d["on"]
        ),
    ),
    "take_oath": _dated(S.case_take_oath, "oath_on"),
    "apply_conversion": _dated(S.case_apply_conversion, "applied_on"),
    "publish_conversion": _dated(S.case_publish_conversion, "published_on"),
    "branch_convert": (
        MEETING,
        _general_meeting(S.case_branch_convert),
    ),
    "approve_conversion": _dated(S.case_approve_conversion, "approved_on"),
    "notify_conversion": _filed("notify_conversion"),
    "archive": _dated(S.case_archive, "archived_on"),
    # The side exits, and the return for 重新讨论.
    "stop": (
        (ON, REASON),
        lambda c, a, d: S.case_stop(case_id=c.pk, actor=a, stopped_on=d["on"], reason=d["reason"]),
    ),
    "extend_probation": (
        (ON, REASON, i.number("months", "延长月数", 120)),
        lambda c, a, d: S.case_extend_probation(
            case_id=c.pk, actor=a, decided_on=d["on"], months=d["months"], reason=d["reason"]
        ),
    ),
    "cancel": (
        (ON, REASON),
        lambda c, a, d: S.case_cancel(
            case_id=c.pk, actor=a, decided_on=d["on"], reason=d["reason"]
        ),
    ),
    "rediscuss": (
        (ON, i.text("reason", "退回理由", 300)),
        lambda c, a, d: S.case_rediscuss(
            case_id=c.pk, actor=a, decided_on=d["on"], reason=d["reason"]
        ),
    ),
}

STEP_INPUTS: dict[str, i.StepInput] = {
    code: i.StepInput(code, str(ANY_STEP[code].label), fields, perform)
    for code, (fields, perform) in _DECLARED.items()
}
# 退回, 撤回, 更正, 催办, 抄送: the engine's, as for every procedure.
STEP_INPUTS.update(amend_inputs.declared(CASES, [(step.code, str(step.label)) for step in STEPS]))


# Besides its steps, a case keeps the quarterly thought reports and half-yearly
# assessments, and the documents of its personal file: inputs that are no transition of
# its lifecycle, offered to those the service lets record them.
_STEP_OF_KIND = {kind: code for code, items in CHECKLIST.items() for kind, _label in items}


def _may_observe(case, user) -> str | None:
    """Offered when the service would take it (the same status and permission)."""
    if case.status in OBSERVING and permissions.may_observe(case, user):
        return _("登记思想汇报或考察意见")
    return None


def _may_file(case, user) -> str | None:
    return _("存入档案材料") if permissions.may_file(case, user) else None


def _file(case, actor, data):
    return services.case_add_material(
        case_id=case.pk,
        actor=actor,
        step=_STEP_OF_KIND[data["kind"]],
        kind=data["kind"],
        title=data["title"],
        file=data["file"][0] if data["file"] else None,
        reason=data["reason"],
    )


RECORD_INPUTS: dict[str, i.StepInput] = {
    "observe": i.StepInput(
        "observe",
        "登记思想汇报或考察意见",
        (
            i.choice(
                "kind", "类型", Observation.Kind.choices, invalid="请选择思想汇报或考察意见。"
            ),
            i.date("on", "日期"),
            i.text("summary", "内容摘要", 2000, optional=True),
        ),
        lambda c, a, d: services.case_observe(case_id=c.pk, actor=a, **d),
        offered=_may_observe,
    ),
    "add_material": i.StepInput(
        "add_material",
        "存入档案材料",
        (
            i.choice(
                "kind",
                "材料",
                [
                    (kind, f"{step_name(code)}：{label}")
                    for code, items in CHECKLIST.items()
                    for kind, label in items
                ],
                invalid="请从档案材料清单中选择。",
            ),
            i.text("title", "标题", 200, optional=True),
            i.files("file", "扫描件（PDF、JPG、PNG）", 1),
            i.text("reason", "更正原因（更正已审核的材料时填写）", 300, optional=True),
        ),
        _file,
        offered=_may_file,
    ),
}
