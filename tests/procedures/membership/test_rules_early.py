"""Stages 1-3: each rule at its boundary, on both rulebooks."""

from datetime import date

import pytest

from procedures.membership import services
from procedures.membership.models import Case, Observation, StepRecord
from procedures.membership.rulebooks import CPC_2014, CPC_2026
from procedures.membership.steps import Status
from procedures.people.models import Person
from workflows.errors import Conflict

from .walk import date_of, open_case, walk, world
from .walk import refusal as _refusal

pytestmark = pytest.mark.django_db
BOTH = pytest.mark.parametrize("rulebook", [CPC_2014, CPC_2026])


@BOTH
@pytest.mark.parametrize(
    ("applied_on", "ok"),
    [
        (date(2023, 2, 28), False),
        (date(2023, 3, 1), True),
        (date(2023, 3, 2), True),
    ],
)
def test_applicant_must_be_eighteen(rulebook, applied_on, ok):
    w = world(rulebook=rulebook)
    Person.objects.filter(pk=w.applicant.pk).update(birth_date=date(2005, 3, 1))
    w.applicant.refresh_from_db()
    call = lambda: services.case_open(
        actor=None, person=w.applicant, branch=w.branch, applied_on=applied_on
    )
    if ok:
        assert call().status == Status.APPLIED
    else:
        error = _refusal(call)
        assert error.code == "min_age"
        assert "年满18周岁" in error.message and "第五条" in error.message
        assert not Case.objects.exists()
        assert Person.objects.get(pk=w.applicant.pk).standing == Person.Standing.MASSES


@BOTH
@pytest.mark.parametrize(
    ("talked_on", "late"),
    [
        (date(2023, 3, 31), False),
        (date(2023, 4, 1), False),
        (date(2023, 4, 2), True),
    ],
)
def test_a_late_talk_is_recorded_as_late_with_its_citation(rulebook, talked_on, late):
    w = world(rulebook=rulebook)
    case = open_case(w)
    services.case_talk(case_id=case.pk, actor=None, talked_on=talked_on)
    record = StepRecord.objects.get(case=case, step="talk")
    assert bool(record.late) is late
    if late:
        assert record.late[0]["citation"]["article"] == "第七条"


@BOTH
@pytest.mark.parametrize(
    ("recommendation", "born", "ok"),
    [
        ("", date(1990, 1, 1), False),
        ("members", date(1995, 4, 11), False),  # 27 on the day: needs the youth league
        ("members", date(1995, 4, 10), True),  # 28 on the day
        ("youth_league", date(2004, 1, 1), True),
    ],
)
def test_activist_recommendation(rulebook, recommendation, born, ok):
    w = world(rulebook=rulebook)
    Person.objects.filter(pk=w.applicant.pk).update(birth_date=born)
    case = walk(w, until="choose_activist")
    call = lambda: services.case_choose_activist(
        case_id=case.pk,
        actor=None,
        decided_on=date(2023, 4, 10),
        recommendation=recommendation,
        present=4,
        yes=4,
    )
    if ok:
        assert call().status == Status.ACTIVIST
    else:
        assert _refusal(call).citation.article == "第八条"


@BOTH
@pytest.mark.parametrize(
    ("present", "yes", "ok"), [(2, 2, False), (3, 2, False), (3, 3, True), (4, 3, True)]
)
def test_the_branch_committee_decides_the_activist_by_more_than_half(rulebook, present, yes, ok):
    w = world(rulebook=rulebook)  # 4 committee members: 3 needed
    case = walk(w, until="choose_activist")
    call = lambda: services.case_choose_activist(
        case_id=case.pk,
        actor=None,
        decided_on=date(2023, 4, 10),
        recommendation="youth_league",
        present=present,
        yes=yes,
    )
    if ok:
        call()
    else:
        assert _refusal(call).code == "activist_committee"


@BOTH
@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (2, True), (3, False)])
def test_one_or_two_mentors(rulebook, count, ok):
    w = world(rulebook=rulebook)
    case = walk(w, until="assign_mentors")
    call = lambda: services.case_assign_mentors(
        case_id=case.pk,
        actor=None,
        mentor_ids=[m.pk for m in w.members[4 : 4 + count]],
        assigned_on=date(2023, 4, 20),
    )
    if ok:
        assert call().mentors.count() == count
    else:
        assert _refusal(call).citation.article == "第九条"


@BOTH
def test_a_probationary_member_cannot_be_a_mentor(rulebook):
    w = world(rulebook=rulebook)
    Person.objects.filter(pk=w.members[5].pk).update(standing=Person.Standing.PROBATIONARY)
    case = walk(w, until="assign_mentors")
    error = _refusal(
        lambda: services.case_assign_mentors(
            case_id=case.pk, actor=None, mentor_ids=[w.members[5].pk], assigned_on=date(2023, 4, 20)
        )
    )
    assert error.code == "mentors"


