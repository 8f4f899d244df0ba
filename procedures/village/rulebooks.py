"""The rules of village decisions, with their sources: seed 002 (the county's method), the
村民委员会组织法, and reported local 四议两公开 practice. One rulebook per method."""

from __future__ import annotations

from fractions import Fraction

from workflows import amend
from workflows.rules import Rule, Rulebook, register
from workflows.votes import AT_LEAST_TWO_THIRDS, MORE_THAN_HALF

SEED = "县委关于“三议一会一公开一知晓”工作法的要求（县基层党建专题工作会议讲话）"
SEED_SHORT = "工作法"
SEED_ARTICLE = "二、坚持“一套程序”"
LAW = "中华人民共和国村民委员会组织法"
LAW_SHORT = "村民委员会组织法"
LOCAL = "地方“四议两公开”工作规程（据报道）"
LOCAL_SHORT = "四议两公开规程"
PARTY = "中国共产党党员大会表决的一般规定（据报道）"
PARTY_SHORT = "党内表决规定"
COUNTY = "县委组织部工作要求（村民委员会组织法未规定村民会议最迟安排时间）"
COUNTY_SHORT = "县委组织部要求"

VILLAGE_THREE = "village-three"
VILLAGE_FOUR = "village-four"


def _rule(id_, message, predicate, document, short, article="", **kwargs) -> Rule:
    return Rule(
        id=id_,
        message=message,
        predicate=predicate,
        document=document,
        short=short,
        article=article,
        **kwargs,
    )


def _chair(id_, message, article=SEED_ARTICLE, document=SEED, short=SEED_SHORT, **kwargs):
    return _rule(id_, message, lambda p, *, allowed: allowed, document, short, article, **kwargs)


_LAW_RULES = [
    _rule(
        "villagers_meeting_quorum",
        "村民会议应有本村十八周岁以上村民过半数（{present}/{adults}人），或者本村三分之二以上的户"
        "的代表（{households_present}/{households}户）参加",
        lambda p, *, present, adults, households_present, households: (
            MORE_THAN_HALF.met(present, adults)
            or AT_LEAST_TWO_THIRDS.met(households_present, households)
        ),
        LAW,
        LAW_SHORT,
        "第二十二条",
    ),
    _rule(
        "villagers_meeting_majority",
        "村民会议所作决定应当经到会人员的过半数通过（到会{present}人，同意{yes}人）",
        lambda p, *, present, yes: MORE_THAN_HALF.met(yes, present),
        LAW,
        LAW_SHORT,
        "第二十二条",
    ),
    _rule(
        "representatives_quorum",
        "村民代表会议应有组成人员三分之二以上参加（应到{members}人，实到{present}人）",
        lambda p, *, members, present: AT_LEAST_TWO_THIRDS.met(present, members),
        LAW,
        LAW_SHORT,
        "第二十六条",
    ),
    _rule(
        "representatives_majority",
        "村民代表会议所作决定应当经到会人员的过半数同意（到会{present}人，同意{yes}人）",
        lambda p, *, present, yes: MORE_THAN_HALF.met(yes, present),
        LAW,
        LAW_SHORT,
        "第二十六条",
    ),
    _rule(
        "reserved_matter",
        "该事项应当经村民会议讨论决定；由村民代表会议决定须经村民会议授权",
        lambda p, *, reserved, villagers_meeting, delegated: (
            not reserved or villagers_meeting or delegated
        ),
        LAW,
        LAW_SHORT,
        "第二十四条",
    ),
    _rule(
        "villagers_meeting_notice",
        "召开村民会议，应当提前{days}日通知村民（本次提前{given}日）",
        lambda p, *, given: given >= p["days"],
        LAW,
        LAW_SHORT,
        "第二十一条",
        params={"days": 10},
    ),
    # The law sets no latest date; a meeting planned years ahead is a typing error, and
    # would hold the matter's notice deadline open that long. The county sets the horizon.
    _rule(
        "villagers_meeting_horizon",
        "村民会议应安排在{days}日以内召开（本次安排在{given}日后），请核对日期",
        lambda p, *, given: given <= p["days"],
        COUNTY,
        COUNTY_SHORT,
        params={"days": 180},
    ),
]

_SEED_RULES = [
    _chair(
        "chair_proposal",
        "村党支部会议必须由村党支部书记主持，书记不在时由第一书记主持，"
        "不能由包村领导和包村干部主持",
    ),
    _chair("chair_consultation", "商议可以由包村领导或包村干部、村党支部书记或村委会主任主持"),
    _chair("chair_deliberation", "党员大会必须由村党支部书记或第一书记主持"),
    _chair("chair_resolution", "村民会议或村民代表会议由村党支部书记主持，以体现党的领导"),
    _chair("recorder", "会议记录原则上由村文书记录，受文化程度等限制的可由包村干部代为记录"),
    _rule(
        "members_majority",
        "党员大会表决应超过应到会党员的半数同意（应到{eligible}人，同意{yes}人）",
        lambda p, *, eligible, yes: MORE_THAN_HALF.met(yes, eligible),
        PARTY,
        PARTY_SHORT,
        reported=True,
    ),
    _rule(
        "publish_promptly",
        "决议应在作出后{days}个工作日内公开，本次超期",
        lambda p, *, late: not late,
        LOCAL,
        LOCAL_SHORT,
        params={"days": 5},
        reported=True,
        severity="record",
    ),
]


def _members_quorum(ratio: Fraction, strict: bool, document: str, short: str) -> Rule:
    words = "超过半数" if strict else "三分之二以上"
    return _rule(
        "members_quorum",
        f"党员大会应有{words}的党员到会（应到{{eligible}}人，实到{{present}}人）",
        lambda p, *, eligible, present: (
            MORE_THAN_HALF if p["strict"] else AT_LEAST_TWO_THIRDS
        ).met(present, eligible),
        document,
        short,
        reported=True,
        params={"ratio": str(ratio), "strict": strict},
    )


_FOUR_CHAIRS = [
    _chair(
        "chair_consultation",
        "两委联席会议由村党支部书记或村委会主任主持",
        document=LOCAL,
        short=LOCAL_SHORT,
        article="",
        reported=True,
    ),
    _chair(
        "chair_resolution",
        "村民会议或村民代表会议原则上由村委会主任主持，也可由村党支部书记主持",
        document=LOCAL,
        short=LOCAL_SHORT,
        article="",
        reported=True,
    ),
]

RULEBOOK_THREE = register(
    Rulebook(
        VILLAGE_THREE,
        "三议一会一公开一知晓",
        [
            *_LAW_RULES,
            *_SEED_RULES,
            _members_quorum(Fraction(1, 2), True, PARTY, PARTY_SHORT),
            amend.TAKE_BACK_WINDOW,
            # 一知晓 has no period in the seed: the county's, editable like every rule.
            _rule(
                "acknowledge_promptly",
                "结果公开期满后{days}日内登记村民知晓情况",
                lambda p: True,
                COUNTY,
                COUNTY_SHORT,
                params={"days": 10},
                reported=True,
                severity="record",
            ),
        ],
    )
)
RULEBOOK_FOUR = register(
    Rulebook(
        VILLAGE_FOUR,
        "四议两公开",
        [
            *_LAW_RULES,
            *[r for r in _SEED_RULES if r.id not in {x.id for x in _FOUR_CHAIRS}],
            *_FOUR_CHAIRS,
            _members_quorum(Fraction(2, 3), False, LOCAL, LOCAL_SHORT),
            amend.TAKE_BACK_WINDOW,
        ],
    )
)
