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
        "end": chinese_date(notice.ends_on) + provisional_mark(notice),
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
    return _("公示中，%(end)s截止") % {"end": chinese_date(notice.ends_on)} + provisional_mark(
        notice
    )


def provisional_mark(notice: Notice) -> str:
    """An end date that depends on a year whose holiday schedule is not yet published."""
    return _("（暂定）") if notice.provisional else ""


def board_badge(notice: Notice, today) -> str:
    """What a board line says of a notice: a running one its end (the year when it is not
    this year's, and 暂定 when it may move), a past one its period, a withdrawn one when."""
    if notice.status == NoticeStatus.WITHDRAWN:
        return _("已撤回 · %(date)s") % {"date": chinese_date(notice.withdrawn_on)}
    if notice.status == NoticeStatus.CLOSED or today > notice.ends_on:
        return _("%(start)s至%(end)s") % {
            "start": chinese_date(notice.starts_on),
            "end": chinese_date(notice.ends_on),
        }
    end = notice.ends_on
    shown = f"{end.month}月{end.day}日" if end.year == today.year else chinese_date(end)
    return _("%(end)s截止") % {"end": shown} + provisional_mark(notice)
