"""Stages 1-3 up to the candidate: application, talk, activist, mentors, cultivation,
the candidate (with its notice under the 2026 revision)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import standing
from procedures.people.meetings import belonging_on, without_rights
from procedures.people.models import Organisation, Person
from procedures.publicity import services as publicity
from workflows import pipeline
from workflows.errors import Conflict, NotAllowed, ProcedureError

from .. import deadlines, flows, lifecycle, permissions
from ..models import Case, Observation
from ..settings import development_settings_for
from ..steps import ENDED, OBSERVING
from . import meetings
from .base import CASES, check_act_date, rulebook_of, vote_outcome
from .notices import candidate_notice, draft_and_publish

MSG_OPEN_CASE = gettext_noop("%(name)s已有正在进行的发展党员案卷。")
MSG_NOT_MASSES = gettext_noop("%(name)s的政治面貌是“%(standing)s”，不能作为入党申请人建档。")
MSG_NOT_BRANCH = gettext_noop("入党申请应向村党支部递交，请选择党支部。")
MSG_NOT_OF_BRANCH = gettext_noop(
    "申请人不在本支部（不是本村村民，也不在本支部所属组织），入党申请应向其工作、学习单位"
    "或居住地的党组织递交。"
)
MSG_OPEN_FORBIDDEN = gettext_noop("只有本支部书记、副书记、组织委员或第一书记可以受理入党申请。")
MSG_MENTOR_PEOPLE = gettext_noop("培养联系人必须是本支部的党员。")
MSG_OBSERVATION_FORBIDDEN = gettext_noop("思想汇报和考察意见由本支部书记、委员或培养联系人登记。")
MSG_OBSERVATION_KIND = gettext_noop("请选择思想汇报或考察意见。")
MSG_OBSERVATION_CLOSED = gettext_noop("当前进度不需要登记思想汇报或考察意见。")


@transaction.atomic
def case_open(
    *, actor, person: Person, branch: Organisation, applied_on: date, note: str = ""
) -> Case:
    """① 递交入党申请书: the case starts under the county's current rulebook and variant."""
    if branch.kind != Organisation.Kind.VILLAGE_BRANCH:
        raise ProcedureError("not_a_branch", _(MSG_NOT_BRANCH))
    person = (
        Person.objects.select_for_update(of=("self",))  # the household join may be empty
        .select_related("organisation", "household")
        .get(pk=person.pk)
    )
    if not _belongs_to(person, branch, applied_on):
        raise ProcedureError("applicant_not_of_branch", _(MSG_NOT_OF_BRANCH), status=400)
    if Case.objects.filter(person=person).exclude(status__in=ENDED).exists():
        raise Conflict("case_exists", _(MSG_OPEN_CASE) % {"name": person.name})
    if person.standing != Person.Standing.MASSES:
        raise Conflict(
            "not_masses",
            _(MSG_NOT_MASSES) % {"name": person.name, "standing": person.get_standing_display()},
        )
    settings = development_settings_for(branch)
    case = Case(
        person=person,
        branch=branch,
        rulebook=settings.rulebook,
        variant=settings.variant,
        applied_on=applied_on,
    )
    if actor is not None and not permissions.branch(case, actor):
        raise NotAllowed("open_forbidden", _(MSG_OPEN_FORBIDDEN))
    check_act_date(case, applied_on)
    rulebook = rulebook_of(case)
    rulebook.require(rulebook.check("min_age", age=person.age_on(applied_on)))
    case.save()
    flows.start(case)
    standing.give(person.pk, "apply", applied_on, held=person)
    pipeline.started(
        CASES,
        case,
        "apply",
        actor=actor,
        act_date=applied_on,
        note=note,
        data={"rulebook": case.rulebook, "variant": case.variant},
        payload={"person": case.person_id, "rulebook": case.rulebook, "variant": case.variant},
    )
    return case


def _belongs_to(person: Person, branch: Organisation, on: date) -> bool:
    """第六条: one applies where one works or studies, else where one lives: the branch's
    own organisations on the day he applied, or the branch's village."""
    in_branch = bool(belonging_on({person.pk}, branch, on))
    lives_there = person.household is not None and person.household.village_id == branch.village_id
    return in_branch or lives_there


