"""The forms of application and cultivation: 入党申请书, the activist's 培养教育考察登记表,
思想汇报, 群众座谈会记录, 政审材料, the training's assessment and certificate."""

from __future__ import annotations

from workflows.printed import fact, section, signatures, text

from ..declaration import RECOMMENDATIONS
from ..models import Case, Observation
from .parts import _data, _names, _observations, _person

# The forms, each a builder of its page.


def _application(case: Case) -> dict:
    talk = _data(case, "talk")
    return {
        "title": "入党申请书",
        "facts": [*_person(case), fact("递交日期", case.applied_on)],
        "paragraphs": [
            "（入党申请书正文由申请人本人书写：对党的认识、入党动机、个人经历和今后努力方向。）",
            "党组织收到入党申请书后，一个月内派人同入党申请人谈话（《细则》第七条）。",
        ],
        "sections": [
            section(
                "党组织收到和谈话",
                ["事项", "日期", "经办人"],
                [
                    ["收到入党申请书", case.applied_on, ""],
                    ["派人谈话", case.talked_on, talk.get("talker")],
                ],
            )
        ],
    }


def _cultivation(case: Case) -> dict:
    activist = _data(case, "choose_activist")
    mentors = _data(case, "assign_mentors").get("mentors")
    return {
        "title": "入党积极分子培养教育考察登记表",
        "facts": [
            *_person(case),
            fact("递交入党申请书日期", case.applied_on),
            fact("确定为入党积极分子日期", case.activist_on),
            fact("推荐方式", dict(RECOMMENDATIONS).get(activist.get("recommendation"), "")),
            fact("培养联系人", _names(mentors)),
        ],
        "paragraphs": [],
        "sections": [
            section(
                "思想汇报",
                ["日期", "内容摘要"],
                _observations(case, Observation.Kind.THOUGHT_REPORT),
            ),
            section(
                "培养联系人和党支部考察意见",
                ["日期", "考察意见"],
                _observations(case, Observation.Kind.ASSESSMENT),
            ),
            signatures("培养联系人", "党支部"),
        ],
    }


def _thought_reports(case: Case) -> dict:
    return {
        "title": "思想汇报",
        "facts": [*_person(case)[:1], fact("所在党支部", case.branch.name)],
        "paragraphs": ["（思想汇报由本人书写，每季度至少一次；党支部登记收到的日期和摘要。）"],
        "sections": [
            section(
                "已登记的思想汇报",
                ["日期", "内容摘要"],
                _observations(case, Observation.Kind.THOUGHT_REPORT),
            ),
        ],
    }


def _mass_forum(case: Case) -> dict:
    return {
        "title": "群众座谈会记录",
        "facts": [
            fact("入党积极分子", case.person.name),
            fact("党支部", case.branch.name),
            fact("确定为入党积极分子日期", case.activist_on),
            fact("座谈日期", ""),
            fact("主持人", ""),
            fact("记录人", ""),
        ],
        "paragraphs": [
            "确定发展对象前，党支部听取党小组、培养联系人、党员和群众的意见（《细则》第十三条）。"
        ],
        "sections": [
            section(
                "参加人员和意见",
                ["姓名", "身份（党员/群众）", "意见"],
                [["", "", ""] for _ in range(6)],
            ),
            signatures("主持人", "记录人"),
        ],
    }


def _political_review(case: Case) -> dict:
    review = _data(case, "record_review")
    passed = review.get("passed")
    return {
        "title": "政审材料",
        "facts": [
            fact("材料", "综合性政审报告"),
            *_person(case),
            fact("确定为发展对象日期", case.candidate_on),
            fact("政治审查日期", case.acts.get("record_review")),
            fact("政审结论", "合格" if passed else ("不合格" if review else "")),
        ],
        "paragraphs": [
            "政治审查的主要内容：对党的理论和路线方针政策的态度，政治历史和在重大政治斗争中的"
            "表现，遵纪守法和遵守社会公德情况，直系亲属和与本人关系密切的主要社会关系的政治情况"
            "（《细则》第十八条）。"
        ],
        "sections": [
            section(
                "审查方式和材料",
                ["方式", "材料", "份数"],
                [["同本人谈话、查阅档案", "", ""], ["函调或外调", "", ""]],
            ),
            signatures("党支部", "上级党委"),
        ],
    }


def _training_assessment(case: Case) -> dict:
    training = _data(case, "record_training")
    return {
        "title": "入党积极分子培训学员考核表",
        "facts": [
            *_person(case),
            fact("培训日期", case.acts.get("record_training")),
            fact("培训天数", training.get("days")),
            fact("培训学时", training.get("hours")),
        ],
        "paragraphs": [
            "发展对象集中培训时间一般不少于3天（或不少于24个学时）（《细则》第十九条）。"
        ],
        "sections": [
            section(
                "考核", ["项目", "成绩或评价"], [["出勤", ""], ["学习态度", ""], ["结业考试", ""]]
            ),
            signatures("培训单位"),
        ],
    }


def _certificate(case: Case) -> dict:
    training = _data(case, "record_training")
    return {
        "title": "党校结业证书",
        "facts": [fact("姓名", case.person.name), fact("所在党支部", case.branch.name)],
        "paragraphs": [
            f"{case.person.name}同志参加发展对象集中培训，共{text(training.get('days'))}天、"
            f"{text(training.get('hours'))}学时，经考核合格，准予结业。",
            f"结业日期：{text(case.acts.get('record_training'))}",
        ],
        "sections": [signatures("培训单位（党校）")],
    }
