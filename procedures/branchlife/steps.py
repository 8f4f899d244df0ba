"""The branch's organisational life (《党支部工作手册》): the kinds of record, who sits in each,
the lifecycle's statuses, and how often each kind is due (../shared/domain/branch-life.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people import roles
from procedures.people.models import MeetingHeld, Position
from workflows import steps as records

from . import policy

T = Position.Title


# The kinds of record are the kinds of meeting the branch's ledger counts, whichever
# procedure held one: written once, with the shared fact.
Kind = MeetingHeld.Kind


class Status(models.TextChoices):
    PLANNED = "planned", _("已预约报备")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")
    # 撤回: taken back by who recorded it; 已更正: superseded by the record correcting its
    # date. Both stay in the record and count nowhere.
    WITHDRAWN = "withdrawn", _("已撤回")
    SUPERSEDED = "superseded", _("已更正")


class Presence(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("无故缺席")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class Attendees(models.TextChoices):
    """Who should attend, taken from the people records on the meeting's day."""

    MEMBERS = "members", _("本支部全体党员")
    COMMITTEE = "committee", _("支部委员")
    GROUP = "group", _("本党小组党员")
    PAIR = "pair", _("谈话双方")


# The branch committee's members (条例 第十二条): they sit in the 支委会.
COMMITTEE_TITLES = roles.COMMITTEE_TITLES


@dataclass(frozen=True)
class KindRules:
    attendees: str
    frequency: str  # the rule giving how often (its "months")
    quorum: str = ""  # the rule a record's attendance must meet, if any


KINDS: dict[str, KindRules] = {
    Kind.GENERAL_MEETING: KindRules(
        Attendees.MEMBERS, "general_meeting_frequency", "general_meeting_quorum"
    ),
    Kind.COMMITTEE_MEETING: KindRules(
        Attendees.COMMITTEE, "committee_meeting_frequency", "committee_meeting_quorum"
    ),
    Kind.GROUP_MEETING: KindRules(Attendees.GROUP, "group_meeting_frequency"),
    Kind.PARTY_LECTURE: KindRules(Attendees.MEMBERS, "party_lecture_frequency"),
    Kind.THEME_DAY: KindRules(Attendees.MEMBERS, "theme_day_frequency"),
    Kind.LIFE_MEETING: KindRules(Attendees.MEMBERS, "life_meeting_frequency"),
    Kind.APPRAISAL: KindRules(Attendees.MEMBERS, "appraisal_frequency"),
    Kind.HEART_TALK: KindRules(Attendees.PAIR, "heart_talk_frequency"),
}

# The ledger's sections, in the order of the printed 手册.
LEDGER_ORDER = tuple(KINDS)


class DuesStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUPERSEDED = "superseded", _("已更正")


# Each step of the branch's records once (workflows.steps): its label, its role (the only
# place it is written: the branch's leaders), from which statuses to which. The records'
# transitions are made from these (models.py); a record planned or held, a payment made,
# opens its subject. The corrections (撤回, a date's 更正) are no steps: their own
# permissions decide.
_ROLE = roles.Role.BRANCH
MEETING_BOOK = records.StepBook(
    (
        records.Step("plan", "预约报备", _ROLE, Status.PLANNED),
        records.Step("hold", "登记组织生活", _ROLE, Status.HELD),
        records.Step("record", "登记召开情况", _ROLE, Status.HELD, source=(Status.PLANNED,)),
        records.Step("cancel", "取消预约", _ROLE, Status.CANCELLED, source=(Status.PLANNED,)),
    ),
    permission_for=policy.permission_for,
)
DUES_BOOK = records.StepBook(
    (
        records.Step("pay", "登记党费", _ROLE, DuesStatus.VALID),
        records.Step("supersede", "更正", _ROLE, DuesStatus.SUPERSEDED, source=(DuesStatus.VALID,)),
    ),
    permission_for=policy.permission_for,
)
