"""The steps of a village matter under each method, and who may chair and record them.

三议一会一公开一知晓 (seed 002, section 二): 提议 (branch committee) -> 商议 (joint
consultation) -> 审议 (party members' meeting) -> 决议 (villagers' or representatives'
meeting) -> 决议公开 -> 实施 -> 结果公开 -> 知晓 -> 归档.
四议两公开 (the older national practice): the same without 知晓; where one person is both
branch secretary and committee director (一肩挑), 提议 and 商议 may be one meeting.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people import roles
from procedures.people.models import Position
from workflows import steps as records

from . import policy

T = Position.Title


# Who sits in the 提议 meeting (the branch committee) and in the 商议 joint consultation
# (seed 002: the liaison leaders and cadres, the work team and the village cadres).
COMMITTEE_TITLES = roles.COMMITTEE_TITLES
JOINT_TITLES = COMMITTEE_TITLES | {
    T.FIRST_SECRETARY,
    T.COMMITTEE_DIRECTOR,
    T.VILLAGE_CLERK,
    T.LIAISON_LEADER,
    T.LIAISON_CADRE,
    T.WORK_TEAM_MEMBER,
}


class Method(models.TextChoices):
    THREE = "three", _("三议一会一公开一知晓")
    FOUR = "four", _("四议两公开")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    PROPOSED = "proposed", _("已提议")
    CONSULTED = "consulted", _("已商议")
    DELIBERATED = "deliberated", _("已审议")
    RESOLVED = "resolved", _("已决议")
    RESOLUTION_PUBLISHED = "resolution_published", _("决议已公开")
    IMPLEMENTING = "implementing", _("实施中")
    RESULT_PUBLISHED = "result_published", _("结果已公开")
    ACKNOWLEDGED = "acknowledged", _("村民已知晓")
    ARCHIVED = "archived", _("已归档")
    NOT_PROPOSED = "not_proposed", _("不予提议")
    NOT_PASSED = "not_passed", _("未获通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class Category(models.TextChoices):
    GENERAL = "general", _("一般村务")
    SUBSIDY = "subsidy", _("误工补贴人数及标准")
    COLLECTIVE_INCOME = "collective_income", _("集体经济所得收益的使用")
    PUBLIC_WELFARE = "public_welfare", _("兴办公益事业的方案及筹资筹劳")
    LAND_CONTRACT = "land_contract", _("土地承包经营方案")
    COLLECTIVE_PROJECT = "collective_project", _("集体经济项目的立项、承包方案")
    HOMESTEAD = "homestead", _("宅基地的使用方案")
    LAND_COMPENSATION = "land_compensation", _("征地补偿费的使用、分配方案")
    COLLECTIVE_PROPERTY = "collective_property", _("以借贷、租赁或者其他方式处分村集体财产")
    RESERVED_OTHER = "reserved_other", _("村民会议认为应当由其讨论决定的其他事项")


# 村民委员会组织法 第二十四条: these go to the 村民会议 (which may delegate them).
RESERVED = frozenset(Category.values) - {Category.GENERAL}


class Step(models.TextChoices):
    PROPOSE = "propose", _("提议（村党支部会议）")
    CONSULT = "consult", _("商议（联席会议）")
    PROPOSE_AND_CONSULT = "propose_and_consult", _("提议并商议（一肩挑合并召开）")
    DELIBERATE = "deliberate", _("审议（党员大会）")
    RESOLVE = "resolve", _("决议（村民会议或村民代表会议）")
    PUBLISH_RESOLUTION = "publish_resolution", _("决议公开")
    RECORD_PROGRESS = "record_progress", _("实施进展")
    PUBLISH_RESULT = "publish_result", _("结果公开")
    ACKNOWLEDGE = "acknowledge", _("知晓")
    ARCHIVE = "archive", _("归档")


# Who may chair each meeting (seed 002), as position titles in the village's organisations.
CHAIRS: dict[str, dict[str, frozenset[str]]] = {
    Method.THREE: {
        Step.PROPOSE: frozenset({T.SECRETARY}),  # the first secretary only in his absence
        Step.CONSULT: frozenset(
            {T.LIAISON_LEADER, T.LIAISON_CADRE, T.SECRETARY, T.COMMITTEE_DIRECTOR}
        ),
        Step.DELIBERATE: frozenset({T.SECRETARY, T.FIRST_SECRETARY}),
        Step.RESOLVE: frozenset({T.SECRETARY}),
    },
    Method.FOUR: {
        Step.PROPOSE: frozenset({T.SECRETARY}),
        Step.CONSULT: frozenset({T.SECRETARY, T.COMMITTEE_DIRECTOR}),
        Step.PROPOSE_AND_CONSULT: frozenset({T.SECRETARY}),
        Step.DELIBERATE: frozenset({T.SECRETARY, T.FIRST_SECRETARY}),
        Step.RESOLVE: frozenset({T.COMMITTEE_DIRECTOR, T.SECRETARY}),
    },
}
# Minutes: the village clerk; a village-liaison cadre may stand in, flagged on the record.
RECORDERS = frozenset({T.VILLAGE_CLERK})
STAND_IN_RECORDERS = frozenset({T.LIAISON_CADRE})
NEVER_CHAIR_PROPOSAL = frozenset({T.LIAISON_LEADER, T.LIAISON_CADRE})


# A matter whose result is public: households can say they know it (一知晓).
READABLE = (Status.RESULT_PUBLISHED, Status.ACKNOWLEDGED, Status.ARCHIVED)


# The meetings of a matter, in path order: what a return (退回) or withdrawal (撤回) undoes
# and a correction (更正) may move. A matter goes back only before its decision is
# published: what the villagers have read is withdrawn through its notice, never undone.
MEETING_STEPS = (
    Step.PROPOSE,
    Step.PROPOSE_AND_CONSULT,
    Step.CONSULT,
    Step.DELIBERATE,
    Step.RESOLVE,
)
RETURNABLE_FROM = (Status.PROPOSED, Status.CONSULTED, Status.DELIBERATED, Status.RESOLVED)
OPEN_BEFORE_RESOLUTION = (Status.REGISTERED, Status.PROPOSED, Status.CONSULTED, Status.DELIBERATED)

# Each step once (workflows.steps): its label, its role (the only place it is written: every
# step of a matter is its village's 村级事务 role's), from which statuses to which. The
# matter's transitions are made from these (models.py writes only the guards).
_S, _ROLE = Status, roles.Role.VILLAGE_AFFAIRS


def _record(step: Step, reached: str, *source: str) -> records.Step:
    return records.Step(step.value, step.label, _ROLE, reached, source=source)


BOOK = records.StepBook(
    (
        _record(Step.PROPOSE, _S.PROPOSED, _S.REGISTERED),
        _record(Step.PROPOSE_AND_CONSULT, _S.CONSULTED, _S.REGISTERED),
        _record(Step.CONSULT, _S.CONSULTED, _S.PROPOSED),
        _record(Step.DELIBERATE, _S.DELIBERATED, _S.CONSULTED),
        _record(Step.RESOLVE, _S.RESOLVED, _S.DELIBERATED),
        _record(Step.PUBLISH_RESOLUTION, _S.RESOLUTION_PUBLISHED, _S.RESOLVED),
        _record(Step.RECORD_PROGRESS, _S.IMPLEMENTING, _S.RESOLUTION_PUBLISHED, _S.IMPLEMENTING),
        _record(Step.PUBLISH_RESULT, _S.RESULT_PUBLISHED, _S.IMPLEMENTING),
        _record(Step.ACKNOWLEDGE, _S.ACKNOWLEDGED, _S.RESULT_PUBLISHED),
        _record(Step.ARCHIVE, _S.ARCHIVED, _S.ACKNOWLEDGED, _S.RESULT_PUBLISHED),
        # The side exits: not proposed; a meeting that really failed; withdrawn before the
        # decision.
        records.Step(
            "decline", _("不予提议"), _ROLE, _S.NOT_PROPOSED, source=(_S.REGISTERED,), exit=True
        ),
        records.Step(
            "fail",
            _("会议未获通过"),
            _ROLE,
            _S.NOT_PASSED,
            source=(_S.CONSULTED, _S.DELIBERATED),
            exit=True,
            taken_with=("deliberate", "resolve"),
        ),
        records.Step(
            "withdraw", _("撤回事项"), _ROLE, _S.WITHDRAWN, source=OPEN_BEFORE_RESOLUTION, exit=True
        ),
    ),
    permission_for=policy.permission_for,
)
# A meeting's step: the status it is taken from and the one it reaches (what a return undoes
# and a correction checks), from the records.
BEFORE_STEP = {step: BOOK[step].source[0] for step in MEETING_STEPS}
REACHED_BY = {step: BOOK[step].reached for step in MEETING_STEPS}
RETURNED_TO = tuple(dict.fromkeys(BEFORE_STEP.values()))
