"""What really happened is recorded, also when it did not go as hoped: a vote that failed, a
review not passed, an approval given late with its reason, a resolution sent back for
重新讨论, and the side exits with the role that performed them."""

from datetime import date

import pytest

from procedures.membership import selectors, services
from procedures.membership.models import Ballot, Meeting, StepRecord
from procedures.membership.rulebooks import CPC_2014, CPC_2026
from procedures.membership.steps import Status
from procedures.people.models import Person
from workflows.audit import events_of, stream_of, verify_chain

from .walk import attendance, refusal, walk, world

pytestmark = pytest.mark.django_db
BOTH = pytest.mark.parametrize("rulebook", [CPC_2014, CPC_2026])
ADMITTED = date(2024, 7, 15)  # the script's 支部大会


def _last_record(case) -> StepRecord:
    return case.records.order_by("-pk").first()


def _actions(case) -> list[str]:
    return [event.action for event in events_of(stream_of(case))]


@BOTH
@pytest.mark.parametrize(("yes", "passed"), [(4, False), (5, True)])
def test_a_branch_meeting_that_did_not_pass_is_recorded_and_the_case_stays(rulebook, yes, passed):
    w = world(rulebook=rulebook)  # 9 eligible voters: 5 votes carry
    case = walk(w, until="branch_admit")
    case = services.case_branch_admit(
        case_id=case.pk,
        actor=None,
        attendance=attendance(w, ADMITTED, present=7, yes=yes),
        record_failure=True,
    )
    case.refresh_from_db()
    ballot = Ballot.objects.get(case=case)
    assert ballot.passed is passed and Meeting.objects.filter(pk=ballot.meeting_id).exists()
    record = _last_record(case)
    assert record.step == "branch_admit" and record.data["meeting"] == ballot.meeting_id
    if passed:
        assert case.status == Status.BRANCH_ADMITTED and record.outcome == "done"
        return
    assert case.status == Status.FORM_FILLED and case.admitted_on is None
    assert record.outcome == "failed" and record.data["failed"][0]["code"] == "majority"
    assert record.data["failed"][0]["citation"]["article"] == "第二十一条"
    assert _actions(case)[-1] == "branch_admit_failed"
    # The meeting is in the 全程纪实 as what happened; the step is still the next to do.
    entry = selectors.timeline(case)[-1]
    assert entry.outcome == "failed" and entry.title == "支部大会讨论"
    case = type(case).objects.get(pk=case.pk)
    assert "branch_admit" not in case.acts
    from procedures.membership import projection

    assert projection.project(case, limit=1)[0].code == "branch_admit"
    # It may be discussed again, no earlier than the failed meeting.
    early = refusal(
        lambda: services.case_branch_admit(
            case_id=case.pk, actor=None, attendance=attendance(w, date(2024, 7, 14))
        )
    )
    assert early.code == "act_date_before_previous"
    case = services.case_branch_admit(
        case_id=case.pk, actor=None, attendance=attendance(w, date(2024, 7, 22))
    )
    assert case.status == Status.BRANCH_ADMITTED and case.admitted_on == date(2024, 7, 22)
    assert verify_chain() == []


def test_without_record_failure_a_failed_vote_is_still_refused_and_nothing_is_written():
    w = world()
    case = walk(w, until="branch_admit")
    error = refusal(
        lambda: services.case_branch_admit(
            case_id=case.pk, actor=None, attendance=attendance(w, ADMITTED, present=7, yes=4)
        )
    )
    assert error.code == "majority"
    assert not Ballot.objects.filter(case=case).exists()
    assert not case.records.filter(step="branch_admit").exists()


@pytest.mark.parametrize(("present", "yes", "passed"), [(3, 2, False), (3, 3, True)])
def test_a_township_committee_that_did_not_agree_is_recorded(present, yes, passed):
    w = world()  # the township committee has 4 members: 3 must attend and agree
    case = walk(w, until="approve")
    case = services.case_approve(
        case_id=case.pk,
        actor=None,
        approved_on=date(2024, 8, 15),
        present=present,
        yes=yes,
        record_failure=True,
    )
    case.refresh_from_db()
    if passed:
        assert case.status == Status.APPROVED
        return
    assert case.status == Status.COMMITTEE_TALKED and case.approved_on is None
    record = _last_record(case)
    assert record.outcome == "failed" and record.data["failed"][0]["code"] == "approval_collective"
    assert Person.objects.get(pk=w.applicant.pk).standing == Person.Standing.CANDIDATE


