"""The steps of member development: the 25 official steps of the 2014 细则, grouped in 5
stages, and the extra notice points of the 29-step local variant. Statuses of a case are
named after the step last completed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people import roles
from workflows.steps import NO_TIMING, Step, StepBook
from workflows.timing import Notice, Span, Timing

from . import permissions


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

# When each step may happen and when it is due, as the rules give it (workflows.timing).
_CULTIVATED = Span("cultivation_period", "years", since="activist_on")
_PROBATION_ENDS = Span(
    "probation_length", "years", since="admitted_on", recorded="probation_ends_on"
)
_CANDIDATE_RULES = (
    "candidate_committee",
    "cultivation_period",
    "half_year_assessments",
    "thought_reports",
    "candidate_notice",
)
_S = Status

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
# While thought reports and assessments are kept: cultivation and probation.
OBSERVING = (_S.CULTIVATING, _S.CANDIDATE_NOTICE, *PROBATIONARY)
ENDED = (_S.STOPPED, _S.CANCELLED, _S.ARCHIVED)  # no step follows: the case is closed

# Each step once (workflows.steps): who takes it (the only place its role is written), from
# which statuses to which, its rules and timing, what it leaves in the personal file (全程纪实,
# checked before archiving), what it sets on the case (cleared when it is undone), where its
# taker may send the case back (退回: 细则 第十九条, the 预审 sends back for the materials;
# 第二十四条, the approval sends the resolution back to the 支部大会), and whether its actor
# may take it back (撤回: not the first step, nor one that opened a public notice: the
# villagers have read it; a correction or a return is the way).
_PATH = (
    Step(
        "apply", "递交入党申请书", Role.BRANCH, _S.APPLIED, number=1, stage=1,
        rules=("min_age",), materials=(("application", _("入党申请书")),), taken_back=False,
    ),
    Step(
        "talk", "党组织派人谈话", Role.BRANCH, _S.TALKED, source=(_S.APPLIED,), number=2,
        stage=1, rules=("talk_deadline",),
        timing=Timing(deadline=Span("talk_deadline", since="applied_on")),
        materials=(("talk_record", _("谈话记录")),), sets=("talked_on",),
    ),
    Step(
        "choose_activist", "推荐和确定入党积极分子", Role.BRANCH, _S.ACTIVIST,
        source=(_S.TALKED,), number=3, stage=2,
        rules=("activist_recommendation", "youth_league_recommendation", "activist_committee"),
        materials=(("recommendation", _("推荐材料（党员推荐或推优）")),), sets=("activist_on",),
    ),
    Step(
        "file_activist", "报上级党委备案", Role.TOWNSHIP, _S.ACTIVIST_FILED,
        source=(_S.ACTIVIST,), number=4, stage=2, returns_to=("talk", "choose_activist"),
    ),
    Step(
        "assign_mentors", "指定培养联系人", Role.BRANCH, _S.CULTIVATING,
        source=(_S.ACTIVIST_FILED,), number=5, stage=2, rules=("mentors",),
    ),
    Step(
        "propose_candidate", "发展对象公示", Role.BRANCH, _S.CANDIDATE_NOTICE,
        source=(_S.CULTIVATING,), stage=3, rules=_CANDIDATE_RULES,
        timing=Timing(earliest=(_CULTIVATED,)), taken_back=False,
    ),
    Step(
        "choose_candidate", "确定发展对象", Role.BRANCH, _S.CANDIDATE,
        source=(_S.CULTIVATING, _S.CANDIDATE_NOTICE), number=7, stage=3,
        rules=_CANDIDATE_RULES,
        timing=Timing(
            earliest=(_CULTIVATED, Notice("candidate_notice", published_by="propose_candidate"))
        ),
        materials=(
            ("cultivation_record", _("入党积极分子培养教育考察登记表")),
            ("thought_reports", _("思想汇报")),
            ("mass_forum", _("群众座谈会记录")),
        ),
        sets=("candidate_on",),
    ),
    Step(
        "file_candidate", "报上级党委备案", Role.TOWNSHIP, _S.CANDIDATE_FILED,
        source=(_S.CANDIDATE,), number=8, stage=3, returns_to=("choose_candidate",),
    ),
    Step(
        "assign_sponsors", "确定入党介绍人", Role.BRANCH, _S.SPONSORED,
        source=(_S.CANDIDATE_FILED,), number=9, stage=3, rules=("sponsors",),
    ),
    Step(
        "record_review", "政治审查", Role.BRANCH, _S.REVIEWED, source=(_S.SPONSORED,),
        number=10, stage=3, rules=("political_review",),
        materials=(("political_review", _("政审材料")),),
    ),
    Step(
        "record_training", "开展集中培训", Role.TOWNSHIP, _S.TRAINED, source=(_S.REVIEWED,),
        number=11, stage=3, rules=("training",),
        materials=(
            ("training_assessment", _("入党积极分子培训学员考核表")),
            ("training_certificate", _("党校结业证书")),
        ),
    ),
    Step(
        "committee_review", "支部委员会审查", Role.BRANCH, _S.COMMITTEE_REVIEWED,
        source=(_S.TRAINED,), number=12, stage=4, rules=("review_committee",),
    ),
    Step(
        "pre_review", "上级党委预审", Role.TOWNSHIP, _S.PRE_REVIEWED,
        source=(_S.COMMITTEE_REVIEWED,), number=13, stage=4, rules=("pre_review_written",),
        timing=Timing(deadline=Span("pre_review_deadline", since="step:committee_review")),
        materials=(("pre_review_reply", _("发展对象预审表")),), sets=("pre_reviewed_on",),
        returns_to=("record_review", "committee_review"),
    ),
    Step(
        "publish_admission", "拟接收预备党员公示", Role.TOWNSHIP, _S.ADMISSION_NOTICE,
        source=(_S.PRE_REVIEWED,), stage=4, rules=("admission_notice",), taken_back=False,
    ),
    Step(
        "fill_form", "填写入党志愿书", Role.BRANCH, _S.FORM_FILLED,
        source=(_S.PRE_REVIEWED, _S.ADMISSION_NOTICE), number=14, stage=4,
        materials=(("admission_form", _("中国共产党入党志愿书")),),
    ),
    Step(
        "branch_admit", "支部大会讨论", Role.BRANCH, _S.BRANCH_ADMITTED,
        source=(_S.FORM_FILLED,), number=15, stage=4,
        rules=(
            "quorum",
            "majority",
            "branch_meeting_deadline",
            "admission_notice",
            "probation_length",
        ),
        timing=Timing(
            earliest=(Notice("admission_notice", published_by="publish_admission"),),
            deadline=Span("branch_meeting_deadline", since="pre_reviewed_on"),
        ),
        materials=(("admission_vote_tally", _("支部大会票决情况统计表")),),
        sets=("admitted_on", "probation_ends_on", "admitted_education", "admitted_occupation"),
    ),
    Step(
        "committee_talk", "上级党委派人谈话", Role.TOWNSHIP, _S.COMMITTEE_TALKED,
        source=(_S.BRANCH_ADMITTED,), number=16, stage=4, returns_to=("branch_admit",),
    ),
    Step(
        "approve", "上级党委审批", Role.TOWNSHIP, _S.APPROVED, source=(_S.COMMITTEE_TALKED,),
        number=17, stage=4,
        rules=("approval_deadline", "approval_restart", "approval_collective"),
        timing=Timing(deadline=Span("approval_deadline", since="admitted_on")),
        sets=("approved_on",), returns_to=("fill_form", "branch_admit"),
    ),
    Step(
        "notify_admission", "通知党支部审批结果", Role.TOWNSHIP, _S.ADMISSION_NOTIFIED,
        source=(_S.APPROVED,), stage=4,
    ),
    Step(
        "file_upper", "再上一级党委组织部门备案", Role.COUNTY, _S.FILED_UPPER,
        source=(_S.APPROVED, _S.ADMISSION_NOTIFIED), number=18, stage=4,
        returns_to=("approve",),
    ),
    Step(
        "assign_group", "编入党支部和党小组", Role.BRANCH, _S.GROUPED,
        source=(_S.FILED_UPPER,), number=19, stage=5,
    ),
    Step(
        "take_oath", "入党宣誓", Role.BRANCH, _S.PROBATION, source=(_S.GROUPED,), number=20,
        stage=5, rules=("oath_deadline",),
        timing=Timing(deadline=Span("oath_deadline", since="approved_on")), sets=("oath_on",),
    ),
    # The conversion is asked for a month before the probation ends (the task and the
    # reminder appear then); it is discussed once it has ended.
    Step(
        "apply_conversion", "提出转正申请", Role.BRANCH, _S.CONVERSION_APPLIED,
        source=(_S.PROBATION,), number=22, stage=5,
        timing=Timing(
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
        materials=(
            ("conversion_application", _("转正申请")),
            ("probation_record", _("预备党员教育考察登记表")),
        ),
    ),
    Step(
        "publish_conversion", "转正公示", Role.BRANCH, _S.CONVERSION_NOTICE,
        source=(_S.CONVERSION_APPLIED,), stage=5, rules=("conversion_notice",),
        taken_back=False,
    ),
    Step(
        "branch_convert", "支部大会讨论", Role.BRANCH, _S.CONVERSION_VOTED,
        source=(_S.CONVERSION_APPLIED, _S.CONVERSION_NOTICE), number=23, stage=5,
        rules=(
            "conversion_after_probation",
            "conversion_quorum",
            "conversion_majority",
            "conversion_notice",
        ),
        timing=Timing(
            earliest=(
                _PROBATION_ENDS,
                Notice("conversion_notice", published_by="publish_conversion"),
            )
        ),
        materials=(("conversion_vote_tally", _("支部大会票决情况汇总表")),),
        sets=("conversion_voted_on",),
    ),
    Step(
        "approve_conversion", "上级党委审批", Role.TOWNSHIP, _S.CONVERTED,
        source=(_S.CONVERSION_VOTED,), number=24, stage=5,
        rules=("conversion_approval_deadline",),
        timing=Timing(
            deadline=Span("conversion_approval_deadline", since="conversion_voted_on")
        ),
        sets=("converted_on",), returns_to=("branch_convert",),
    ),
    Step(
        "notify_conversion", "通知党支部转正审批结果", Role.TOWNSHIP, _S.CONVERSION_NOTIFIED,
        source=(_S.CONVERTED,), stage=5,
    ),
    Step(
        "archive", "材料归档", Role.BRANCH, _S.ARCHIVED,
        source=(_S.CONVERTED, _S.CONVERSION_NOTIFIED), number=25, stage=5,
        rules=("archive_checklist",),
        materials=(
            ("full_record", _("发展党员工作全程纪实表")),
            ("archive_index", _("发展党员档案台账目录")),
        ),
    ),
)  # fmt: skip
# Acts off the main path, each with the role that performs it: the side exits, and the
# return of a resolution sent up too late, back to the 支部大会 (重新讨论).
_EXITS = (
    Step(
        "stop", "不予确定/停止培养", Role.BRANCH, _S.STOPPED, source=tuple(BEFORE_ADMISSION),
        exit=True,
    ),
    Step(
        "extend_probation", "延长预备期", Role.TOWNSHIP, _S.PROBATION,
        source=(_S.PROBATION, _S.CONVERSION_APPLIED, _S.CONVERSION_NOTICE), stage=5,
        exit=True, rules=("extension_once", "extension_length"),
    ),
    Step(
        "cancel", "取消预备党员资格", Role.TOWNSHIP, _S.CANCELLED, source=tuple(PROBATIONARY),
        stage=5, exit=True,
    ),
    Step(
        "rediscuss", "退回支部大会重新讨论", Role.TOWNSHIP, _S.FORM_FILLED,
        source=(_S.BRANCH_ADMITTED, _S.COMMITTEE_TALKED), stage=4, exit=True,
    ),
)  # fmt: skip
BOOK = StepBook((*_PATH, *_EXITS), permission_for=permissions.of_role)

# What the pages, the API, the projection and the corrections read, from the records.
STEPS: tuple[Step, ...] = BOOK.path
EXIT_STEPS: tuple[Step, ...] = BOOK.exits
BY_CODE = {step.code: step for step in STEPS}
EXITS = {step.code: step.label for step in EXIT_STEPS}
ANY_STEP = BOOK.by_code
RETURNABLE = {s.code: s.returns_to for s in BOOK.steps if s.returns_to}
SETS = {s.code: s.sets for s in BOOK.steps if s.sets}
NOT_TAKEN_BACK = frozenset(s.code for s in BOOK.steps if not s.taken_back)
CHECKLIST = {s.code: s.materials for s in BOOK.steps if s.materials}
TIMING = {s.code: s.timing for s in BOOK.steps if s.timing is not NO_TIMING}
# The rules each step checks, for its form's hints (citations) and the case page, its
# timing's included.
STEP_RULES = {s.code: s.all_rules for s in BOOK.steps if s.all_rules}
# A return and the last step that still stands after it: every later step is done again.
RETURNS = {"rediscuss": "fill_form"}
# The person's party standing each step gives him, latest first (none done: 入党申请人).
STANDINGS = (
    ("approve_conversion", "full"),
    ("approve", "probationary"),
    ("choose_candidate", "candidate"),
    ("choose_activist", "activist"),
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
    return str(step.label) if step else str(AMENDS.get(code, code))


STAGES = {
    1: _("申请入党"),
    2: _("入党积极分子的确定和培养教育"),
    3: _("发展对象的确定和考察"),
    4: _("预备党员的接收"),
    5: _("预备党员的教育考察和转正"),
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
