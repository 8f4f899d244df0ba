"""The named forms of member development (《发展对象预审表》, 《入党志愿书》, …), filled from the
case's records: what the records hold is written in, what only a hand can write (the applicant's
own words, signatures, stamps) is left for it. Each form is a material of the checklist: it is
printed here, signed and stamped, scanned and filed back on its step (`case_add_material`).

A form is a page (title, facts, paragraphs, sections of rows) that the portal prints as PDF or
through the county's Word template (`portal.documents`): the same page either way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from workflows.printed import fact, section, signatures, text

from .declaration import RECOMMENDATIONS
from .models import Case, Observation
from .steps import step_name


@dataclass(frozen=True)
class Form:
    kind: str  # the checklist's material it is filed back as
    title: str
    step: str  # the step whose materials it belongs to
    after: str | None  # the step that must stand done before it can be filled (None: any time)
    build: Callable[[Case], dict]

    def available(self, case: Case) -> bool:
        return self.after is None or self.after in case.acts


def _data(case: Case, step: str) -> dict:
    """The data of the standing record of `step` (its latest), or {}."""
    if step not in case.acts:
        return {}
    record = case.records.filter(step=step, outcome="done").order_by("-act_date", "-pk").first()
    return dict(record.data or {}) if record else {}


def _names(value) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(name) for name in value)
    return text(value)


def _person(case: Case) -> list[dict]:
    person = case.person
    return [
        fact("姓名", person.name),
        fact("性别", person.get_gender_display()),
        fact("民族", person.ethnicity),
        fact("出生日期", person.birth_date),
        fact("学历", person.get_education_display()),
        fact("职业", person.get_occupation_display()),
        fact("所在党支部", case.branch.name),
    ]


def _observations(case: Case, kind: str, *, since: date | None = None) -> list[list]:
    rows = case.observations.filter(kind=kind).order_by("on", "pk")
    if since is not None:
        rows = rows.filter(on__gte=since)
    return [[row.on, row.summary] for row in rows]


def _vote(case: Case, step: str, title: str) -> dict:
    data = _data(case, step)
    facts = [*_person(case)[:1], fact("党支部", case.branch.name)]
    rows = [
        ["应到会有表决权的正式党员", data.get("eligible")],
        ["实到会有表决权的正式党员", data.get("present")],
        ["赞成票（含书面意见）", data.get("yes_total", data.get("yes"))],
        ["不赞成票", data.get("no")],
        ["弃权票", data.get("abstain")],
        ["超过应到会人数半数所需票数", data.get("needed")],
        ["表决结果", "通过" if data.get("passed") else ("未通过" if data else "")],
    ]
    return {
        "title": title,
        "facts": [*facts, fact("会议日期", case.acts.get(step))],
        "paragraphs": [
            "支部大会采取无记名投票方式表决，赞成人数超过应到会有表决权的正式党员的半数，方能通过。"
        ],
        "sections": [
            section("票决情况", ["项目", "人数"], rows),
            signatures("会议主持人", "计票人", "监票人"),
        ],
    }


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


def _pre_review(case: Case) -> dict:
    acts = case.acts
    return {
        "title": "发展对象预审表",
        "facts": [
            *_person(case),
            fact("递交入党申请书日期", case.applied_on),
            fact("确定为入党积极分子日期", case.activist_on),
            fact("确定为发展对象日期", case.candidate_on),
            fact("入党介绍人", _names(_data(case, "assign_sponsors").get("sponsors"))),
            fact("政治审查", "合格" if _data(case, "record_review").get("passed") else ""),
            fact("集中培训", acts.get("record_training")),
            fact("支部委员会审查日期", acts.get("committee_review")),
        ],
        "paragraphs": [],
        "sections": [
            section(
                "上级党委预审意见",
                ["意见", "日期"],
                [[_data(case, "pre_review").get("reply"), acts.get("pre_review")]],
            ),
            signatures("党支部", "上级党委"),
        ],
    }


def _admission_form(case: Case) -> dict:
    return {
        "title": "中国共产党入党志愿书",
        "facts": [
            *_person(case),
            fact("入党介绍人", _names(_data(case, "assign_sponsors").get("sponsors"))),
            fact("预审日期", case.pre_reviewed_on),
            fact("填写日期", case.acts.get("fill_form")),
        ],
        "paragraphs": [
            "（入党志愿书由发展对象本人在上级党委预审合格后填写；入党介绍人、支部大会决议和上级"
            "党委审批意见依次填写。）"
        ],
        "sections": [
            section(
                "支部大会和审批",
                ["事项", "日期"],
                [
                    ["支部大会讨论接收", case.admitted_on],
                    ["上级党委派人谈话", case.acts.get("committee_talk")],
                    ["上级党委审批", case.approved_on],
                ],
            ),
            signatures("入党介绍人", "党支部书记", "上级党委"),
        ],
    }


def _conversion_application(case: Case) -> dict:
    return {
        "title": "转正申请",
        "facts": [
            *_person(case)[:1],
            fact("所在党支部", case.branch.name),
            fact("接收为预备党员日期", case.admitted_on),
            fact("入党宣誓日期", case.oath_on),
            fact("预备期满日期", case.probation_ends_on),
            fact("提出转正申请日期", case.acts.get("apply_conversion")),
        ],
        "paragraphs": ["（转正申请书由预备党员本人书写，预备期满前提出。）"],
        "sections": [signatures("申请人")],
    }


def _probation_record(case: Case) -> dict:
    return {
        "title": "预备党员教育考察登记表",
        "facts": [
            *_person(case),
            fact("接收为预备党员日期", case.admitted_on),
            fact("编入党小组", _data(case, "assign_group").get("group")),
            fact("预备期满日期", case.probation_ends_on),
        ],
        "paragraphs": [],
        "sections": [
            section(
                "预备期的思想汇报",
                ["日期", "内容摘要"],
                _observations(case, Observation.Kind.THOUGHT_REPORT, since=case.admitted_on),
            ),
            section(
                "预备期的考察意见",
                ["日期", "考察意见"],
                _observations(case, Observation.Kind.ASSESSMENT, since=case.admitted_on),
            ),
            signatures("入党介绍人", "党小组", "党支部"),
        ],
    }


def _full_record(case: Case) -> dict:
    from .selectors import timeline

    rows = [
        [
            entry.on,
            entry.title + (f"（{entry.mark}）" if entry.mark else ""),
            entry.actor,
            entry.role,
        ]
        for entry in timeline(case)
    ]
    return {
        "title": "发展党员工作全程纪实表",
        "facts": [*_person(case), fact("当前进度", case.get_status_display())],
        "paragraphs": ["一人一档、一事一记、一步一审：每一步骤的日期、经办人和身份，以记录为准。"],
        "sections": [section("全程纪实", ["日期", "事项", "经办人", "身份"], rows)],
    }


def _archive_index(case: Case) -> dict:
    materials = case.materials.order_by("step", "kind", "pk")
    rows = [
        [
            number,
            f"{step_name(m.step)}：{m.title}",
            m.uploaded_at.date(),
            f"{step_name(m.reviewed_at)}审核" if m.reviewed_at else "",
        ]
        for number, m in enumerate(materials, start=1)
    ]
    return {
        "title": "发展党员档案台账目录",
        "facts": [fact("姓名", case.person.name), fact("所在党支部", case.branch.name)],
        "paragraphs": [],
        "sections": [section("档案材料", ["序号", "材料", "存档日期", "审核"], rows)],
    }


FORMS: dict[str, Form] = {
    form.kind: form
    for form in (
        Form("application", "入党申请书", "apply", None, _application),
        Form(
            "cultivation_record",
            "入党积极分子培养教育考察登记表",
            "choose_candidate",
            "choose_activist",
            _cultivation,
        ),
        Form(
            "thought_reports", "思想汇报", "choose_candidate", "choose_activist", _thought_reports
        ),
        Form("mass_forum", "群众座谈会记录", "choose_candidate", "choose_activist", _mass_forum),
        Form(
            "political_review", "政审材料", "record_review", "choose_candidate", _political_review
        ),
        Form(
            "training_assessment",
            "入党积极分子培训学员考核表",
            "record_training",
            "choose_candidate",
            _training_assessment,
        ),
        Form(
            "training_certificate",
            "党校结业证书",
            "record_training",
            "record_training",
            _certificate,
        ),
        Form("pre_review_reply", "发展对象预审表", "pre_review", "committee_review", _pre_review),
        Form("admission_form", "中国共产党入党志愿书", "fill_form", "pre_review", _admission_form),
        Form(
            "admission_vote_tally",
            "支部大会票决情况统计表",
            "branch_admit",
            "branch_admit",
            lambda case: _vote(case, "branch_admit", "支部大会票决情况统计表"),
        ),
        Form(
            "conversion_application",
            "转正申请",
            "apply_conversion",
            "take_oath",
            _conversion_application,
        ),
        Form(
            "probation_record",
            "预备党员教育考察登记表",
            "apply_conversion",
            "approve",
            _probation_record,
        ),
        Form(
            "conversion_vote_tally",
            "支部大会票决情况汇总表",
            "branch_convert",
            "branch_convert",
            lambda case: _vote(case, "branch_convert", "支部大会票决情况汇总表"),
        ),
        Form("full_record", "发展党员工作全程纪实表", "archive", None, _full_record),
        Form("archive_index", "发展党员档案台账目录", "archive", None, _archive_index),
    )
}


def page(form: Form, case: Case) -> dict:
    """The form's page, with its title in 《》 for the printed heading."""
    built = form.build(case)
    return {**built, "title": f"《{built['title']}》"}
