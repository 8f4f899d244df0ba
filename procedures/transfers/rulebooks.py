"""The rules of a transfer, with their sources (members-and-transfers.md T2–T7). What no
primary text fixes (the letter's validity, the receipt's month, the papers of a late
acceptance) is a parameter the county sets in the admin (RuleSetting), like every rule."""

from __future__ import annotations

from workflows import amend
from workflows.rules import Rule, Rulebook, register

TRANSFER_2019 = "transfer-2019"
REGULATION = "中国共产党党员教育管理工作条例"
SHORT = "党员教育管理工作条例"
NOTICE = "中共中央组织部关于进一步规范党员组织关系介绍信的通知（组通字〔2006〕45号）"
NOTICE_SHORT = "组通字〔2006〕45号"
DUES = "关于中国共产党党费收缴、使用和管理的规定"
DUES_SHORT = "党费规定"
COUNTY = "县委组织部组织关系转接要求"
COUNTY_SHORT = "组织关系转接要求"


def _rule(id_, message, predicate, article="", **kwargs) -> Rule:
    return Rule(
        id=id_,
        message=message,
        predicate=predicate,
        document=kwargs.pop("document", REGULATION),
        short=kwargs.pop("short", SHORT),
        article=article,
        **kwargs,
    )


RULES = [
    _rule(
        "member_transfers",
        "转接组织关系的是党员，以及随培养档案转接的入党申请人、积极分子和发展对象；{name}现为{standing}",
        lambda p, *, member, **_: member,
        "第二十五条",
    ),
    _rule(
        "letter_validity",
        "介绍信的有效期一般为{days}天，最长不超过{max_months}个月（本次{valid_days}天）",
        lambda p, *, valid_days, longest: 1 <= valid_days <= longest,
        document=NOTICE,
        short=NOTICE_SHORT,
        reported=True,
        params={"days": 30, "max_months": 3},
    ),
    _rule(
        "dues_month",
        "党费预交一般不超过一年：介绍信上的党费交至月份不能晚于开具后{months}个月（填写的是{dues}）",
        lambda p, *, ahead, **_: ahead <= p["months"],
        document=DUES,
        short=DUES_SHORT,
        reported=True,
        params={"months": 12},
    ),
    _rule(
        "accept_within_validity",
        "介绍信有效期至{valid_until}，已逾期；逾期接收须有党支部的证明和本人的申请",
        lambda p, *, in_time, papers, **_: in_time or papers,
        document=COUNTY,
        short=COUNTY_SHORT,
        reported=True,
    ),
    _rule(
        "receipt_within",
        "回执一般应在接收后{months}个月内退回开具介绍信的党委（接收于{accepted_on}）",
        lambda p, *, in_time, **_: in_time,
        document=NOTICE,
        short=NOTICE_SHORT,
        reported=True,
        params={"months": 1},
        severity="record",
    ),
    _rule(
        "candidate_moving",
        "发展对象转接后，转入党支部一般应在{months}个月后再办理接收预备党员手续",
        lambda p: True,
        document=COUNTY,
        short=COUNTY_SHORT,
        reported=True,
        params={"months": 3},
    ),
    _rule(
        "expired_unpresented",
        "介绍信逾期{months}个月仍未转入（“口袋党员”），党支部应按党章第九条研究处理并记录决定",
        lambda p: True,
        document=COUNTY,
        short=COUNTY_SHORT,
        reported=True,
        params={"months": 6},
    ),
]

register(
    Rulebook(
        TRANSFER_2019,
        "组织关系转接（《中国共产党党员教育管理工作条例》2019）",
        [*RULES, amend.TAKE_BACK_WINDOW],
    )
)
