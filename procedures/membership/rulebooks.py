"""The rulebooks of member development: the 2014 细则, and its reported 2026-05 revision.

Every quantitative rule of domain/member-development.md is a rule here with its citation.
Rules marked *reported* come from secondary sources: they carry `reported=True`, so the
citation says so, and an organisation department can edit their articles and parameters or
switch them off in the admin (RuleSetting) without a code change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dateutil.relativedelta import relativedelta

from workflows import amend
from workflows.rules import Rule, Rulebook, register
from workflows.votes import MORE_THAN_HALF

DOC_2014 = "中国共产党发展党员工作细则"
SHORT_2014 = "细则"
DOC_2026 = "中国共产党发展党员工作细则（2026年5月修订，据报道）"
SHORT_2026 = "细则（2026年修订）"
LOCAL = "地方发展党员工作规程（据报道）"
# The 细则 sets no time for the 预审 answer (第十九条): the county sets one. One month by
# default, as for the other written answers of the committee; edited in RuleSetting.
COUNTY = "县委组织部工作要求（细则未规定预审答复时限，由县委组织部确定）"
SHORT_COUNTY = "县委组织部要求"
SHORT_LOCAL = "地方规程"

CPC_2014 = "cpc-2014"
CPC_2026 = "cpc-2026"


def _within_months(params, *, start: date, end: date) -> bool:
    return end <= start + relativedelta(months=params["months"])


def _more_than_half(present: int, total: int) -> bool:
    return MORE_THAN_HALF.met(present, total)


def _collective(members: int, present: int, yes: int) -> bool:
    """A committee decides when more than half of its members attend and agree."""
    return _more_than_half(present, members) and _more_than_half(yes, members)


def _committee_rule(id_, decision: str, article: str, **kwargs) -> Rule:
    return _rule(
        id_,
        f"{decision}（委员{{members}}人，到会{{present}}人，同意{{yes}}人，均须超过半数）",
        lambda p, *, members, present, yes: _collective(members, present, yes),
        article,
        **kwargs,
    )


def _rule(
    id_,
    message,
    predicate,
    article,
    *,
    params=None,
    reported=False,
    doc=DOC_2014,
    short=SHORT_2014,
    severity="refuse",
) -> Rule:
    return Rule(
        id=id_,
        message=message,
        predicate=predicate,
        document=doc,
        short=short,
        article=article,
        params=params or {},
        reported=reported,
        severity=severity,
    )


_COMMON = [
    _rule(
        "min_age",
        "申请入党须年满{min_age}周岁，申请人递交申请书时{age}周岁",
        lambda p, *, age: age >= p["min_age"],
        "第五条",
        params={"min_age": 18},
    ),
    amend.TAKE_BACK_WINDOW,
    _rule(
        "talk_deadline",
        "应在收到入党申请书后{months}个月内派人谈话，本次谈话超期",
        lambda p, *, applied_on, talked_on: _within_months(p, start=applied_on, end=talked_on),
        "第七条",
        params={"months": 1},
        severity="record",
    ),
    _rule(
        "activist_recommendation",
        "确定入党积极分子须经党员推荐或群团组织推优",
        lambda p, *, recommendation, age: recommendation in ("members", "youth_league", "mass"),
        "第八条",
    ),
    _rule(
        "youth_league_recommendation",
        "{youth_age}周岁以下的入党申请人，一般应经共青团组织推优",
        lambda p, *, recommendation, age: age >= p["youth_age"] or recommendation == "youth_league",
        "第八条",
        params={"youth_age": 28},
    ),
    _committee_rule("activist_committee", "确定入党积极分子须经支部委员会研究决定", "第八条"),
    _rule(
        "mentors",
        "应指定1至2名正式党员作为培养联系人",
        lambda p, *, count, all_full: 1 <= count <= 2 and all_full,
        "第九条",
    ),
    _rule(
        "cultivation_period",
        "培养教育考察时间不足一年",
        lambda p, *, activist_on, on: on >= activist_on + relativedelta(years=p["years"]),
        "第十三条",
        params={"years": 1},
    ),
    _rule(
        "half_year_assessments",
        "培养教育考察期间党支部应每半年考察一次，已有{count}次，应有{needed}次",
        lambda p, *, count, needed: count >= needed,
        # 2014 细则 第十一条: "党支部每半年对入党积极分子进行一次考察。"
        "第十一条",
        params={"months": 6},
    ),
    _rule(
        "thought_reports",
        "入党积极分子应每季度至少递交一次思想汇报，已有{count}次，应有{needed}次",
        lambda p, *, count, needed: count >= needed,
        "",
        params={"months": 3},
        reported=True,
        doc=LOCAL,
        short=SHORT_LOCAL,
    ),
    _committee_rule("candidate_committee", "确定发展对象须经支部委员会讨论同意", "第十三条"),
    _rule(
        "sponsors",
        "应由2名正式党员作入党介绍人，受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人",
        lambda p, *, count, all_eligible: count == 2 and all_eligible,
        "第十四条",
    ),
    _rule(
        "political_review",
        "未经政治审查或者政治审查不合格的，不能发展入党",
        lambda p, *, passed: passed,
        "第十六条",
    ),
    _rule(
        "training",
        "集中培训时间一般不少于{days}天或{hours}个学时（本次{given_days}天、{given_hours}学时）",
        lambda p, *, given_days, given_hours: given_days >= p["days"] or given_hours >= p["hours"],
        "第十七条",
        params={"days": 3, "hours": 24},
        reported=True,
    ),
    # 2014 细则 第十九条 opens with the committee's review ("支部委员会应当对发展对象进行严格
    # 审查，经集体讨论认为合格后，报具有审批权限的基层党委预审"), then the 预审 itself.
    _committee_rule("review_committee", "支部委员会审查须经支部委员会讨论同意", "第十九条"),
    _rule(
        "pre_review_written",
        "上级党委预审后应书面答复党支部",
        lambda p, *, reply: bool(reply),
        "第十九条",
    ),
    _rule(
        "pre_review_deadline",
        "上级党委应在支部委员会审查后{months}个月内完成预审并书面答复，本次超期",
        lambda p, *, reviewed_on, answered_on: _within_months(
            p, start=reviewed_on, end=answered_on
        ),
        "",
        params={"months": 1},
        doc=COUNTY,
        short=SHORT_COUNTY,
        severity="record",
    ),
    _rule(
        "quorum",
        "有表决权的到会人数{present}人，未超过应到会人数{eligible}人的半数",
        lambda p, *, present, eligible: _more_than_half(present, eligible),
        "第二十条",
    ),
    _rule(
        "majority",
        "赞成人数{yes}人（含书面意见），未超过应到会有表决权的正式党员{eligible}"
        "人的半数（至少需要{needed}人）",
        lambda p, *, yes, eligible, needed: _more_than_half(yes, eligible),
        "第二十一条",
    ),
    _rule(
        "approval_deadline",
        "上级党委应在支部大会通过后{months}个月内审批；特殊情况可延长，但须说明理由",
        lambda p, *, admitted_on, approved_on, special_reason: (
            approved_on <= admitted_on + relativedelta(months=p["months"]) or bool(special_reason)
        ),
        "第二十五条",
        params={"months": 3},
        reported=True,
    ),
    _rule(
        "approval_restart",
        "支部大会通过已超过{months}个月，应重新讨论（超过六个月的重新履行入党手续）",
        lambda p, *, admitted_on, approved_on: (
            approved_on <= admitted_on + relativedelta(months=p["months"])
        ),
        "第二十五条",
        params={"months": 6},
        reported=True,
    ),
    _committee_rule(
        "approval_collective", "审批须经乡镇党委集体讨论决定", "第二十五条", reported=True
    ),
    _rule(
        "conversion_after_probation",
        "预备期至{probation_ends_on}届满，届满后方可讨论转正",
        lambda p, *, probation_ends_on, held_on: held_on >= probation_ends_on,
        "第三十三条",
    ),
    _rule(
        "conversion_quorum",
        "有表决权的到会人数{present}人，未超过应到会人数{eligible}人的半数",
        lambda p, *, present, eligible: _more_than_half(present, eligible),
        "第三十三条",
    ),
    _rule(
        "conversion_majority",
        "赞成人数{yes}人（含书面意见），未超过应到会有表决权的正式党员"
        "{eligible}人的半数（至少需要{needed}人）",
        lambda p, *, yes, eligible, needed: _more_than_half(yes, eligible),
        "第三十三条",
    ),
    _rule(
        "extension_once", "预备期只能延长一次", lambda p, *, extended: not extended, "第三十二条"
    ),
    _rule(
        "extension_length",
        "延长预备期的时间不能少于{min_months}个月，不能超过{max_months}个月",
        lambda p, *, months: p["min_months"] <= months <= p["max_months"],
        "第三十二条",
        params={"min_months": 6, "max_months": 12},
    ),
    _rule(
        "conversion_approval_deadline",
        "上级党委应在支部大会通过转正后{months}个月内审批，本次审批超期",
        lambda p, *, voted_on, approved_on: _within_months(p, start=voted_on, end=approved_on),
        "第三十四条",
        params={"months": 3},
        severity="record",
    ),
    _rule(
        "archive_checklist",
        "材料不齐全，不能归档：缺少{missing}",
        lambda p, *, missing: not missing,
        # 2014 细则 第三十七条: after conversion the branch hands the 入党志愿书, 入党申请书,
        # 政治审查材料, 转正申请书 and 培养教育考察材料 to the committee for the personal file.
        "第三十七条",
    ),
    _rule(
        "probation_length",
        "预备期为{years}年，自支部大会通过之日起计算",
        lambda p: True,
        "第三十二条",
        params={"years": 1},
    ),
    _rule(
        "admission_notice",
        "接收预备党员前应公示不少于{days}个工作日",
        lambda p: True,
        "",
        params={"days": 5},
        reported=True,
        doc=LOCAL,
        short=SHORT_LOCAL,
    ),
    _rule(
        "conversion_notice",
        "预备党员转正前应公示不少于{days}个工作日",
        lambda p: True,
        "",
        params={"days": 5},
        reported=True,
        doc=LOCAL,
        short=SHORT_LOCAL,
    ),
]

# The 2026 revision as reported: the same rules (cited to the revision) plus a 发展对象
# notice, the 支部大会 within one month of 预审, and the oath within one month of approval.
_ADDED_2026 = [
    _rule(
        "candidate_notice",
        "确定发展对象前应公示不少于{days}个工作日",
        lambda p: True,
        "第十三条",
        params={"days": 5},
        reported=True,
        doc=DOC_2026,
        short=SHORT_2026,
    ),
    _rule(
        "branch_meeting_deadline",
        "支部大会应在上级党委预审后{months}个月内召开，本次超期",
        lambda p, *, pre_reviewed_on, held_on: _within_months(
            p, start=pre_reviewed_on, end=held_on
        ),
        "第十九条",
        params={"months": 1},
        reported=True,
        doc=DOC_2026,
        short=SHORT_2026,
        severity="record",
    ),
    _rule(
        "oath_deadline",
        "入党宣誓一般应在上级党委审批后{months}个月内进行，本次超期",
        lambda p, *, approved_on, oath_on: _within_months(p, start=approved_on, end=oath_on),
        "第二十九条",
        params={"months": 1},
        reported=True,
        doc=DOC_2026,
        short=SHORT_2026,
        severity="record",
    ),
]


def _as_2026(rule: Rule) -> Rule:
    if rule.document != DOC_2014:
        return rule
    return replace(rule, document=DOC_2026, short=SHORT_2026, reported=True)


RULEBOOK_2014 = register(Rulebook(CPC_2014, "《中国共产党发展党员工作细则》（2014）", _COMMON))
RULEBOOK_2026 = register(
    Rulebook(
        CPC_2026,
        "《中国共产党发展党员工作细则》（2026年5月修订，据报道）",
        [_as_2026(rule) for rule in _COMMON] + _ADDED_2026,
    )
)
RULEBOOK_CHOICES = [(CPC_2014, RULEBOOK_2014.title), (CPC_2026, RULEBOOK_2026.title)]
