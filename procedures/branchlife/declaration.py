"""The branch's organisational life as the surfaces see it: for the branch's 工作手册 (a plan
filed ahead, a meeting recorded directly) and for one meeting (its plan recorded as held,
or cancelled), the fields each takes and the service that performs it. The staff forms,
the API bodies and their schema are built from these tables (portal/step_inputs.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.meetings import party_members
from procedures.people.models import Organisation
from workflows import inputs as i
from workflows.errors import ProcedureError

from . import policy, services
from .models import BranchLife, BranchMeeting
from .steps import Grade, Kind, Status

MSG_REASON_ALONE = gettext_noop("填写了请假事由，但没有选择请假人员。")


def _branch(subject) -> Organisation:
    return subject.branch


def members(subject, on: date) -> list[tuple[int, str]]:
    """The branch's party members, and its committee's other members (a 支委会 may seat a
    first secretary who is no member of the branch)."""
    return [
        (person.pk, f"{person.name}（{person.get_standing_display()}）")
        for person in party_members(_branch(subject))
    ]


def groups(subject, on: date) -> list[tuple[int, str]]:
    rows = Organisation.objects.filter(
        kind=Organisation.Kind.PARTY_GROUP, path__startswith=_branch(subject).path
    ).order_by("name")
    return [(group.pk, group.name) for group in rows]


def matters(subject, on: date) -> list[tuple[int, str]]:
    from procedures.village.models import Matter

    branch = _branch(subject)
    rows = Matter.objects.filter(village_id=branch.village_id).order_by("-pk")[:50]
    return [(matter.pk, matter.title) for matter in rows]


def _optional_record(name: str, label: str, options) -> i.Field:
    return i.Field(name, label, i.Kind.ID, required=False, options=options)


MINUTES = (
    i.date("on", "召开日期"),
    i.text("topic", "主题", 200),
    i.text("place", "地点", 100, optional=True),
    i.record("chair", "主持人（谈心谈话：谈话人）", members),
    _optional_record("recorder", "记录人", members),
    i.records("present", "到会人员", 2000, members),
    i.records("on_leave", "请假人员", 2000, members, optional=True),
    i.text("leave_reason", "请假事由", 200, optional=True),
    i.text("summary", "内容摘要", 5000, blank=True),
    i.text("decisions", "议定事项", 5000, optional=True),
    _optional_record("group", "党小组（党小组会）", groups),
    i.Field(
        "grades",
        "评议结果（民主评议党员）",
        i.Kind.VOTES,
        required=False,
        max_length=2000,
        choices=tuple(Grade.choices),
        options=members,
        invalid_choice="评议结果应按党员编号填写。",
    ),
    _optional_record("matter", "议事事项（主题党日的民主议事）", matters),
)
KIND = i.choice("kind", "类别", Kind.choices, invalid="请选择组织生活的类别。")
REASON = i.text("reason", "原因", 300, blank=True)


def minutes(d: dict) -> services.Minutes:
    reason = d.get("leave_reason", "")
    if reason.strip() and not d.get("on_leave"):
        # A reason with nobody on leave would be dropped: say so rather than lose it.
        raise ProcedureError("leave_reason_without_people", _(MSG_REASON_ALONE))
    return services.Minutes(
        held_on=d["on"],
        topic=d["topic"],
        summary=d["summary"],
        place=d.get("place", ""),
        chair_id=d["chair"],
        recorder_id=d.get("recorder"),
        present_ids=list(d["present"]),
        leave={person_id: reason for person_id in d.get("on_leave", ())},
        decisions=d.get("decisions", ""),
        grades={int(k): v for k, v in d.get("grades", {}).items()},
        group_id=d.get("group"),
        matter_id=d.get("matter"),
    )


def _may_record(life: BranchLife, user) -> str | None:
    return "" if not policy.may_record(user, life.branch) else None


# The branch's 工作手册: its inputs create a record (no transition of an existing one).
BRANCH_INPUTS: dict[str, i.StepInput] = {
    "plan": i.StepInput(
        "plan",
        "预约报备",
        (
            KIND,
            i.date("planned_on", "预约日期", future=True),
            i.text("topic", "主题", 200),
            _optional_record("group", "党小组（党小组会）", groups),
        ),
        lambda life, a, d: services.meeting_plan(
            actor=a,
            branch=life.branch,
            kind=d["kind"],
            planned_on=d["planned_on"],
            topic=d["topic"],
            group_id=d.get("group"),
        ),
        lambda life, user: "预约报备" if policy.may_record(user, life.branch) else None,
    ),
    "hold": i.StepInput(
        "hold",
        "登记组织生活",
        (KIND, *MINUTES),
        lambda life, a, d: services.meeting_hold(
            actor=a, branch=life.branch, kind=d["kind"], minutes=minutes(d)
        ),
        lambda life, user: "登记组织生活" if policy.may_record(user, life.branch) else None,
    ),
}

# One meeting: a plan recorded as held, or cancelled (transitions of its lifecycle).
MEETING_INPUTS: dict[str, i.StepInput] = {
    "record": i.StepInput(
        "record",
        "登记召开情况",
        MINUTES,
        lambda m, a, d: services.meeting_record(meeting_id=m.pk, actor=a, minutes=minutes(d)),
    ),
    "cancel": i.StepInput(
        "cancel",
        "取消预约",
        (i.date("on", "取消日期", today=True), REASON),
        lambda m, a, d: services.meeting_cancel(
            meeting_id=m.pk, actor=a, reason=d["reason"], on=d["on"]
        ),
    ),
}

__all__ = ["BRANCH_INPUTS", "MEETING_INPUTS", "BranchMeeting", "Status"]
