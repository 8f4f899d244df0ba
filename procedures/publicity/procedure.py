"""A notice's own acts on the engine's pipeline (drafted, published, withdrawn, closed):
one lock, the service's checks, the lifecycle's transition, the save refusing a concurrent
change, the deadline row, the audit event. Its events keep their names (`notice_published`,
...): the published audit heads and every reader of the chain know them so."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_noop

from procedures.people import scopes
from workflows import deadlines, pipeline
from workflows.notices import ObjectionStatus

from .kinds import KINDS
from .models import Notice

MSG_NOT_FOUND = gettext_noop("没有找到该公示。")
MSG_NOT_NOW = gettext_noop("该公示当前为“%(status)s”，现在不能%(step)s。")
MSG_FORBIDDEN = gettext_noop("您不能管理该村的公示。")
MSG_CONCURRENT = gettext_noop("该公示刚被他人办理，请刷新后再试。")

# The audit's name of each act.
ACTIONS = {
    "draft": "notice_drafted",
    "publish": "notice_published",
    "withdraw": "notice_withdrawn",
    "close": "notice_closed",
}


class NoticeSteps(pipeline.Procedure):
    model = Notice
    related = ("village",)
    not_found = ("notice_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    msg_concurrent = MSG_CONCURRENT

    # A notice is public: anyone may read it; who may act on it is the service's check
    # (`policy.may_manage_notices`), refused with its own message.

    def audit_payload(self, act: pipeline.Act) -> dict:
        notice = act.subject
        if act.verb == "publish":
            return {
                "starts_on": notice.starts_on,
                "ends_on": notice.ends_on,
                "provisional": notice.provisional,
            }
        return dict(act.data)

    def follow(self, act: pipeline.Act) -> None:
        """Published: its close is a deadline row (objections raised on it must be settled
        by the day it closes); withdrawn: its rows end; closed: they end unless an objection
        is still open (then the row is overdue, and escalated, until the last is settled)."""
        notice = act.subject
        if act.verb == "publish":
            _open_close_deadline(notice)
        elif act.verb == "withdraw" or (act.verb == "close" and not objections_open(notice)):
            deadlines.close_deadlines(notice)


def objections_open(notice: Notice) -> bool:
    return notice.objections.exclude(status=ObjectionStatus.RESOLVED).exists()


def _open_close_deadline(notice: Notice) -> None:
    """Due the day after the period (on the period's last day, the hour between midnight
    and the close job would have escalated every notice ending that day); settled by whoever
    verifies its objections, as its kind declares (the township: the village, whose notice
    it is, is never the one to check a concern)."""
    branch = scopes.branch_of(notice.village)
    deadlines.open_deadline(
        notice,
        key="notice_close",
        due_on=notice.ends_on + timedelta(days=1),
        title=f"公示期满，办结群众反映：{notice.title}",
        audience=KINDS[notice.kind].verifier,
        scope_path=branch.path,
    )


NOTICES = NoticeSteps()
