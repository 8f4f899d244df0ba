"""A notice's own acts on the engine's pipeline (drafted, published, withdrawn, closed):
one lock, the service's checks, the lifecycle's transition, the save refusing a concurrent
change, the deadline row, the audit event. Its events keep their names (`notice_published`,
...): the published audit heads and every reader of the chain know them so."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_noop

from procedures.people import scopes
from workflows import deadlines, pipeline
from workflows.audit import stream_of
from workflows.notices import NoticeStatus, ObjectionStatus

from .kinds import KINDS
from .models import Notice, Objection

MSG_NOT_FOUND = gettext_noop("没有找到该公示。")
MSG_NOT_NOW = gettext_noop("该公示当前为“%(status)s”，现在不能%(step)s。")
MSG_FORBIDDEN = gettext_noop("您不能管理该村的公示。")
MSG_CONCURRENT = gettext_noop("该公示刚被他人办理，请刷新后再试。")
MSG_OBJECTION_NOT_FOUND = gettext_noop("没有找到该反映。")
MSG_OBJECTION_NOT_NOW = gettext_noop("该反映当前为“%(status)s”，现在不能%(step)s。")
MSG_OBJECTION_FORBIDDEN = gettext_noop("您不能核实该村公示收到的反映。")
MSG_OBJECTION_CONCURRENT = gettext_noop("该反映刚被他人办理，请刷新后再试。")

# The audit's name of each act.
ACTIONS = {
    "draft": "notice_drafted",
    "publish": "notice_published",
    "withdraw": "notice_withdrawn",
    "close": "notice_closed",
}
OBJECTION_ACTIONS = {
    "receive": "objection_received",
    "start_verification": "objection_verification_started",
    "resolve": "objection_resolved",
}


class NoticeSteps(pipeline.Procedure):
    model = Notice
    related = ("village",)
    not_found = ("notice_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    msg_concurrent = MSG_CONCURRENT
    actions = ACTIONS

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


class ObjectionSteps(pipeline.Procedure):
    """A villager's concern about a notice: received (from the public page, by nobody's
    account), its verification started, resolved. Its events stay on the notice's stream
    under their names: the notice's chain is what its readers check."""

    model = Objection
    related = ("notice__village",)
    not_found = ("objection_not_found", MSG_OBJECTION_NOT_FOUND)
    msg_not_now = MSG_OBJECTION_NOT_NOW
    msg_forbidden = MSG_OBJECTION_FORBIDDEN
    msg_concurrent = MSG_OBJECTION_CONCURRENT
    actions = OBJECTION_ACTIONS

    def stream(self, subject) -> str:
        return stream_of(subject.notice)

    def audit_payload(self, act: pipeline.Act) -> dict:
        return {"receipt": act.subject.receipt, **act.data}

    def follow(self, act: pipeline.Act) -> None:
        """Resolved, the last open objection of a closed notice: its close row ends."""
        notice = act.subject.notice
        if (
            act.verb == "resolve"
            and notice.status != NoticeStatus.PUBLISHED
            and not objections_open(notice)
        ):
            deadlines.close_deadlines(notice)


NOTICES = NoticeSteps()
OBJECTIONS = ObjectionSteps()
