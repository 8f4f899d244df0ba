"""The forms of admission and probation: 发展对象预审表, 入党志愿书, 转正申请,
预备党员教育考察登记表, and the case's 全程纪实表 and 档案台账目录."""

from __future__ import annotations

from workflows.printed import fact, section, signatures

from ..models import Case, Observation
from ..selectors import timeline
from ..steps import step_name
from .parts import _data, _names, _observations, _person


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
