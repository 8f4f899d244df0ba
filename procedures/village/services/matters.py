"""The village matter on the engine's pipeline (its `Procedure`: lock, who may act, its
deadline rows, its shared facts, what its corrections allow), the messages its steps share, and
the lock of a write that is not a step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import delegations, roles, scopes
from procedures.people.meetings import positions_held
from procedures.people.models import Position, Village
from workflows import pipeline
from workflows.errors import NotAllowed, ProcedureError

from .. import deadlines as matter_deadlines
from .. import policy
from ..models import (
    Matter,
)
from ..steps import BOOK
from . import facts

T = Position.Title
MSG_NOT_FOUND = gettext_noop("没有找到该事项，或不在您的管理范围内。")
MSG_FORBIDDEN = gettext_noop("您不能办理该村的村级事务。")
MSG_NOT_NOW = gettext_noop(
    "事项当前进度为“%(status)s”，现在不能办理“%(step)s”，步骤不能跳过或颠倒。"
)
MSG_CONCURRENT = gettext_noop("该事项刚被他人办理，请刷新后再试。")
MSG_FUTURE = gettext_noop("日期不能晚于今天。")
MSG_TITLE = gettext_noop("请填写事项名称。")
MSG_CATEGORY = gettext_noop("请选择事项类别。")
MSG_REASON = gettext_noop("请说明理由。")
MSG_ATTENDEES = gettext_noop("%(names)s不是本次会议应到会的人员。")
MSG_NOT_OF_VILLAGE = gettext_noop("所选人员不在本村（编号：%(ids)s），请从本村人员中选择。")
MSG_TALLY = gettext_noop("票数之和（%(cast)d）不能超过到会人数（%(present)d）。")
MSG_COUNTS = gettext_noop("到会人数（%(present)d）不能超过应到人数（%(total)d）。")
MSG_PLACE = gettext_noop("请填写会议地点。")
MSG_NO_RESULT_NOTICE = gettext_noop("结果尚未公开，不能登记知晓。")
MSG_CHANNELS = gettext_noop("请至少选择一种告知方式（广播、公开栏、微信群、入户）。")
MSG_HOUSEHOLD = gettext_noop("本村没有户号为“%(number)s”的户，请核对。")
MSG_NOT_READABLE = gettext_noop("该事项的结果尚未公开。")
MSG_NOTHING = gettext_noop("请填写内容。")
MSG_COMPLETED_LATER = gettext_noop("完成日期不能晚于结果公开日期。")
MSG_UNKNOWN_METHOD = gettext_noop(
    "村级事务设置中的工作法“%(key)s”不存在，请县委组织部在后台“村级事务设置”中重新选择。"
)


@dataclass
class MeetingInput:
    held_on: date
    place: str
    chair_id: int
    recorder_id: int
    attendee_ids: list[int] = field(default_factory=list)
    yes: int = 0
    no: int = 0
    abstain: int = 0
    proposal: str = ""
    outcome: str = ""
    # 决议 only
    villagers_meeting: bool = False  # False: a representatives' meeting
    present: int = 0  # villagers' meeting: how many came
    households_present: int = 0
    announced_on: date | None = None
    delegated: bool = False
    record_failure: bool = False  # a meeting that failed: record it and end the matter


def _holders(village: Village, on: date, titles) -> dict[int, set[str]]:
    """Person id -> titles held on `on` in the village's branch and committee."""
    held: dict[int, set[str]] = {}
    positions = positions_held(scopes.branch_of(village), on, titles)
    for person_id, title in positions.values_list("person_id", "title"):
        held.setdefault(person_id, set()).add(title)
    return held


class MatterSteps(pipeline.Procedure):
    """Village matters on the engine's step pipeline: the matter's lock, who may act (its
    transitions' permission: the village's 村级事务 role), its deadline rows."""

    model = Matter
    related = ("village",)
    not_found = ("matter_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    msg_concurrent = MSG_CONCURRENT

    def step_label(self, verb: str) -> str:
        return str(BOOK[verb].label) if verb in BOOK else verb

    def in_scope(self, subject: Matter, actor) -> bool:
        return policy.in_scope(subject, actor)

    def rulebook(self, subject: Matter):
        return matter_deadlines.rulebook_of(subject)

    def role_label(self, subject: Matter, actor, verb: str) -> str:
        position = roles.position_for(
            actor, subject.branch, roles.Role.VILLAGE_AFFAIRS, cache=subject
        )
        return f"{position.organisation.name}{position.get_title_display()}" if position else ""

    def acting(self, subject: Matter, actor, act_date) -> str:
        return delegations.acting_label(actor, subject.branch, act_date, cache=subject)

    def shared_facts(self, act: pipeline.Act) -> None:
        """A meeting of the branch the act recorded (提议, 审议), or a meeting whose date a
        correction changed, counts in the branch's ledger on its day."""
        meetings = [act.data.get("meeting")]
        if act.verb == "correct":
            meetings.append(act.data.get("record"))
        if any(meetings):
            facts.sync(meetings)

    def follow(self, act: pipeline.Act) -> None:
        matter_deadlines.sync(act.subject)

    def audit_payload(self, act: pipeline.Act) -> dict:
        return {"status": act.subject.status, **act.data}

    def record(self, act: pipeline.Act):
        """A matter's records are its meetings, written by their steps; a correction of
        one is a record of its own."""
        return self.corrections.record_correction(act) if act.verb == "correct" else None


MATTERS = MatterSteps()
MSG_ACTING = gettext_noop("（受书记委托主持）")
MSG_DELEGATION_NEEDED = gettext_noop(
    "书记不在时，%(title)s可以主持提议，但须有书记对%(day)s的委托记录，该日没有。"
    "请先在菜单“委托”（职责委托）中登记书记的委托（委托给%(name)s，包含该日），再登记本次会议"
)


def _check_date(on: date) -> None:
    if on > timezone.localdate():
        raise ProcedureError("date_in_future", _(MSG_FUTURE))


def hold(matter_id: int, actor) -> Matter:
    """A matter locked for a write that is not a step (a meeting planned, villagers'
    reading recorded): by those who record the village's matters."""
    matter = pipeline.hold(MATTERS, matter_id, actor)
    if not policy.may_act(matter, actor):
        raise NotAllowed("matter_forbidden", _(MSG_FORBIDDEN))
    return matter
