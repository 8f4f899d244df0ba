"""The notices a village matter posts: its resolution (一公开) and its result. Registered with
publicity when the app starts."""

from django.utils.translation import gettext_lazy as _

from procedures.publicity.kinds import NoticeKind, register
from workflows.notices import Period, PeriodUnit

register(
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