@transaction.atomic
def case_talk(*, case_id: int, actor, talked_on: date, talker: str = "", note: str = "") -> Case:
    """② 党组织派人谈话 (within one month: a later talk is recorded as late)."""
    case = pipeline.begin(CASES, case_id, "talk", actor)
    check_act_date(case, talked_on)
    rulebook = rulebook_of(case)
    late = rulebook.require(
        rulebook.check("talk_deadline", applied_on=case.applied_on, talked_on=talked_on)
    )
    case.talked_on = talked_on
    pipeline.finish(
        CASES,
        case,
        "talk",
        actor=actor,
        act_date=talked_on,
        data={"talker": talker},
        late=late,
        note=note,
    )
    return case


def _committee_checks(case: Case, rule_id: str, *, held_on: date, present: int, yes: int):
    members = meetings.require_committee(case.branch, held_on, meetings.BRANCH_COMMITTEE)
    meetings.check_counts(len(members), present, yes)
    rulebook = rulebook_of(case)
    return rulebook.check(rule_id, members=len(members), present=present, yes=yes), {
        "committee_held_on": held_on,
        "members": len(members),
        "present": present,
        "yes": yes,
    }


@transaction.atomic
def case_choose_activist(
    *,
    case_id: int,
    actor,
    decided_on: date,
    recommendation: str,
    present: int,
    yes: int,
    note: str = "",
    record_failure: bool = False,
) -> Case:
    """③ 推荐和确定入党积极分子: recommended, then decided by the branch committee (a
    committee that did not agree is recorded as such with `record_failure`)."""
    case = pipeline.begin(CASES, case_id, "choose_activist", actor)
    check_act_date(case, decided_on)
    rulebook = rulebook_of(case)
    age = case.person.age_on(decided_on)
    committee, data = _committee_checks(
        case, "activist_committee", held_on=decided_on, present=present, yes=yes
    )
    data["recommendation"] = recommendation
    failed, _late = vote_outcome(
        rulebook,
        rulebook.check("activist_recommendation", recommendation=recommendation, age=age),
        rulebook.check("youth_league_recommendation", recommendation=recommendation, age=age),
        vote=committee,
        record_failure=record_failure,
    )
    if failed:
        pipeline.fail(
            CASES,
            case,
            "choose_activist",
            actor=actor,
            act_date=decided_on,
            failed=failed,
            data=data,
        )
        return case
    case.activist_on = decided_on
    _standing(case, "make_activist", decided_on)
    pipeline.finish(
        CASES,
        case,
        "choose_activist",
        actor=actor,
        act_date=decided_on,
        data=data,
        note=note,
    )
    return case


@transaction.atomic
def case_file(*, case_id: int, actor, verb: str, filed_on: date, note: str = "") -> Case:
    """④ ⑧ ⑱ 备案 with the higher level; under the 29-step variant also the township's
    notifications of its decisions to the branch (notify_admission, notify_conversion)."""
    case = pipeline.begin(CASES, case_id, verb, actor)
    check_act_date(case, filed_on)
    pipeline.finish(CASES, case, verb, actor=actor, act_date=filed_on, note=note)
    return case


@transaction.atomic
def case_assign_mentors(*, case_id: int, actor, mentor_ids: list[int], assigned_on: date) -> Case:
    """⑤ 指定培养联系人: 1-2 full members of the branch."""
    case = pipeline.begin(CASES, case_id, "assign_mentors", actor)
    check_act_date(case, assigned_on)
    mentors = list(Person.objects.filter(pk__in=set(mentor_ids)))
    ids = {m.pk for m in mentors}
    if len(mentors) != len(set(mentor_ids)) or belonging_on(ids, case.branch, assigned_on) != ids:
        raise ProcedureError("mentor_not_member", _(MSG_MENTOR_PEOPLE))
    rulebook = rulebook_of(case)
    rulebook.require(
        rulebook.check(
            "mentors",
            count=len(mentors),
            all_full=not without_rights(mentors, assigned_on),
        )
    )
    case.mentors.set(mentors)
    pipeline.finish(
        CASES,
        case,
        "assign_mentors",
        actor=actor,
        act_date=assigned_on,
        data={"mentors": [m.name for m in mentors]},
    )
    return case


