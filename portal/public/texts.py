"""Sentences shown on a notice, shared by its page and its PDF."""

from django.utils.translation import gettext as _

from procedures.publicity.kinds import chinese_date
from procedures.publicity.models import Notice
from workflows.notices import NoticeStatus


def period_text(notice: Notice) -> str:
    if not notice.starts_on:
        return _("公示期：%(period)s") % {"period": notice.period.describe()}
    return _("公示期：%(period)s，自%(start)s起至%(end)s止。") % {
        "period": notice.period.describe(),
        "start": chinese_date(notice.starts_on),
        "end": chinese_date(notice.ends_on),
    }


def status_text(notice: Notice, today) -> str:
    if notice.status == NoticeStatus.WITHDRAWN:
        return _("已撤回（%(date)s）：%(reason)s") % {
            "date": chinese_date(notice.withdrawn_on),
            "reason": notice.withdrawn_reason,
        }
    if notice.status == NoticeStatus.CLOSED or today > notice.ends_on:
        return _("公示已结束")
    if today < notice.published_on:
        return _("将于%(start)s开始公示") % {"start": chinese_date(notice.published_on)}
    return _("公示中，%(end)s截止") % {"end": chinese_date(notice.ends_on)}