def test_a_political_review_not_passed_is_recorded_and_blocks_nothing_else():
    w = world()
    case = walk(w, until="record_review")
    case = services.case_record_review(
        case_id=case.pk,
        actor=None,
        reviewed_on=date(2024, 5, 20),
        passed=False,
        note="直系亲属情况需进一步核实",
        record_failure=True,
    )
    case.refresh_from_db()
    assert case.status == Status.SPONSORED
    record = _last_record(case)
    assert record.outcome == "failed" and record.note == "直系亲属情况需进一步核实"
    assert record.data["failed"][0]["citation"]["article"] == "第十六条"
    # The consequence is a decision of its own: the branch may stop the case.
    services.case_stop(
        case_id=case.pk, actor=None, stopped_on=date(2024, 5, 21), reason="政审不合格"
    )
    case.refresh_from_db()
    assert case.status == Status.STOPPED


@pytest.mark.parametrize(("yes", "passed"), [(2, False), (3, True)])
def test_a_branch_committee_that_did_not_agree_on_the_activist_is_recorded(yes, passed):
    w = world()  # the branch committee has 4 members
    case = walk(w, until="choose_activist")
    services.case_choose_activist(
        case_id=case.pk,
        actor=None,
        decided_on=date(2023, 4, 10),
        recommendation="youth_league",
        present=4,
        yes=yes,
        record_failure=True,
    )
    case.refresh_from_db()
    assert (case.status == Status.ACTIVIST) is passed
    assert (_last_record(case).outcome == "done") is passed


def test_a_conversion_meeting_that_did_not_pass_is_recorded_then_the_probation_extended():
    w = world()
    case = walk(w, until="branch_convert")
    case = services.case_branch_convert(
        case_id=case.pk,
        actor=None,
        attendance=attendance(w, date(2025, 7, 15), present=4, yes=4),
        record_failure=True,
    )
    case.refresh_from_db()
    assert case.status == Status.CONVERSION_APPLIED
    assert _last_record(case).data["failed"][0]["code"] == "conversion_quorum"
    case = services.case_extend_probation(
        case_id=case.pk, actor=None, decided_on=date(2025, 7, 16), months=6, reason="继续考察"
    )
    assert case.status == Status.PROBATION and case.probation_extended


# A late approval: recorded, shown, with its reason.


@BOTH
@pytest.mark.parametrize(
    ("approved_on", "late"), [(date(2024, 10, 15), False), (date(2024, 10, 16), True)]
)
def test_an_approval_past_three_months_is_recorded_late_with_its_reason(
    rulebook, approved_on, late
):
    w = world(rulebook=rulebook)
    case = walk(w, until="approve")
    services.case_approve(
        case_id=case.pk,
        actor=None,
        approved_on=approved_on,
        present=3,
        yes=3,
        special_reason="乡镇党委换届，会议延期",
    )
    record = case.records.get(step="approve")
    assert bool(record.late) is late
    if late:
        assert record.late[0]["code"] == "approval_deadline"
        assert record.late[0]["citation"]["article"] == "第二十五条"
        assert "乡镇党委换届，会议延期" in record.late[0]["message"]
        event = events_of(stream_of(case))[-1]
        assert event.action == "approve" and event.payload["late"] == record.late


def test_a_late_approval_shows_on_the_case_page_timeline_and_the_township_list(client):
    from django.urls import reverse

    w = world()
    case = walk(w, until="approve")
    services.case_approve(
        case_id=case.pk,
        actor=None,
        approved_on=date(2024, 11, 1),
        present=3,
        yes=3,
        special_reason="乡镇党委换届，会议延期",
    )
    client.force_login(w.organiser)
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    assert "超期" in page and "乡镇党委换届，会议延期" in page
    timeline = client.get(reverse("api:case_timeline", args=[case.pk])).json()["timeline"]
    approval = next(entry for entry in timeline if entry["title"] == "上级党委审批")
    assert "乡镇党委换届，会议延期" in approval["late"][0]["message"]
    listing = client.get(reverse("staff:cases")).content.decode()
    assert "超期办理" in listing and "上级党委审批" in listing


# 重新讨论: past the approval period, the resolution goes back to the 支部大会.


