"""The branch's records on the engine's pipeline (their `Procedure`: who sees them,
who acts and as whom, their rulebook, their shared facts and deadline rows, what
their corrections allow), and the messages their steps share."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from procedures.people import delegations, roles
from workflows import pipeline
from workflows.rules import get_rulebook

from .. import deadlines, facts, policy
from ..models import BranchMeeting
from ..rulebooks import BRANCH_2018
from ..steps import MEETING_BOOK

MSG_NOT_FOUND = gettext_noop("没有找到该组织生活记录，或不在您的管理范围内。")
MSG_NOT_NOW = gettext_noop("该记录当前为“%(status)s”，现在不能%(step)s。")
MSG_FORBIDDEN = gettext_noop("%(step)s应由本支部书记、副书记、组织委员或第一书记办理。")
MSG_CONCURRENT = gettext_noop("该记录刚被他人办理，请刷新后再试。")
MSG_NOT_BRANCH = gettext_noop("组织生活记录属于村党支部，请选择党支部。")
MSG_RECORD_FORBIDDEN = gettext_noop("只有本支部书记、副书记、组织委员或第一书记可以登记组织生活。")
MSG_KIND = gettext_noop("请选择组织生活的类别。")
MSG_TOPIC = gettext_noop("请填写主题。")
MSG_FUTURE = gettext_noop("召开日期不能晚于今天。")
MSG_PLAN_PAST = gettext_noop("预约日期应在今天或以后（已召开的请直接登记）。")
MSG_SUMMARY = gettext_noop("请填写内容摘要：没有内容的记录不能作为组织生活的记录。")
MSG_NO_ATTENDEES = gettext_noop("请选择到会人员：没有到会人员的记录不能作为组织生活的记录。")
MSG_NOT_EXPECTED = gettext_noop("%(names)s不是本次%(kind)s应到会的人员。")
MSG_NOT_OF_BRANCH = gettext_noop("所选人员不在本支部（编号：%(ids)s），请从本支部人员中选择。")
MSG_BOTH = gettext_noop("%(names)s不能既到会又请假。")
MSG_CHAIR = gettext_noop("主持人应是到会人员。")
MSG_RECORDER = gettext_noop("记录人应是到会人员。")
MSG_GROUP = gettext_noop("党小组会请选择本支部的党小组。")
MSG_PAIR = gettext_noop("谈心谈话应有谈话双方两人：谈话人（主持人）和一名谈话对象。")
MSG_GRADES = gettext_noop("民主评议党员请为到会党员逐一填写评议结果（缺：%(names)s）。")
MSG_GRADE_VALUE = gettext_noop("评议结果只能是优秀、合格、基本合格或不合格。")
MSG_REASON = gettext_noop("请说明取消的原因。")
MSG_PLACE = gettext_noop("请填写地点。")
MSG_ATTACHMENT = gettext_noop(
    "附件“%(name)s”不能接收：只接收 PDF、JPG、PNG 文件，每个不超过%(mb)dMB。"
)
MAX_ATTACHMENT_MB = 10
_ATTACHMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}

STEP_LABELS = {
    **{step.code: step.label for step in MEETING_BOOK.steps},
    "take_back": "撤回",
    "correct": "更正召开日期",
    "corrected": "更正后的记录",
    "press": "催办",
    "copy": "抄送",
}


class BranchSteps(pipeline.Procedure):
    """What the branch's records (meetings, dues) share on the pipeline: seen by those over
    the branch, acted on by its leaders, under the one rulebook."""

    labels: dict[str, str] = {}
    msg_concurrent = MSG_CONCURRENT

    def step_label(self, verb: str) -> str:
        return self.labels.get(verb, verb)

    def in_scope(self, subject, actor) -> bool:
        return policy.in_scope(subject, actor)

    def rulebook(self, subject):
        return get_rulebook(BRANCH_2018)

    def role_label(self, subject, actor, verb: str) -> str:
        if actor is None:
            return "系统录入"
        position = roles.position_for(actor, subject.branch, roles.Role.BRANCH, cache=subject)
        if position is None:
            return "系统管理员" if actor.is_superuser else ""
        return f"{position.organisation.name}{position.get_title_display()}"

    def acting(self, subject, actor, act_date) -> str:

        return delegations.acting_label(actor, subject.branch, act_date, cache=subject)


class MeetingSteps(BranchSteps):
    model = BranchMeeting
    related = ("branch",)
    not_found = ("meeting_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    labels = STEP_LABELS

    def shared_facts(self, act: pipeline.Act) -> None:
        facts.sync(act.subject)

    def follow(self, act: pipeline.Act) -> None:
        deadlines.sync_meeting(act.subject)
        deadlines.sync_branch(act.subject.branch)

    def audit_payload(self, act: pipeline.Act) -> dict:
        payload = {"status": act.subject.status, "kind": act.subject.kind, **act.data}
        if act.verb == "correct":
            payload["corrected_by"] = act.record.pk
        return payload

    def record(self, act: pipeline.Act):
        """A correction is a record of its own, superseding the one it corrects."""
        return self.corrections.record_correction(act) if act.verb == "correct" else None


MEETINGS = MeetingSteps()
