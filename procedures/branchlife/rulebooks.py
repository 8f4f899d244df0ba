"""The rules of the branch's organisational life, with their sources (branch-life.md): the
《中国共产党支部工作条例（试行）》 (2018) as commonly quoted, marked reported where the article
is still to be checked against a primary text. Frequencies are parameters a county may set
in the admin (RuleSetting), like every rule."""

from __future__ import annotations

from decimal import Decimal

from workflows import amend
from workflows.rules import Rule, Rulebook, register
from workflows.votes import MORE_THAN_HALF

BRANCH_2018 = "branch-2018"
REGULATION = "中国共产党支部工作条例（试行）"
SHORT = "支部工作条例"
DUES = "关于中国共产党党费收缴、使用和管理的规定"
DUES_SHORT = "党费规定"
CONSTITUTION = "中国共产党章程"
CONSTITUTION_SHORT = "党章"
COUNTY = "县委组织部《党支部工作手册》要求"
COUNTY_SHORT = "党支部工作手册"


def _rule(id_, message, predicate, article="", **kwargs) -> Rule:
    document = kwargs.pop("document", REGULATION)
    short = kwargs.pop("short", SHORT)
    return Rule(
        id=id_,
        message=message,
        predicate=predicate,
        document=document,
        short=short,
        article=article,
        **kwargs,
    )


def _frequency(id_, what: str, months: int, article="", **kwargs) -> Rule:
    """How often a kind is due: at least once in each period of `months` (calendar months,
    quarters, half-years or years). Checked by the deadline rows, not by a refusal."""
    return _rule(
        id_,
        f"{what}一般每{{months}}个月至少一次",
        lambda p: True,
        article,
        params={"months": months},
        **kwargs,
    )


RULES = [
    _rule(
        "general_meeting_quorum",
        "支部党员大会须有半数以上有表决权的党员到会方可召开（应到{eligible}人，实到{present}人）",
        lambda p, *, eligible, present: MORE_THAN_HALF.met(present, eligible),
        "第十四条",
    ),
    _rule(
        "committee_meeting_quorum",
        "支部委员会会议须有半数以上委员到会方可召开（委员{members}人，到会{present}人）",
        lambda p, *, members, present: MORE_THAN_HALF.met(present, members),
        "第十二条",
    ),
    _rule(
        "general_meeting_chair",
        "支部党员大会由支部书记召集主持，书记不能参加时可委托副书记或委员主持",
        lambda p, *, allowed: allowed,
        "第十四条",
        reported=True,
    ),
    _rule(
        "group_meeting_chair",
        "党小组会由党小组组长召集主持",
        lambda p, *, allowed: allowed,
        "第十三条",
        reported=True,
    ),
    _rule(
        "secretary_lecture",
        "党支部书记每年至少讲{times}次党课",
        lambda p: True,
        document=COUNTY,
        short=COUNTY_SHORT,
        params={"times": 1},
        reported=True,
    ),
    _frequency("general_meeting_frequency", "支部党员大会", 3, "第十一条"),
    _frequency("committee_meeting_frequency", "支部委员会会议", 1, "第十二条"),
    _frequency("group_meeting_frequency", "党小组会", 1, "第十三条"),
    _frequency(
        "party_lecture_frequency", "党课", 3, document=COUNTY, short=COUNTY_SHORT, reported=True
    ),
    _frequency("theme_day_frequency", "主题党日", 1, reported=True),
    _frequency("life_meeting_frequency", "组织生活会", 12, reported=True),
    _frequency("appraisal_frequency", "民主评议党员", 12, reported=True),
    _frequency("heart_talk_frequency", "谈心谈话", 12, reported=True),
    _rule(
        "rural_dues_standard",
        "农民党员每月交纳党费{min}元至{max}元（本次每月{per_month}元）",
        lambda p, *, per_month: Decimal(str(p["min"])) <= per_month <= Decimal(str(p["max"])),
        document=DUES,
        short=DUES_SHORT,
        params={"min": "0.2", "max": "1"},
        reported=True,
    ),
    _rule(
        "dues_advance_limit",
        "党费按月交纳，预交一般不超过{months}个月（本次{given}个月）",
        lambda p, *, given: 1 <= given <= p["months"],
        document=DUES,
        short=DUES_SHORT,
        params={"months": 12},
        reported=True,
    ),
    _rule(
        "dues_reminder",
        "党员连续{months}个月未交纳党费，党支部应当提醒",
        lambda p: True,
        document=COUNTY,
        short=COUNTY_SHORT,
        params={"months": 3},
        reported=True,
    ),
    _rule(
        "dues_lapse",
        "党员连续{months}个月不交纳党费，没有正当理由的，视为自行脱党，支部应当研究处理",
        lambda p: True,
        "第九条",
        document=CONSTITUTION,
        short=CONSTITUTION_SHORT,
        params={"months": 6},
    ),
    _rule(
        "absence_lapse",
        "党员连续{months}个月不参加党的组织生活，没有正当理由的，视为自行脱党，支部应当研究处理",
        lambda p: True,
        "第九条",
        document=CONSTITUTION,
        short=CONSTITUTION_SHORT,
        params={"months": 6},
    ),
]

register(
    Rulebook(
        BRANCH_2018,
        "党支部组织生活（《中国共产党支部工作条例（试行）》2018）",
        [*RULES, amend.TAKE_BACK_WINDOW],
    )
)
