"""Stages 3-4 from the sponsors to the 备案 of a new probationary member."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.models import Organisation, Person
from procedures.publicity import services as publicity
from workflows.errors import ProcedureError

from ..models import Case
from . import meetings
from .base import check_act_date, check_may_act, finish, locked_case, role_of, rulebook_of
from .cultivation import _committee_checks, _standing
from .notices import case_notice, draft_and_publish

MSG_SPONSOR_PEOPLE = gettext_noop("入党介绍人必须是已登记的党员。")


@transaction.atomic
def case_assign_sponsors(*, case_id: int, actor, sponsor_ids: list[int], assigned_on: date) -> Case:
    """⑨ 确定入党介绍人: two full members, neither under 留党察看."""
    case = locked_case(case_id)
    check_may_act(case, "assign_sponsors", actor)
    check_act_date(case, assigned_on)
    sponsors = list(Person.objects.filter(pk__in=set(sponsor_ids)))
    if len(sponsors) != len(set(sponsor_ids)):
        raise ProcedureError("sponsor_unknown", _(MSG_SPONSOR_PEOPLE))
    rulebook = rulebook_of(case)
    rulebook.require(
        rulebook.check(
            "sponsors",
            count=len(sponsors),
            all_eligible=all(s.has_party_rights_on(assigned_on) for s in sponsors),
        )
    )
    case.sponsors.set(sponsors)
    finish(
        case,
        "assign_sponsors",
        actor=actor,
        role=role_of(case, actor, "assign_sponsors"),
        act_date=assigned_on,
        data={"sponsors": [s.name for s in sponsors]},
    )
    return case


@transaction.atomic
def case_record_review(*, case_id: int, actor, reviewed_on: date, passed: bool, note: str = ""):
    """⑩ 政治审查: without a passed review, no admission."""
    case = locked_case(case_id)
    check_may_act(case, "record_review", actor)
    check_act_date(case, reviewed_on)
    rulebook = rulebook_of(case)
    rulebook.require(rulebook.check("political_review", passed=passed))
    finish(
        case,
        "record_review",
        actor=actor,
        role=role_of(case, actor, "record_review"),
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
    case = locked_case(case_id)
    check_may_act(case, "record_training", actor)
    check_act_date(case, finished_on)
    rulebook = rulebook_of(case)
    rulebook.require(rulebook.check("training", given_days=days, given_hours=hours))
    finish(
        case,
        "record_training",
        actor=actor,
        role=role_of(case, actor, "record_training"),
        act_date=finished_on,
        data={"days": days, "hours": hours},
        note=note,
    )
    return case


@transaction.atomic
def case_committee_review(*, case_id: int, actor, held_on: date, present: int, yes: int) -> Case:
    """⑫ 支部委员会审查 before asking for the 预审."""
    case = locked_case(case_id)
    check_may_act(case, "committee_review", actor)
    check_act_date(case, held_on)
    committee, data = _committee_checks(
        case, "review_committee", held_on=held_on, present=present, yes=yes
    )
    rulebook_of(case).require(committee)
    finish(
        case,
        "committee_review",
        actor=actor,
        role=role_of(case, actor, "committee_review"),
        act_date=held_on,
        data=data,
    )
    return case


@transaction.atomic
def case_pre_review(*, case_id: int, actor, reviewed_on: date, reply: str) -> Case:
    """⑬ 上级党委预审, answered in writing; then the 入党志愿书 is issued."""
    case = locked_case(case_id)
    check_may_act(case, "pre_review", actor)
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
    finish(
        case,
        "pre_review",
        actor=actor,
        role=role_of(case, actor, "pre_review"),
        act_date=reviewed_on,
        late=late,
        data={"reply": reply.strip()},
    )
    return case


@transaction.atomic
def case_publish_admission(*, case_id: int, actor, published_on: date) -> Case:
    """29-step variant: the notice of the intended admission, before the 支部大会."""
    case = locked_case(case_id)
    check_may_act(case, "publish_admission", actor)
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
    finish(
        case,
        "publish_admission",
        actor=actor,
        role=role_of(case, actor, "publish_admission"),
        act_date=published_on,
        data={"notice": notice.pk},
    )
    return case


@transaction.atomic
def case_fill_form(*, case_id: int, actor, filled_on: date) -> Case:
    """⑭ 填写入党志愿书."""
    case = locked_case(case_id)
    check_may_act(case, "fill_form", actor)
    check_act_date(case, filled_on)
    finish(
        case, "fill_form", actor=actor, role=role_of(case, actor, "fill_form"), act_date=filled_on
    )
    return case


@transaction.atomic
def case_branch_admit(*, case_id: int, actor, attendance: meetings.Attendance) -> Case:
    """⑮ 支部大会讨论: quorum and a secret ballot, each "more than half of those who should
    attend" (written opinions count); probation starts on this day."""
    case = locked_case(case_id)
    check_may_act(case, "branch_admit", actor)
    held_on = attendance.held_on
    check_act_date(case, held_on)
    rulebook = rulebook_of(case)
    if case.variant == "local-29":
        notice = case_notice(case, "admission")
        publicity.notice_gate(
            notice=notice, citation=rulebook.citation("admission_notice"), today=held_on
        )
    count, eligible = meetings.count_general_meeting(case.branch, attendance)
    checks = [
        rulebook.check("quorum", present=count.present, eligible=count.eligible),
        rulebook.check("majority", yes=count.yes, eligible=count.eligible, needed=count.needed),
    ]
    if "branch_meeting_deadline" in rulebook:
        checks.append(
            rulebook.check(
                "branch_meeting_deadline", pre_reviewed_on=case.pre_reviewed_on, held_on=held_on
            )
        )
    late = rulebook.require(*checks)
    meeting = meetings.save_general_meeting(case, attendance, count, eligible, "admission")
    case.admitted_on = held_on
    years = rulebook.param("probation_length", "years")
    case.probation_ends_on = held_on + relativedelta(years=years)
    finish(
        case,
        "branch_admit",
        actor=actor,
        role=role_of(case, actor, "branch_admit"),
        act_date=held_on,
        late=late,
        data={**meetings.meeting_data(attendance, count), "meeting": meeting.pk},
    )
    return case


