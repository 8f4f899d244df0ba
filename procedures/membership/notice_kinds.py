"""The notices member development posts: the 发展对象 notice (2026 revision), and the 29-step
variant's admission and conversion notices. Registered with publicity when the app starts."""

from django.utils.translation import gettext_lazy as _

from procedures.publicity.kinds import NoticeKind, register
from workflows.notices import Period, PeriodUnit

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


register(
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
        _("下列预备党员预备期已满，本人提出转正申请，拟按期转为正式党员，现予公示。") + _CONCERN,
    ),
)
