"""The upper committee's approval (审批, within three months; a late one with its
reason) and a case it returns for the 支部大会 to discuss again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from procedures.people.models import Organisation
from workflows import pipeline
from workflows.errors import ProcedureError

from ..models import Case
from . import meetings
from .admission import MSG_LATE_REASON, MSG_NOT_YET_REDISCUSS
from .base import (
    CASES,
    check_act_date,
    rulebook_of,
    vote_outcome,
)
from .cultivation import _standing
from .materials import review_materials


def township_of(case: Case) -> Organisation:
    return Organisation.objects.get(pk=case.branch.parent_id)


@transaction.atomic
def case_approve(
    *,
    case_id: int,
    actor,
    approved_on: date,
    present: int,
    yes: int,
    special_reason: str = "",
    record_failure: bool = False,
) -> Case:
    """⑰ 上级党委审批: a collective decision of the township committee, within 3 months of
    the 支部大会 (longer only with a stated reason, and then recorded as late with it;
    after 6 months, never: the resolution goes back for 重新讨论, `case_rediscuss`). A
    committee that did not agree is recorded with `record_failure`."""
    case = pipeline.begin(CASES, case_id, "approve", actor)
    check_act_date(case, approved_on)
    rulebook = rulebook_of(case)
    township = township_of(case)
    members = meetings.require_committee(township, approved_on, meetings.TOWNSHIP_COMMITTEE)
    meetings.check_counts(len(members), present, yes)
    reason = special_reason.strip()
    # Past the period, the stated special reason lets the approval go ahead, and the
    # lateness is kept with the record, with that reason, for everyone to see.
    overdue = rulebook.check(
        "approval_deadline",
        admitted_on=case.admitted_on,
        approved_on=approved_on,
        special_reason="",
    )
    late = [
        replace(v, message=f"{v.message}；{_(MSG_LATE_REASON) % {'reason': reason}}")
        for v in overdue
    ]
    failed, _late = vote_outcome(
        rulebook,
        rulebook.check("approval_restart", admitted_on=case.admitted_on, approved_on=approved_on),
        rulebook.check(
            "approval_deadline",
            admitted_on=case.admitted_on,
            approved_on=approved_on,
            special_reason=reason,
        ),
        vote=rulebook.check("approval_collective", members=len(members), present=present, yes=yes),
        record_failure=record_failure,
    )
    data = {
        "committee_meeting_on": approved_on,
        "members": len(members),
        "present": present,
        "yes": yes,
        "special_reason": reason,
    }
    if failed:
        pipeline.fail(
            CASES, case, "approve", actor=actor, act_date=approved_on, failed=failed, data=data
        )
        return case
    case.approved_on = approved_on
    _standing(case, "admit", case.admitted_on)
    pipeline.finish(
        CASES,
        case,
        "approve",
        actor=actor,
        act_date=approved_on,
        late=late,
        data=data,
    )
    review_materials(case, actor=actor, step="approve", on=approved_on)
    return case


@transaction.atomic
def case_rediscuss(*, case_id: int, actor, decided_on: date, reason: str) -> Case:
    """A resolution the township may no longer approve (sent up past the approval period)
    goes back to the 支部大会 for 重新讨论: the case returns to 支部大会讨论, the earlier
    meeting and talk stay in the record, and the new meeting starts the probation."""
    case = pipeline.begin(CASES, case_id, "rediscuss", actor)
    check_act_date(case, decided_on)
    reason = (reason or "").strip()
    if not reason:
        raise ProcedureError("reason_required", _("请说明理由。"))
    rulebook = rulebook_of(case)
    within = rulebook.check(
        "approval_deadline", admitted_on=case.admitted_on, approved_on=decided_on, special_reason=""
    )
    if not within:
        months = rulebook.param("approval_deadline", "months")
        raise ProcedureError(
            "approval_period_running",
            _(MSG_NOT_YET_REDISCUSS) % {"months": months},
            rulebook.citation("approval_deadline"),
        )
    returned_meeting_on = case.admitted_on
    case.forget("branch_admit")  # discussed again: admitted anew
    pipeline.finish(
        CASES,
        case,
        "rediscuss",
        actor=actor,
        act_date=decided_on,
        data={"reason": reason[:300], "returned_meeting_on": returned_meeting_on},
    )
    return case
