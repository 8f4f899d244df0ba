"""What each kind of notice may show: a whitelist of public fields, and its default period.

Nothing else reaches a public page: a field that is not listed is refused when the notice is
drafted, and no value may contain a resident ID number or a phone number. Periods are the
defaults of the kind; a procedure's rulebook may pass its own when it drafts the notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from workflows.notices import Period, PeriodUnit


@dataclass(frozen=True)
class NoticeKind:
    key: str
    label: str
    fields: tuple[tuple[str, str], ...]  # (key, label) in display order
    period: Period
    body: str  # the standing text of the notice: what it is for and how to raise a concern

    def labels(self) -> dict[str, str]:
        return dict(self.fields)


_PERSON_FIELDS = (
    ("name", _("姓名")),
    ("gender", _("性别")),
    ("birth_month", _("出生年月")),
    ("ethnicity", _("民族")),
    ("education", _("学历")),
    ("occupation", _("职业")),
    ("branch", _("所在党支部")),
)
_CONCERN = _(
    "公示期间，党员和群众可以通过本页面“反映问题”，或当面、书面向乡镇党委反映。"
    "反映问题应实事求是，我们将认真核查，并对反映人信息严格保密。"
)

KINDS: dict[str, NoticeKind] = {
    kind.key: kind
    for kind in (
        NoticeKind(
            "candidate",
            _("发展对象公示"),
            (
                *_PERSON_FIELDS,
                ("application_date", _("递交入党申请书时间")),
                ("activist_date", _("确定为入党积极分子时间")),
                ("planned_date", _("拟确定为发展对象时间")),
            ),
            Period(5, PeriodUnit.WORKDAYS, True),
            _("经党支部委员会研究，拟将下列同志确定为发展对象，现予公示。") + _CONCERN,
        ),
        NoticeKind(
            "admission",
            _("拟接收预备党员公示"),
            (
                *_PERSON_FIELDS,
                ("application_date", _("递交入党申请书时间")),
                ("activist_date", _("确定为入党积极分子时间")),
                ("candidate_date", _("确定为发展对象时间")),
                ("sponsors", _("入党介绍人")),
            ),
            Period(5, PeriodUnit.WORKDAYS, True),
            _("经上级党委预审同意，拟接收下列同志为中共预备党员，现予公示。") + _CONCERN,
        ),
        NoticeKind(
            "conversion",
            _("预备党员转正公示"),
            (*_PERSON_FIELDS, ("admission_date", _("接收为预备党员时间"))),
            Period(5, PeriodUnit.WORKDAYS, True),
            _("下列预备党员预备期已满，本人提出转正申请，拟按期转为正式党员，现予公示。")
            + _CONCERN,
        ),
        NoticeKind(
            "resolution",
            _("村级事务决议公开"),
            (
                ("matter", _("事项")),
                ("meeting", _("决议会议")),
                ("decided_on", _("决议日期")),
                ("attendance", _("到会情况")),
                ("votes", _("表决结果")),
                ("decision", _("决议内容")),
            ),
            Period(7, PeriodUnit.DAYS, True),
            _("根据“三议一会一公开一知晓”工作法，现将村级事务决议情况公开如下。")
            + _("村民对决议有意见的，可以在公开期间通过本页面反映。"),
        ),
        NoticeKind(
            "result",
            _("村级事务结果公开"),
            (
                ("matter", _("事项")),
                ("implementation", _("实施情况")),
                ("result", _("实施结果")),
                ("completed_on", _("完成日期")),
            ),
            Period(7, PeriodUnit.DAYS, True),
            _("现将村级事务实施情况和结果公开如下，请广大村民知晓、监督。"),
        ),
    )
}


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def person_fields(kind: str, person, organisation_name: str, **facts) -> dict[str, str]:
    """A person's public facts for a notice of `kind`: only what the kind whitelists; dates
    written the Chinese way. Never the ID number, phone or address (not whitelisted)."""
    fields = {
        "name": person.name,
        "gender": person.get_gender_display(),
        "birth_month": f"{person.birth_date.year}年{person.birth_date.month}月",
        "ethnicity": person.ethnicity,
        "education": person.get_education_display(),
        "occupation": person.get_occupation_display(),
        "branch": organisation_name,
    }
    for key, value in facts.items():
        fields[key] = chinese_date(value) if hasattr(value, "year") else value
    allowed = KINDS[kind].labels()
    return {key: value for key, value in fields.items() if value and key in allowed}
