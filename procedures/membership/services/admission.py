"""Stages 3-4 from the sponsors to the 支部大会 that admits a probationary member, and the
committee's talk before approval."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.meetings import without_rights
from procedures.people.models import Person
from procedures.publicity import services as publicity
from workflows import pipeline
from workflows.errors import ProcedureError

from ..models import Case
from . import meetings
from .base import (
    CASES,
    check_act_date,
    rulebook_of,
    vote_outcome,
)
from .cultivation import _committee_checks
from .materials import review_materials
from .notices import case_notice, draft_and_publish

MSG_SPONSOR_PEOPLE = gettext_noop("入党介绍人必须是已登记的党员。")
MSG_LATE_REASON = gettext_noop("超过期限审批，特殊情况：%(reason)s")
MSG_NOT_YET_REDISCUSS = gettext_noop(
    "支部大会通过后%(months)d个月内应由上级党委审批，期限未过，不能退回重新讨论。"
)


@transaction.atomic
def case_assign_sponsors(*, case_id: int, actor, sponsor_ids: list[int], assigned_on: date) -> Case:
    """⑨ 确定入党介绍人: two full members, neither under 留党察看."""
    case = pipeline.begin(CASES, case_id, "assign_sponsors", actor)
    check_act_date(case, assigned_on)
    sponsors = list(Person.objects.filter(pk__in=set(sponsor_ids)))
    if len(sponsors) != len(set(sponsor_ids)):
        raise ProcedureError("sponsor_unknown", _(MSG_SPONSOR_PEOPLE))
    rulebook = rulebook_of(case)
    rulebook.require(
        rulebook.check(
            "sponsors",
            count=len(sponsors),
            all_eligible=not without_rights(sponsors, assigned_on),
        )
    )
    case.sponsors.set(sponsors)
    pipeline.finish(
        CASES,
        case,
        "assign_sponsors",
        actor=actor,
        act_date=assigned_on,
        data={"sponsors": [s.name for s in sponsors]},
    )
    return case


@transaction.atomic
def case_record_review(
    *,
    case_id: int,
    actor,
    reviewed_on: date,
    passed: bool,
    note: str = "",
    record_failure: bool = False,
):
    """⑩ 政治审查: without a passed review, no admission (a review that found the person
    unfit is recorded as such with `record_failure`; the case waits for a decision)."""
    case = pipeline.begin(CASES, case_id, "record_review", actor)
    check_act_date(case, reviewed_on)
    rulebook = rulebook_of(case)
    failed, _late = vote_outcome(
        rulebook,
        vote=rulebook.check("political_review", passed=passed),
        record_failure=record_failure,
    )
    if failed:
        pipeline.fail(
            CASES,
            case,
            "record_review",
            actor=actor,
            act_date=reviewed_on,
            failed=failed,
            data={"passed": passed},
            note=note,
        )
        return case
    pipeline.finish(
        CASES,
        case,
        "record_review",
        actor=actor,
        act_date=reviewed_on,
        data={"passed": passed},
        note=note,
    )
    return case


@transaction.atomic
def case_record_training(
    *, case_id: int, actor, finished_on: date, days: int, hours: int, note: str = ""
) -> Case:
    """⑪ 集中培训: at least 3 days or 24 class hours."""
    case = pipeline.begin(CASES, case_id, "record_training", actor)
    check_act_date(case, finished_on)
    rulebook = rulebook_of(case)
    rulebook.require(rulebook.check("training", given_days=days, given_hours=hours))
    pipeline.finish(
        CASES,
        case,
        "record_training",
        actor=actor,
        act_date=finished_on,
        data={"days": days, "hours": hours},
        note=note,
    )
    return case


@transaction.atomic
def case_committee_review(
    *, case_id: int, actor, held_on: date, present: int, yes: int, record_failure: bool = False
) -> Case:
    """⑫ 支部委员会审查 before asking for the 预审."""
    case = pipeline.begin(CASES, case_id, "committee_review", actor)
    check_act_date(case, held_on)
    committee, data = _committee_checks(
        case, "review_committee", held_on=held_on, present=present, yes=yes
    )
    failed, _late = vote_outcome(rulebook_of(case), vote=committee, record_failure=record_failure)
    if failed:
        pipeline.fail(
            CASES, case, "committee_review", actor=actor, act_date=held_on, failed=failed, data=data
        )
        return case
    pipeline.finish(
        CASES,
        case,
        "committee_review",
        actor=actor,
        act_date=held_on,
        data=data,
    )
    return case


@transaction.atomic
def case_pre_review(*, case_id: int, actor, reviewed_on: date, reply: str) -> Case:
    """⑬ 上级党委预审, answered in writing; then the 入党志愿书 is issued."""
    case = pipeline.begin(CASES, case_id, "pre_review", actor)
    check_act_date(case, reviewed_on)
    rulebook = rulebook_of(case)
    checks = [rulebook.check("pre_review_written", reply=(reply or "").strip())]
    if "pre_review_deadline" in rulebook:
        committee_on = case.records.filter(step="committee_review").values_list(
            "act_date", flat=True
        )
        checks.append(
            rulebook.check(
                "pre_review_deadline",
                reviewed_on=committee_on.first() or reviewed_on,
                answered_on=reviewed_on,
            )
        )
    late = rulebook.require(*checks)
    case.pre_reviewed_on = reviewed_on
    pipeline.finish(
        CASES,
        case,
        "pre_review",
        actor=actor,
        act_date=reviewed_on,
        late=late,
        data={"reply": reply.strip()},
    )
    review_materials(case, actor=actor, step="pre_review", on=reviewed_on)
    return case


@transaction.atomic
def case_publish_admission(*, case_id: int, actor, published_on: date) -> Case:
    """29-step variant: the notice of the intended admission, before the 支部大会."""
    case = pipeline.begin(CASES, case_id, "publish_admission", actor)
    check_act_date(case, published_on)
    notice = draft_and_publish(
        case,
        kind="admission",
        published_on=published_on,
        rule_id="admission_notice",
        extra={
            "activist_date": case.activist_on,
            "candidate_date": case.candidate_on,
            "sponsors": "、".join(s.name for s in case.sponsors.all()),
        },
    )
    pipeline.finish(
        CASES,
        case,
        "publish_admission",
        actor=actor,
        act_date=published_on,
        data={"notice": notice.pk},
    )
    return case


@transaction.atomic
def case_fill_form(*, case_id: int, actor, filled_on: date) -> Case:
    """⑭ 填写入党志愿书."""
    case = pipeline.begin(CASES, case_id, "fill_form", actor)
    check_act_date(case, filled_on)
    pipeline.finish(CASES, case, "fill_form", actor=actor, act_date=filled_on)
    return case


@transaction.atomic
def case_branch_admit(
    *, case_id: int, actor, attendance: meetings.Attendance, record_failure: bool = False
) -> Case:
    """⑮ 支部大会讨论: quorum and a secret ballot, each "more than half of those who should
    attend" (written opinions count); probation starts on this day. A meeting that did not
    pass is recorded with `record_failure` (the meeting, the ballot, 未通过): the case stays,
    and may be discussed again."""
    case = pipeline.begin(CASES, case_id, "branch_admit", actor)
    held_on = attendance.held_on
    check_act_date(case, held_on)
    rulebook = rulebook_of(case)
    if case.variant == "local-29":
        notice = case_notice(case, "admission")
        publicity.notice_gate(
            notice=notice, citation=rulebook.citation("admission_notice"), today=held_on
        )
    count, eligible = meetings.count_general_meeting(case.branch, attendance)
    vote = [
        *rulebook.check("quorum", present=count.present, eligible=count.eligible),
        *rulebook.check("majority", yes=count.yes, eligible=count.eligible, needed=count.needed),
    ]
    deadline = []
    if "branch_meeting_deadline" in rulebook:
        deadline = rulebook.check(
            "branch_meeting_deadline", pre_reviewed_on=case.pre_reviewed_on, held_on=held_on
        )
    failed, late = vote_outcome(rulebook, deadline, vote=vote, record_failure=record_failure)
    meeting = meetings.save_general_meeting(case, attendance, count, eligible, "admission")
    data = {**meetings.meeting_data(attendance, count), "meeting": meeting.pk}
    if failed:
        pipeline.fail(
            CASES, case, "branch_admit", actor=actor, act_date=held_on, failed=failed, data=data
        )
        return case
    case.admitted_on = held_on
    case.admitted_education = case.person.education
    case.admitted_occupation = case.person.occupation
    years = rulebook.param("probation_length", "years")
    case.probation_ends_on = held_on + relativedelta(years=years)
    pipeline.finish(
        CASES,
        case,
        "branch_admit",
        actor=actor,
        act_date=held_on,
        late=late,
        data=data,
    )
    return case


@transaction.atomic
def case_committee_talk(
    *, case_id: int, actor, talked_on: date, talker: str = "", note: str = ""
) -> Case:
    """⑯ 上级党委派人谈话."""
    case = pipeline.begin(CASES, case_id, "committee_talk", actor)
    check_act_date(case, talked_on)
    pipeline.finish(
        CASES,
        case,
        "committee_talk",
        actor=actor,
        act_date=talked_on,
        data={"talker": talker},
        note=note,
    )
    return case
