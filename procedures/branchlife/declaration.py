"""The branch's organisational life as the surfaces see it: for the branch's 工作手册 (a plan
filed ahead, a meeting recorded directly) and for one meeting (its plan recorded as held,
or cancelled), the fields each takes and the service that performs it. The staff forms,
the API bodies and their schema are built from these tables (portal/surfaces/step_inputs.py)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import agenda
from procedures.people.meetings import party_members
from procedures.people.models import Organisation
from workflows import amend_inputs
from workflows import inputs as i
from workflows.errors import ProcedureError

from . import policy, services
from .models import BranchLife, DuesPayment, LapseDecision
from .services.procedure import MEETINGS
from .steps import DUES_BOOK, Grade, Kind

MSG_REASON_ALONE = gettext_noop("填写了请假事由，但没有选择请假人员。")


def _branch(subject) -> Organisation:
    return subject.branch


def members(subject, on: date) -> list[tuple[int, str]]:
    """The branch's party members, and its committee's other members (a 支委会 may seat a
    first secretary who is no member of the branch)."""
    return [
        (person.pk, f"{person.name}（{person.get_standing_display()}）")
        for person in party_members(_branch(subject), on)
    ]


def groups(subject, on: date) -> list[tuple[int, str]]:
    rows = Organisation.objects.filter(
        kind=Organisation.Kind.PARTY_GROUP, path__startswith=_branch(subject).path
    ).order_by("name")
    return [(group.pk, group.name) for group in rows]


def matters(subject, on: date) -> list[tuple[int, str]]:
    """The village's matters a 主题党日 may carry (registered in `people.agenda`)."""
    business = agenda.business("matter")
    return business.options(_branch(subject)) if business is not None else []


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
    i.files("attachments", "附件（照片、签到表等，PDF/JPG/PNG）", 10),
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
        attachments=list(d.get("attachments", ())),
    )


def _may_record(life: BranchLife, user) -> str | None:
    return "" if not policy.may_record(user, life.branch) else None


MSG_MONTH = gettext_noop("起始月份应写成“年-月”，如2026-11。")


def month(raw: str) -> date:
    """A month typed as 2026-11 (or 2026-11-01), as its first day."""
    found = i.month_of(raw)
    if found is None:
        raise ProcedureError("month", _(MSG_MONTH))
    return found


PAYMENT = (
    i.text("first_month", "起始月份（如2026-11）", 10),
    i.number("months", "月数", 24),
    i.text("amount", "金额（元）", 12),
    i.choice("basis", "交纳标准", DuesPayment.Basis.choices, invalid="请选择交纳标准。"),
    i.date("paid_on", "交纳日期", today=True),
    _optional_record("collector", "收缴人", members),
    i.text("receipt_no", "收据号", 40, optional=True),
    i.text("note", "说明（免交的理由等）", 300, optional=True),
)


def payment(d: dict, member_id: int | None = None) -> services.Payment:
    return services.Payment(
        member_id=member_id if member_id is not None else d["member"],
        first_month=month(d["first_month"]),
        months=d["months"],
        amount=d["amount"],
        basis=d["basis"],
        paid_on=d["paid_on"],
        collector_id=d.get("collector"),
        receipt_no=d.get("receipt_no", ""),
        note=d.get("note", ""),
    )


def _for_branch_leaders(label: str):
    return lambda life, user: label if policy.may_record(user, life.branch) else None


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
        _for_branch_leaders("预约报备"),
    ),
    "hold": i.StepInput(
        "hold",
        "登记组织生活",
        (KIND, *MINUTES),
        lambda life, a, d: services.meeting_hold(
            actor=a, branch=life.branch, kind=d["kind"], minutes=minutes(d)
        ),
        _for_branch_leaders("登记组织生活"),
    ),
    "pay": i.StepInput(
        "pay",
        "登记党费",
        (i.record("member", "党员", members), *PAYMENT),
        lambda life, a, d: services.dues_pay(actor=a, branch=life.branch, payment=payment(d)),
        _for_branch_leaders("登记党费"),
    ),
    "decide_lapse": i.StepInput(
        "decide_lapse",
        "党章第九条处理决定",
        (
            i.record("member", "党员", members),
            i.choice("ground", "情形", LapseDecision.Ground.choices, invalid="请选择情形。"),
            i.choice(
                "decision",
                "支部决定",
                LapseDecision.Decision.choices,
                invalid="请选择支部的处理决定。",
            ),
            i.date("on", "决定日期"),
            i.text("note", "依据和说明", 500, blank=True),
        ),
        lambda life, a, d: services.lapse_decide(
            actor=a,
            branch=life.branch,
            member_id=d["member"],
            ground=d["ground"],
            decision=d["decision"],
            decided_on=d["on"],
            note=d["note"],
        ),
        _for_branch_leaders("党章第九条处理决定"),
    ),
}

# One payment: corrected by a new one that supersedes it.
DUES_INPUTS: dict[str, i.StepInput] = {
    "supersede": i.StepInput(
        "supersede",
        str(DUES_BOOK.by_code["supersede"].label),  # the step record's
        (*PAYMENT, i.text("reason", "更正原因", 300, blank=True)),
        lambda p, a, d: services.dues_correct(
            payment_id=p.pk, actor=a, payment=payment(d, p.member_id), reason=d["reason"]
        ),
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
# And the corrections and hand-offs of the engine (workflows.amend): the branch's records
# have no step that approves them, so nothing is returned (退回).
MEETING_INPUTS.update(
    amend_inputs.declared(MEETINGS, [], verbs=("take_back", "correct", "press", "copy"))
)