@transaction.atomic
def case_observe(*, case_id: int, actor, kind: str, on: date, summary: str = "") -> Observation:
    """A quarterly thought report or a half-yearly assessment (not a step)."""
    if kind not in Observation.Kind.values:
        raise ProcedureError("observation_kind", _(MSG_OBSERVATION_KIND))
    case = pipeline.hold(CASES, case_id, actor)
    if case.status not in OBSERVING:
        raise Conflict("observation_not_now", _(MSG_OBSERVATION_CLOSED))
    if actor is not None and not permissions.may_observe(case, actor):
        raise NotAllowed("observation_forbidden", _(MSG_OBSERVATION_FORBIDDEN))
    check_act_date(case, on)
    observation = Observation.objects.create(
        case=case,
        kind=kind,
        on=on,
        summary=summary,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    pipeline.logged(CASES, case, f"observation_{kind}", actor=actor, act_date=on)
    deadlines.sync(case)
    return observation


def _cultivation_checks(case: Case, on: date) -> list:
    rulebook = rulebook_of(case)
    months = (on.year - case.activist_on.year) * 12 + on.month - case.activist_on.month
    assessments = case.observations.filter(kind=Observation.Kind.ASSESSMENT, on__lte=on).count()
    reports = case.observations.filter(kind=Observation.Kind.THOUGHT_REPORT, on__lte=on).count()
    every_assessment = rulebook.param("half_year_assessments", "months")
    every_report = rulebook.param("thought_reports", "months")
    return [
        *rulebook.check("cultivation_period", activist_on=case.activist_on, on=on),
        *rulebook.check(
            "half_year_assessments", count=assessments, needed=max(0, months) // every_assessment
        ),
        *rulebook.check("thought_reports", count=reports, needed=max(0, months) // every_report),
    ]


@transaction.atomic
def case_propose_candidate(
    *,
    case_id: int,
    actor,
    decided_on: date,
    present: int,
    yes: int,
    fields: dict | None = None,
    record_failure: bool = False,
) -> Case:
    """Under the 2026 revision: the committee's proposal, then 5 working days of notice."""
    case = pipeline.begin(CASES, case_id, "propose_candidate", actor)
    check_act_date(case, decided_on)
    committee, data = _committee_checks(
        case, "candidate_committee", held_on=decided_on, present=present, yes=yes
    )
    failed, _late = vote_outcome(
        rulebook_of(case),
        _cultivation_checks(case, decided_on),
        vote=committee,
        record_failure=record_failure,
    )
    if failed:
        pipeline.fail(
            CASES,
            case,
            "propose_candidate",
            actor=actor,
            act_date=decided_on,
            failed=failed,
            data=data,
        )
        return case
    notice = draft_and_publish(
        case,
        kind="candidate",
        published_on=decided_on,
        rule_id="candidate_notice",
        extra={"activist_date": case.activist_on, "planned_date": None, **(fields or {})},
    )
    pipeline.finish(
        CASES,
        case,
        "propose_candidate",
        actor=actor,
        act_date=decided_on,
        data={**data, "notice": notice.pk},
    )
    return case


@transaction.atomic
def case_choose_candidate(
    *,
    case_id: int,
    actor,
    decided_on: date,
    present: int | None = None,
    yes: int | None = None,
    record_failure: bool = False,
) -> Case:
    """⑦ 确定发展对象: after at least a year of cultivation, agreed by the committee."""
    case = pipeline.begin(CASES, case_id, "choose_candidate", actor)
    check_act_date(case, decided_on)
    rulebook = rulebook_of(case)
    data = {}
    if lifecycle.needs_candidate_notice(case):
        notice = candidate_notice(case)
        publicity.notice_gate(
            notice=notice, citation=rulebook.citation("candidate_notice"), today=decided_on
        )
        rulebook.require(_cultivation_checks(case, decided_on))
        data["notice"] = notice.pk
        # The committee decided before the notice; what it said after it, if entered, is
        # kept with the step as typed.
        data.update({k: v for k, v in (("present", present), ("yes", yes)) if v is not None})
    else:
        committee, data = _committee_checks(
            case, "candidate_committee", held_on=decided_on, present=present or 0, yes=yes or 0
        )
        failed, _late = vote_outcome(
            rulebook,
            _cultivation_checks(case, decided_on),
            vote=committee,
            record_failure=record_failure,
        )
        if failed:
            pipeline.fail(
                CASES,
                case,
                "choose_candidate",
                actor=actor,
                act_date=decided_on,
                failed=failed,
                data=data,
            )
            return case
    case.candidate_on = decided_on
    _standing(case, "make_candidate", decided_on)
    pipeline.finish(
        CASES,
        case,
        "choose_candidate",
        actor=actor,
        act_date=decided_on,
        data=data,
    )
    return case


def _standing(case: Case, transition: str, on: date) -> None:
    case.person = standing.give(case.person_id, transition, on)
