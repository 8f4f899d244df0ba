"""Stage 5: the probationary member's education and conversion, archiving, and the exits."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.models import Organisation
from procedures.publicity import services as publicity
from workflows import pipeline
from workflows.errors import ProcedureError

from ..models import Case
from ..steps import CHECKLIST
from . import meetings
from .approval import township_of
from .base import (
    CASES,
    check_act_date,
    rulebook_of,
    vote_outcome,
)
from .cultivation import _standing
from .notices import case_notice, draft_and_publish

MSG_GROUP = gettext_noop("请选择本支部的党小组。")
MSG_REASON = gettext_noop("请说明理由。")


@transaction.atomic
def case_assign_group(*, case_id: int, actor, group: Organisation, assigned_on: date) -> Case:
    """⑲ 编入党支部和党小组."""
    case = pipeline.begin(CASES, case_id, "assign_group", actor)
    check_act_date(case, assigned_on)
    if group.kind != Organisation.Kind.PARTY_GROUP or group.parent_id != case.branch_id:
        raise ProcedureError("not_a_group_of_branch", _(MSG_GROUP))
    pipeline.finish(
        CASES,
        case,
        "assign_group",
        actor=actor,
        act_date=assigned_on,
        data={"group": group.name},
    )
    return case


@transaction.atomic
def case_take_oath(*, case_id: int, actor, oath_on: date) -> Case:
    """⑳ 入党宣誓 (within a month of approval under the 2026 revision: later is recorded)."""
    case = pipeline.begin(CASES, case_id, "take_oath", actor)
    check_act_date(case, oath_on)
    rulebook = rulebook_of(case)
    late = []
    if "oath_deadline" in rulebook:
        late = rulebook.require(
            rulebook.check("oath_deadline", approved_on=case.approved_on, oath_on=oath_on)
        )
    case.oath_on = oath_on
    pipeline.finish(
        CASES,
        case,
        "take_oath",
        actor=actor,
        act_date=oath_on,
        late=late,
    )
    return case


@transaction.atomic
def case_apply_conversion(*, case_id: int, actor, applied_on: date) -> Case:
    """㉒ 提出转正申请."""
    case = pipeline.begin(CASES, case_id, "apply_conversion", actor)
    check_act_date(case, applied_on)
    pipeline.finish(
        CASES,
        case,
        "apply_conversion",
        actor=actor,
        act_date=applied_on,
    )
    return case


@transaction.atomic
def case_publish_conversion(*, case_id: int, actor, published_on: date) -> Case:
    """29-step variant: the conversion notice before the 支部大会."""
    case = pipeline.begin(CASES, case_id, "publish_conversion", actor)
    check_act_date(case, published_on)
    notice = draft_and_publish(
        case,
        kind="conversion",
        published_on=published_on,
        rule_id="conversion_notice",
        extra={"admission_date": case.admitted_on},
    )
    pipeline.finish(
        CASES,
        case,
        "publish_conversion",
        actor=actor,
        act_date=published_on,
        data={"notice": notice.pk},
    )
    return case


@transaction.atomic
def case_branch_convert(
    *, case_id: int, actor, attendance: meetings.Attendance, record_failure: bool = False
) -> Case:
    """㉓ 支部大会讨论转正: once the probation has ended; same quorum and vote as admission.
    A meeting that did not pass is recorded with `record_failure`: the case stays, for a
    new meeting, an extension of the probation or a cancellation, each decided on its own."""
    case = pipeline.begin(CASES, case_id, "branch_convert", actor)
    held_on = attendance.held_on
    check_act_date(case, held_on)
    rulebook = rulebook_of(case)
    rulebook.require(
        rulebook.check(
            "conversion_after_probation", probation_ends_on=case.probation_ends_on, held_on=held_on
        )
    )
    if case.variant == "local-29":
        publicity.notice_gate(
            notice=case_notice(case, "conversion"),
            citation=rulebook.citation("conversion_notice"),
            today=held_on,
        )
    count, eligible = meetings.count_general_meeting(case.branch, attendance)
    failed, _late = vote_outcome(
        rulebook,
        vote=[
            *rulebook.check("conversion_quorum", present=count.present, eligible=count.eligible),
            *rulebook.check(
                "conversion_majority", yes=count.yes, eligible=count.eligible, needed=count.needed
            ),
        ],
        record_failure=record_failure,
    )
    meeting = meetings.save_general_meeting(case, attendance, count, eligible, "conversion")
    data = {**meetings.meeting_data(attendance, count), "meeting": meeting.pk}
    if failed:
        pipeline.fail(
            CASES, case, "branch_convert", actor=actor, act_date=held_on, failed=failed, data=data
        )
        return case
    case.conversion_voted_on = held_on
    pipeline.finish(
        CASES,
        case,
        "branch_convert",
        actor=actor,
        act_date=held_on,
        data=data,
    )
    return case


@transaction.atomic
def case_approve_conversion(*, case_id: int, actor, approved_on: date) -> Case:
    """㉔ 上级党委审批转正: the 党龄 counts from the conversion date, the day the probation
    ended (a later approval is recorded as late)."""
    case = pipeline.begin(CASES, case_id, "approve_conversion", actor)
    check_act_date(case, approved_on)
    rulebook = rulebook_of(case)
    late = rulebook.require(
        rulebook.check(
            "conversion_approval_deadline",
            voted_on=case.conversion_voted_on,
            approved_on=approved_on,
        )
    )
    case.converted_on = case.probation_ends_on
    _standing(case, "convert", case.converted_on)
    pipeline.finish(
        CASES,
        case,
        "approve_conversion",
        actor=actor,
        act_date=approved_on,
        late=late,
        data={"converted_on": case.converted_on},
    )
    return case


def missing_materials(case: Case) -> list[str]:
    present = set(case.materials.values_list("kind", flat=True))
    return [
        str(label)
        for step_code, items in CHECKLIST.items()
        for kind, label in items
        if kind not in present
    ]


@transaction.atomic
def case_archive(*, case_id: int, actor, archived_on: date) -> Case:
    """㉕ 材料归档: every document of the checklist must be in the file."""
    case = pipeline.begin(CASES, case_id, "archive", actor)
    check_act_date(case, archived_on)
    missing = missing_materials(case)
    rulebook = rulebook_of(case)
    rulebook.require(rulebook.check("archive_checklist", missing="、".join(missing)))
    pipeline.finish(CASES, case, "archive", actor=actor, act_date=archived_on)
    return case


@transaction.atomic
def case_stop(*, case_id: int, actor, stopped_on: date, reason: str) -> Case:
    """不予确定 / 停止培养, at any stage before admission."""
    case = pipeline.begin(CASES, case_id, "stop", actor)
    check_act_date(case, stopped_on)
    if not (reason or "").strip():
        raise ProcedureError("reason_required", _(MSG_REASON))
    case.closed_on, case.closed_reason = stopped_on, reason.strip()[:300]
    _standing(case, "drop_out", stopped_on)
    pipeline.finish(
        CASES,
        case,
        "stop",
        actor=actor,
        act_date=stopped_on,
        data={"reason": case.closed_reason},
    )
    return case


@transaction.atomic
def case_extend_probation(
    *, case_id: int, actor, decided_on: date, months: int, reason: str
) -> Case:
    """延长预备期: once only, 6 to 12 months, decided by the branch and approved above."""
    case = pipeline.begin(CASES, case_id, "extend_probation", actor)
    check_act_date(case, decided_on)
    rulebook = rulebook_of(case)
    rulebook.require(
        rulebook.check("extension_once", extended=case.probation_extended),
        rulebook.check("extension_length", months=months),
    )
    if not (reason or "").strip():
        raise ProcedureError("reason_required", _(MSG_REASON))
    ends_on = case.probation_ends_on + relativedelta(months=months)
    pipeline.finish(
        CASES,
        case,
        "extend_probation",
        actor=actor,
        act_date=decided_on,
        changes={"probation_extended": True, "probation_ends_on": ends_on},
        data={"months": months, "reason": reason.strip(), "ends_on": ends_on},
    )
    return case


@transaction.atomic
def case_cancel(*, case_id: int, actor, decided_on: date, reason: str) -> Case:
    """取消预备党员资格."""
    case = pipeline.begin(CASES, case_id, "cancel", actor)
    check_act_date(case, decided_on)
    if not (reason or "").strip():
        raise ProcedureError("reason_required", _(MSG_REASON))
    case.closed_on, case.closed_reason = decided_on, reason.strip()[:300]
    _standing(case, "cancel_probation", decided_on)
    pipeline.finish(
        CASES,
        case,
        "cancel",
        actor=actor,
        act_date=decided_on,
        data={"reason": case.closed_reason, "township": township_of(case).name},
    )
    return case