@pytest.mark.parametrize(
    ("decided_on", "allowed"), [(date(2024, 10, 15), False), (date(2024, 10, 16), True)]
)
def test_the_township_returns_a_resolution_past_the_approval_period(decided_on, allowed):
    w = world()
    case = walk(w, until="approve")
    call = lambda: services.case_rediscuss(
        case_id=case.pk, actor=w.organiser, decided_on=decided_on, reason="报送超过三个月"
    )
    if not allowed:
        error = refusal(call)
        assert error.code == "approval_period_running"
        assert error.citation.article == "第二十五条"
        return
    case = call()
    assert case.status == Status.FORM_FILLED and case.admitted_on is None
    assert case.probation_ends_on is None
    record = _last_record(case)
    assert record.step == "rediscuss" and record.role.endswith("组织员")
    assert record.data["returned_meeting_on"] == "2024-07-15"


def test_after_six_months_the_case_goes_back_to_the_branch_meeting_and_on_from_there():
    w = world()
    case = walk(w, until="approve")
    late = date(2025, 1, 16)  # six months and a day after the 支部大会
    assert (
        refusal(
            lambda: services.case_approve(
                case_id=case.pk,
                actor=None,
                approved_on=late,
                present=3,
                yes=3,
                special_reason="延期",
            )
        ).code
        == "approval_restart"
    )
    services.case_rediscuss(
        case_id=case.pk, actor=w.organiser, decided_on=late, reason="超过六个月"
    )
    # The flow waits for a new 支部大会, in the branch's inbox.
    tasks = selectors.inbox(user=w.secretary)
    assert [task.step.code for task in tasks if task.case.pk == case.pk] == ["branch_admit"]
    case = services.case_branch_admit(
        case_id=case.pk, actor=None, attendance=attendance(w, date(2025, 1, 20))
    )
    case = services.case_committee_talk(
        case_id=case.pk, actor=None, talked_on=date(2025, 1, 22), talker="组织员"
    )
    case = services.case_approve(
        case_id=case.pk, actor=None, approved_on=date(2025, 2, 10), present=3, yes=3
    )
    assert case.status == Status.APPROVED and case.admitted_on == date(2025, 1, 20)
    steps = [record.step for record in case.records.order_by("pk")]
    assert steps.count("branch_admit") == 2 and steps.count("committee_talk") == 2
    assert verify_chain() == []


def test_a_resolution_not_yet_talked_about_can_be_returned_too():
    w = world()
    case = walk(w, until="committee_talk")
    case = services.case_rediscuss(
        case_id=case.pk, actor=w.organiser, decided_on=date(2024, 10, 20), reason="超过三个月"
    )
    assert case.status == Status.FORM_FILLED
    tasks = selectors.inbox(user=w.secretary)
    assert [task.step.code for task in tasks if task.case.pk == case.pk] == ["branch_admit"]


# The side exits: their own role and words.


def test_a_stop_by_the_township_is_refused_naming_the_branch_in_chinese():
    w = world()
    case = walk(w, until="talk")
    error = refusal(
        lambda: services.case_stop(
            case_id=case.pk, actor=w.organiser, stopped_on=date(2023, 3, 5), reason="本人撤回申请"
        )
    )
    assert error.status == 403
    assert "“不予确定/停止培养”应由村党支部办理" in error.message and "stop" not in error.message


def test_a_stop_by_the_secretary_records_his_role():
    w = world()
    case = walk(w, until="talk")
    services.case_stop(
        case_id=case.pk, actor=w.secretary, stopped_on=date(2023, 3, 5), reason="本人撤回申请"
    )
    record = case.records.get(step="stop")
    assert record.role == f"{w.branch.name}书记"
    assert events_of(stream_of(case))[-1].role == record.role


def test_an_extension_by_the_township_records_the_township_role():
    w = world()
    case = walk(w, until="apply_conversion")
    services.case_extend_probation(
        case_id=case.pk,
        actor=w.organiser,
        decided_on=date(2025, 7, 10),
        months=6,
        reason="继续考察",
    )
    record = case.records.get(step="extend_probation")
    assert record.role == f"{w.township.name}组织员"


def test_a_cancellation_by_the_branch_is_refused_naming_the_township():
    w = world()
    case = walk(w, until="take_oath")
    error = refusal(
        lambda: services.case_cancel(
            case_id=case.pk, actor=w.secretary, decided_on=date(2024, 9, 1), reason="不合格"
        )
    )
    assert error.status == 403 and "“取消预备党员资格”应由乡镇党委办理" in error.message