def _observe(case, until):
    day, quarter = case.activist_on, 0
    while True:
        quarter += 1
        month = day.month - 1 + 3 * quarter
        on = date(day.year + month // 12, month % 12 + 1, day.day)
        if on > until:
            return
        services.case_observe(
            case_id=case.pk, actor=None, kind=Observation.Kind.THOUGHT_REPORT, on=on
        )
        if quarter % 2 == 0:
            services.case_observe(
                case_id=case.pk, actor=None, kind=Observation.Kind.ASSESSMENT, on=on
            )


@pytest.mark.parametrize(
    ("rulebook", "step", "expected"),
    [
        (CPC_2014, "choose_candidate", "培养教育考察时间不足一年（《细则》第十三条）"),
        (
            CPC_2026,
            "propose_candidate",
            "培养教育考察时间不足一年（《细则（2026年修订）》第十三条）",
        ),
    ],
)
@pytest.mark.parametrize(
    ("decided_on", "ok"),
    [
        (date(2024, 4, 9), False),
        (date(2024, 4, 10), True),
        (date(2024, 4, 11), True),
    ],
)
def test_a_year_of_cultivation_before_the_candidate(rulebook, step, expected, decided_on, ok):
    w = world(rulebook=rulebook)
    case = walk(w, until="propose_candidate")
    _observe(case, decided_on)
    call = getattr(services, f"case_{step}")
    run = lambda: call(case_id=case.pk, actor=None, decided_on=decided_on, present=4, yes=4)
    if ok:
        run()
    else:
        error = _refusal(run)
        assert error.message == expected
        assert error.citation.reported is (rulebook == CPC_2026)


@BOTH
def test_thought_reports_and_assessments_are_required(rulebook):
    w = world(rulebook=rulebook)
    case = walk(w, until="propose_candidate")
    step = "propose_candidate" if rulebook == CPC_2026 else "choose_candidate"
    error = _refusal(
        lambda: getattr(services, f"case_{step}")(
            case_id=case.pk, actor=None, decided_on=date(2024, 4, 10), present=4, yes=4
        )
    )
    codes = [error.code] + [v["code"] for v in error.extra.get("violations", [])]
    assert "half_year_assessments" in codes and "thought_reports" in codes


@pytest.mark.parametrize(
    ("decided_on", "ok"),
    [
        (date(2024, 4, 16), False),  # the notice's last day (10, 11, 12, 15, 16 April)
        (date(2024, 4, 17), True),
    ],
)
def test_2026_candidate_waits_for_its_five_working_day_notice(decided_on, ok):
    w = world(rulebook=CPC_2026)
    case = walk(w, until="choose_candidate")
    assert case.status == Status.CANDIDATE_NOTICE
    call = lambda: services.case_choose_candidate(
        case_id=case.pk, actor=None, decided_on=decided_on
    )
    if ok:
        assert call().status == Status.CANDIDATE
    else:
        error = _refusal(call)
        assert isinstance(error, Conflict) and error.code == "notice_running"
        assert "第十三条" in str(error.citation)


def test_2014_has_no_candidate_notice():
    w = world(rulebook=CPC_2014)
    case = walk(w, until="propose_candidate")
    assert (
        _refusal(
            lambda: services.case_propose_candidate(
                case_id=case.pk, actor=None, decided_on=date(2024, 4, 10), present=4, yes=4
            )
        ).code
        == "step_not_available"
    )


@BOTH
def test_steps_cannot_be_skipped_or_dated_wrongly(rulebook):
    w = world(rulebook=rulebook)
    case = open_case(w)
    assert (
        _refusal(
            lambda: services.case_choose_activist(
                case_id=case.pk,
                actor=None,
                decided_on=date(2023, 4, 10),
                recommendation="members",
                present=4,
                yes=4,
            )
        ).code
        == "step_not_available"
    )
    assert (
        _refusal(
            lambda: services.case_talk(case_id=case.pk, actor=None, talked_on=date(2023, 2, 28))
        ).code
        == "act_date_before_previous"
    )
    assert (
        _refusal(
            lambda: services.case_talk(case_id=case.pk, actor=None, talked_on=date(2099, 1, 1))
        ).code
        == "act_date_in_future"
    )
    assert Case.objects.get(pk=case.pk).status == Status.APPLIED


def test_a_person_has_one_open_case():
    w = world()
    open_case(w)
    assert _refusal(lambda: open_case(w)).code in ("case_exists", "not_masses")


@BOTH
def test_stop_returns_the_person_to_the_masses_and_needs_a_reason(rulebook):
    w = world(rulebook=rulebook)
    case = walk(w, until="file_activist")
    assert (
        _refusal(
            lambda: services.case_stop(
                case_id=case.pk, actor=None, stopped_on=date(2023, 5, 1), reason=" "
            )
        ).code
        == "reason_required"
    )
    services.case_stop(case_id=case.pk, actor=None, stopped_on=date(2023, 5, 1), reason="本人撤回")
    assert Case.objects.get(pk=case.pk).status == Status.STOPPED
    assert Person.objects.get(pk=w.applicant.pk).standing == Person.Standing.MASSES
    assert date_of("talk") < date(2023, 5, 1)


def test_a_mentor_records_observations_and_an_outsider_cannot():
    from procedures.membership.models import Observation
    from tests import factories
    from workflows.errors import NotFound

    w = world()
    case = walk(w, until="propose_candidate")
    mentor = factories.user_for(w.members[4], "mentor")
    services.case_observe(
        case_id=case.pk, actor=mentor, kind=Observation.Kind.THOUGHT_REPORT, on=date(2023, 7, 10)
    )
    with pytest.raises(NotFound):  # another village's secretary: the case is not his to see
        services.case_observe(
            case_id=case.pk,
            actor=w.other_secretary,
            kind=Observation.Kind.ASSESSMENT,
            on=date(2023, 7, 10),
        )
    assert case.observations.count() == 1


def test_a_case_keeps_the_rulebook_and_variant_it_started_with():
    from procedures.membership.models import DevelopmentSettings
    from procedures.membership.steps import Variant

    w = world(rulebook=CPC_2014)
    case = walk(w, until="choose_activist")
    DevelopmentSettings.objects.filter(county=w.tree.county).update(
        rulebook=CPC_2026, variant=Variant.LOCAL
    )
    case = walk(w, until="propose_candidate", case=case)
    assert (case.rulebook, case.variant) == (CPC_2014, Variant.STANDARD)
    case = walk(w, until="archive", case=case)  # no candidate or admission notice asked
    assert case.status == Status.CONVERTED