@transaction.atomic
def case_committee_talk(*, case_id: int, actor, talked_on: date, talker: str = "") -> Case:
    """⑯ 上级党委派人谈话."""
    case = locked_case(case_id)
    check_may_act(case, "committee_talk", actor)
    check_act_date(case, talked_on)
    finish(
        case,
        "committee_talk",
        actor=actor,
        role=role_of(case, actor, "committee_talk"),
        act_date=talked_on,
        data={"talker": talker},
    )
    return case


def township_of(case: Case) -> Organisation:
    return Organisation.objects.get(pk=case.branch.parent_id)


@transaction.atomic
def case_approve(
    *, case_id: int, actor, approved_on: date, present: int, yes: int, special_reason: str = ""
) -> Case:
    """⑰ 上级党委审批: a collective decision of the township committee, within 3 months of
    the 支部大会 (longer only with a stated reason; after 6 months, never)."""
    case = locked_case(case_id)
    check_may_act(case, "approve", actor)
    check_act_date(case, approved_on)
    rulebook = rulebook_of(case)
    township = township_of(case)
    members = meetings.require_committee(township, approved_on, meetings.TOWNSHIP_COMMITTEE)
    meetings.check_counts(len(members), present, yes)
    rulebook.require(
        rulebook.check("approval_restart", admitted_on=case.admitted_on, approved_on=approved_on),
        rulebook.check(
            "approval_deadline",
            admitted_on=case.admitted_on,
            approved_on=approved_on,
            special_reason=special_reason.strip(),
        ),
        rulebook.check("approval_collective", members=len(members), present=present, yes=yes),
    )
    case.approved_on = approved_on
    _standing(case, "admit", case.admitted_on)
    finish(
        case,
        "approve",
        actor=actor,
        role=role_of(case, actor, "approve"),
        act_date=approved_on,
        data={
            "committee_meeting_on": approved_on,
            "members": len(members),
            "present": present,
            "yes": yes,
            "special_reason": special_reason.strip(),
        },
    )
    return case
