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
        return _("%(start)s至%(end)s") % _short_period(notice.starts_on, notice.ends_on, today)
    return _("%(end)s截止") % {"end": _short_date(notice.ends_on, today)} + provisional_mark(notice)


def _short_date(day, today) -> str:
    """A date as short as it can be said without doubt: the year only when not this year's."""
    return f"{day.month}月{day.day}日" if day.year == today.year else chinese_date(day)


def _short_period(start, end, today) -> dict[str, str]:
    """A period for a line on a phone: 11月19日至25日, the year when it is not this year's."""
    if start.year == end.year == today.year and start.month == end.month:
        return {"start": f"{start.month}月{start.day}日", "end": f"{end.day}日"}
    if start.year == end.year == today.year:
        return {"start": _short_date(start, today), "end": _short_date(end, today)}
    return {"start": chinese_date(start), "end": chinese_date(end)}
