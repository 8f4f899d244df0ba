"""The steps of member development: the 25 official steps of the 2014 细则, grouped in 5
stages, and the extra notice points of the 29-step local variant. Statuses of a case are
named after the step last completed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people import roles
from workflows.timing import Notice, Span, Timing


class Status(models.TextChoices):
    APPLIED = "applied", _("已递交入党申请书")
    TALKED = "talked", _("已谈话")
    ACTIVIST = "activist", _("已确定为入党积极分子")
    ACTIVIST_FILED = "activist_filed", _("入党积极分子已备案")
    CULTIVATING = "cultivating", _("培养教育考察中")
    CANDIDATE_NOTICE = "candidate_notice", _("发展对象公示中")
    CANDIDATE = "candidate", _("已确定为发展对象")
    CANDIDATE_FILED = "candidate_filed", _("发展对象已备案")
    SPONSORED = "sponsored", _("已确定入党介绍人")
    REVIEWED = "reviewed", _("政治审查合格")
    TRAINED = "trained", _("已完成集中培训")
    COMMITTEE_REVIEWED = "committee_reviewed", _("支部委员会已审查")
    PRE_REVIEWED = "pre_reviewed", _("上级党委已预审")
    ADMISSION_NOTICE = "admission_notice", _("拟接收预备党员公示中")
    FORM_FILLED = "form_filled", _("已填写入党志愿书")
    BRANCH_ADMITTED = "branch_admitted", _("支部大会已通过接收")
    COMMITTEE_TALKED = "committee_talked", _("上级党委已派人谈话")
    APPROVED = "approved", _("上级党委已审批")
    ADMISSION_NOTIFIED = "admission_notified", _("已通知党支部审批结果")
    FILED_UPPER = "filed_upper", _("已报县委组织部备案")
    GROUPED = "grouped", _("已编入党支部和党小组")
    PROBATION = "probation", _("预备期（已宣誓）")
    CONVERSION_APPLIED = "conversion_applied", _("已提出转正申请")
    CONVERSION_NOTICE = "conversion_notice", _("转正公示中")
    CONVERSION_VOTED = "conversion_voted", _("支部大会已通过转正")
    CONVERTED = "converted", _("已转为正式党员")
    CONVERSION_NOTIFIED = "conversion_notified", _("已通知党支部转正审批结果")
    ARCHIVED = "archived", _("材料已归档")
    STOPPED = "stopped", _("不予确定/停止培养")
    CANCELLED = "cancelled", _("已取消预备党员资格")


class Variant(models.TextChoices):
    STANDARD = "standard-25", _("25个步骤（《细则》）")
    LOCAL = "local-29", _("29个步骤（地方规程，增加公示和通知环节）")


# Who acts: the roles' one table, shared by every procedure.
Role = roles.Role


@dataclass(frozen=True)
class Step:
    code: str  # the service verb
    number: int  # official step number (1-25); 0 for the variant's extra points
    name: str
    stage: int
    role: str
    reached: str  # the status once done


_S = Status
STEPS: tuple[Step, ...] = (
    Step("apply", 1, "递交入党申请书", 1, Role.BRANCH, _S.APPLIED),
    Step("talk", 2, "党组织派人谈话", 1, Role.BRANCH, _S.TALKED),
    Step("choose_activist", 3, "推荐和确定入党积极分子", 2, Role.BRANCH, _S.ACTIVIST),
    Step("file_activist", 4, "报上级党委备案", 2, Role.TOWNSHIP, _S.ACTIVIST_FILED),
    Step("assign_mentors", 5, "指定培养联系人", 2, Role.BRANCH, _S.CULTIVATING),
    Step("propose_candidate", 0, "发展对象公示", 3, Role.BRANCH, _S.CANDIDATE_NOTICE),
    Step("choose_candidate", 7, "确定发展对象", 3, Role.BRANCH, _S.CANDIDATE),
    Step("file_candidate", 8, "报上级党委备案", 3, Role.TOWNSHIP, _S.CANDIDATE_FILED),
    Step("assign_sponsors", 9, "确定入党介绍人", 3, Role.BRANCH, _S.SPONSORED),
    Step("record_review", 10, "政治审查", 3, Role.BRANCH, _S.REVIEWED),
    Step("record_training", 11, "开展集中培训", 3, Role.TOWNSHIP, _S.TRAINED),
    Step("committee_review", 12, "支部委员会审查", 4, Role.BRANCH, _S.COMMITTEE_REVIEWED),
    Step("pre_review", 13, "上级党委预审", 4, Role.TOWNSHIP, _S.PRE_REVIEWED),
    Step("publish_admission", 0, "拟接收预备党员公示", 4, Role.TOWNSHIP, _S.ADMISSION_NOTICE),
    Step("fill_form", 14, "填写入党志愿书", 4, Role.BRANCH, _S.FORM_FILLED),
    Step("branch_admit", 15, "支部大会讨论", 4, Role.BRANCH, _S.BRANCH_ADMITTED),
    Step("committee_talk", 16, "上级党委派人谈话", 4, Role.TOWNSHIP, _S.COMMITTEE_TALKED),
    Step("approve", 17, "上级党委审批", 4, Role.TOWNSHIP, _S.APPROVED),
    Step("notify_admission", 0, "通知党支部审批结果", 4, Role.TOWNSHIP, _S.ADMISSION_NOTIFIED),
    Step("file_upper", 18, "再上一级党委组织部门备案", 4, Role.COUNTY, _S.FILED_UPPER),
    Step("assign_group", 19, "编入党支部和党小组", 5, Role.BRANCH, _S.GROUPED),
    Step("take_oath", 20, "入党宣誓", 5, Role.BRANCH, _S.PROBATION),
    Step("apply_conversion", 22, "提出转正申请", 5, Role.BRANCH, _S.CONVERSION_APPLIED),
    Step("publish_conversion", 0, "转正公示", 5, Role.BRANCH, _S.CONVERSION_NOTICE),
    Step("branch_convert", 23, "支部大会讨论", 5, Role.BRANCH, _S.CONVERSION_VOTED),
    Step("approve_conversion", 24, "上级党委审批", 5, Role.TOWNSHIP, _S.CONVERTED),
    Step(
        "notify_conversion", 0, "通知党支部转正审批结果", 5, Role.TOWNSHIP, _S.CONVERSION_NOTIFIED
    ),
    Step("archive", 25, "材料归档", 5, Role.BRANCH, _S.ARCHIVED),
)
BY_CODE = {step.code: step for step in STEPS}

# Acts off the main path, each with the role that performs it: the side exits, and the
# return of a resolution sent up too late, back to the 支部大会 (重新讨论).
EXIT_STEPS: tuple[Step, ...] = (
    Step("stop", 0, "不予确定/停止培养", 0, Role.BRANCH, _S.STOPPED),
    Step("extend_probation", 0, "延长预备期", 5, Role.TOWNSHIP, _S.PROBATION),
    Step("cancel", 0, "取消预备党员资格", 5, Role.TOWNSHIP, _S.CANCELLED),
    Step("rediscuss", 0, "退回支部大会重新讨论", 4, Role.TOWNSHIP, _S.FORM_FILLED),
)
EXITS = {step.code: step.name for step in EXIT_STEPS}
ANY_STEP = {**BY_CODE, **{step.code: step for step in EXIT_STEPS}}
# A return and the last step that still stands after it: every later step is done again.
RETURNS = {"rediscuss": "fill_form"}


# 退回: the step a case waits for, taken by the township or the county, and the earlier
# steps its taker may send the case back to, to be taken again with every step after them
# (细则 第十九条: the 预审 sends back for the materials; 第二十四条: the approval sends the
# resolution back to the 支部大会 for 重新讨论).
RETURNABLE: dict[str, tuple[str, ...]] = {
    "file_activist": ("talk", "choose_activist"),
    "file_candidate": ("choose_candidate",),
    "pre_review": ("record_review", "committee_review"),
    "committee_talk": ("branch_admit",),
    "approve": ("fill_form", "branch_admit"),
    "file_upper": ("approve",),
    "approve_conversion": ("branch_convert",),
}
# What each step sets on the case: cleared when the step is undone.
SETS: dict[str, tuple[str, ...]] = {
    "talk": ("talked_on",),
    "choose_activist": ("activist_on",),
    "choose_candidate": ("candidate_on",),
    "pre_review": ("pre_reviewed_on",),
    "branch_admit": (
        "admitted_on",
        "probation_ends_on",
        "admitted_education",
        "admitted_occupation",
    ),
    "approve": ("approved_on",),
    "take_oath": ("oath_on",),
    "branch_convert": ("conversion_voted_on",),
    "approve_conversion": ("converted_on",),
}
# The person's party standing each step gives him, latest first (none done: 入党申请人).
STANDINGS = (
    ("approve_conversion", "full"),
    ("approve", "probationary"),
    ("choose_candidate", "candidate"),
    ("choose_activist", "activist"),
)
# Steps their actor cannot take back (撤回): the first, and those that opened a public
# notice (the villagers have read it; a correction or a return is the way).
NOT_TAKEN_BACK = frozenset(
    {"apply", "propose_candidate", "publish_admission", "publish_conversion"}
)


def steps_after(code: str) -> list[str]:
    """The steps of the path after `code`, in order."""
    codes = [step.code for step in STEPS]
    return codes[codes.index(code) + 1 :]


# Corrections and hand-offs (workflows.amend), as the record names them.
AMENDS = {
    "send_back": _("退回"),
    "take_back": _("撤回"),
    "correct": _("更正"),
    "press": _("催办"),
    "copy": _("抄送"),
}


def step_name(code: str) -> str:
    step = ANY_STEP.get(code)
    return str(step.name) if step else str(AMENDS.get(code, code))


STAGES = {
    1: _("申请入党"),
    2: _("入党积极分子的确定和培养教育"),
    3: _("发展对象的确定和考察"),
    4: _("预备党员的接收"),
    5: _("预备党员的教育考察和转正"),
}
# Statuses before admission (a stop returns the person to the masses) and after it.
BEFORE_ADMISSION = [
    _S.APPLIED,
    _S.TALKED,
    _S.ACTIVIST,
    _S.ACTIVIST_FILED,
    _S.CULTIVATING,
    _S.CANDIDATE_NOTICE,
    _S.CANDIDATE,
    _S.CANDIDATE_FILED,
    _S.SPONSORED,
    _S.REVIEWED,
    _S.TRAINED,
    _S.COMMITTEE_REVIEWED,
    _S.PRE_REVIEWED,
    _S.ADMISSION_NOTICE,
    _S.FORM_FILLED,
    _S.BRANCH_ADMITTED,
    _S.COMMITTEE_TALKED,
]
PROBATIONARY = [
    _S.APPROVED,
    _S.FILED_UPPER,
    _S.GROUPED,
    _S.PROBATION,
    _S.CONVERSION_APPLIED,
    _S.CONVERSION_NOTICE,
    _S.CONVERSION_VOTED,
]

# What each step must leave in the personal file (全程纪实): checked before archiving.
CHECKLIST: dict[str, tuple[tuple[str, str], ...]] = {
    "apply": (("application", _("入党申请书")),),
    "talk": (("talk_record", _("谈话记录")),),
    "choose_activist": (("recommendation", _("推荐材料（党员推荐或推优）")),),
    "choose_candidate": (
        ("cultivation_record", _("入党积极分子培养教育考察登记表")),
        ("thought_reports", _("思想汇报")),
        ("mass_forum", _("群众座谈会记录")),
    ),
    "record_review": (("political_review", _("政审材料")),),
    "record_training": (
        ("training_assessment", _("入党积极分子培训学员考核表")),
        ("training_certificate", _("党校结业证书")),
    ),
    "pre_review": (("pre_review_reply", _("发展对象预审表")),),
    "fill_form": (("admission_form", _("中国共产党入党志愿书")),),
    "branch_admit": (("admission_vote_tally", _("支部大会票决情况统计表")),),
    "apply_conversion": (
        ("conversion_application", _("转正申请")),
        ("probation_record", _("预备党员教育考察登记表")),
    ),
    "branch_convert": (("conversion_vote_tally", _("支部大会票决情况汇总表")),),
    "archive": (
        ("full_record", _("发展党员工作全程纪实表")),
        ("archive_index", _("发展党员档案台账目录")),
    ),
}


# The 29-step variant's extra points: two notices and two notifications of the result.
LOCAL_ONLY = ("publish_admission", "notify_admission", "publish_conversion", "notify_conversion")


def applicable_steps(*, variant: str, candidate_notice: bool) -> list[Step]:
    """The steps a case goes through under its variant and rulebook, in order."""
    steps = []
    for step in STEPS:
        if step.code == "propose_candidate" and not candidate_notice:
            continue
        if step.code in LOCAL_ONLY and variant != Variant.LOCAL:
            continue
        steps.append(step)
    return steps


# When each step may happen and when it is due, as the rules give it: the projection, the
# deadline rows, the flow's timers and the hints all read this (workflows.timing).
_CULTIVATED = Span("cultivation_period", "years", since="activist_on")
_PROBATION_ENDS = Span(
    "probation_length", "years", since="admitted_on", recorded="probation_ends_on"
)
NO_TIMING = Timing()
TIMING: dict[str, Timing] = {
    "talk": Timing(deadline=Span("talk_deadline", since="applied_on")),
    "propose_candidate": Timing(earliest=(_CULTIVATED,)),
    "choose_candidate": Timing(
        earliest=(_CULTIVATED, Notice("candidate_notice", published_by="propose_candidate"))
    ),
    "pre_review": Timing(deadline=Span("pre_review_deadline", since="step:committee_review")),
    "branch_admit": Timing(
        earliest=(Notice("admission_notice", published_by="publish_admission"),),
        deadline=Span("branch_meeting_deadline", since="pre_reviewed_on"),
    ),
    "approve": Timing(deadline=Span("approval_deadline", since="admitted_on")),
    "take_oath": Timing(deadline=Span("oath_deadline", since="approved_on")),
    # The conversion is asked for a month before the probation ends (the task and the
    # reminder appear then); it is discussed once it has ended.
    "apply_conversion": Timing(
        earliest=(
            Span(
                "probation_length",
                "years",
                since="admitted_on",
                recorded="probation_ends_on",
                less_months=1,
            ),
        )
    ),
    "branch_convert": Timing(
        earliest=(_PROBATION_ENDS, Notice("conversion_notice", published_by="publish_conversion"))
    ),
    "approve_conversion": Timing(
        deadline=Span("conversion_approval_deadline", since="conversion_voted_on")
    ),
}

# The rules each step checks, for its form's hints (citations) and the case page; the
# rules of its timing are added below.
STEP_RULES: dict[str, tuple[str, ...]] = {
    "apply": ("min_age",),
    "talk": ("talk_deadline",),
    "choose_activist": (
        "activist_recommendation",
        "youth_league_recommendation",
        "activist_committee",
    ),
    "assign_mentors": ("mentors",),
    "propose_candidate": (
        "candidate_committee",
        "cultivation_period",
        "half_year_assessments",
        "thought_reports",
        "candidate_notice",
    ),
    "choose_candidate": (
        "candidate_committee",
        "cultivation_period",
        "half_year_assessments",
        "thought_reports",
        "candidate_notice",
    ),
    "assign_sponsors": ("sponsors",),
    "record_review": ("political_review",),
    "record_training": ("training",),
    "committee_review": ("review_committee",),
    "pre_review": ("pre_review_written",),
    "publish_admission": ("admission_notice",),
    "branch_admit": (
        "quorum",
        "majority",
        "branch_meeting_deadline",
        "admission_notice",
        "probation_length",
    ),
    "approve": ("approval_deadline", "approval_restart", "approval_collective"),
    "take_oath": ("oath_deadline",),
    "publish_conversion": ("conversion_notice",),
    "branch_convert": (
        "conversion_after_probation",
        "conversion_quorum",
        "conversion_majority",
        "conversion_notice",
    ),
    "approve_conversion": ("conversion_approval_deadline",),
    "archive": ("archive_checklist",),
    "extend_probation": ("extension_once", "extension_length"),
}
STEP_RULES.update(
    {
        code: tuple(dict.fromkeys((*STEP_RULES.get(code, ()), *timing.rules)))
        for code, timing in TIMING.items()
    }
)
