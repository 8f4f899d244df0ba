"""退回, 撤回, 更正, 催办 and 抄送 of a member development case: who may, when, and what the
record, the audit chain, the deadlines and the flow say afterwards."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from procedures.membership import flows, lifecycle, projection, selectors, services
from procedures.membership.models import Case
from procedures.membership.steps import RETURNABLE, Status
from procedures.people.models import Person
from workflows.audit import events_of, stream_of, verify_chain
from workflows.models import Deadline, RuleSetting

from .walk import date_of, refusal, walk, world

pytestmark = pytest.mark.django_db


def _fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def _open_nodes(case) -> list[str]:
    from viewflow.workflow.models import Task

    process = flows.process_of(case)
    return sorted(
        task.flow_task.name
        for task in Task.objects.filter(process=process, status__in=[STATUS.NEW, STATUS.SCHEDULED])
    )


def test_the_lifecycle_returns_from_exactly_the_statuses_that_await_a_returnable_step():
    sources = {t.source for t in Case().get_all_status_transitions() if t.name in RETURNABLE}
    assert sources == set(lifecycle.RETURNABLE_FROM)


# 退回


def test_the_township_returns_a_pre_review_to_the_political_review_with_its_reason():
    w = world()
    case = walk(w, until="pre_review")
    assert case.status == Status.COMMITTEE_REVIEWED
    on = date_of("pre_review")
    services.case_send_back(
        case_id=case.pk,
        actor=w.organiser,
        to_step="record_review",
        reason="政审材料缺外调函",
        decided_on=on,
    )
    case = _fresh(case)
    assert case.status == Status.SPONSORED
    assert "record_review" not in case.acts and "committee_review" not in case.acts
    assert "assign_sponsors" in case.acts
    # The returned records stay in the 全程纪实, marked 已退回; the return says why.
    entries = {entry.title: entry for entry in selectors.timeline(case) if entry.kind == "step"}
    assert entries["政治审查"].mark == "已退回"
    assert entries["支部委员会审查"].mark == "已退回"
    assert entries["退回"].detail["reason"] == "政审材料缺外调函"
    events = events_of(stream_of(case))
    assert events[-1].action == "send_back" and events[-1].payload["data"]["to"] == "record_review"
    assert verify_chain(stream=stream_of(case)) == []
    # The flow waits for the political review again, and only for it.
    assert _open_nodes(case) == ["record_review"]
    # The deadline of the 预审 is gone with the step that opened it.
    assert not Deadline.objects.filter(
        subject_id=case.pk, key="step:pre_review", status="open"
    ).exists()
    # The review is done again, and the case goes on.
    services.case_record_review(
        case_id=case.pk, actor=None, reviewed_on=on, passed=True, note="补齐外调函"
    )
    assert _fresh(case).status == Status.REVIEWED
    assert _open_nodes(case) == ["record_training"]


def test_a_return_is_refused_to_a_step_the_rules_do_not_allow_and_changes_nothing():
    w = world()
    case = walk(w, until="pre_review")
    error = refusal(
        lambda: services.case_send_back(
            case_id=case.pk,
            actor=w.organiser,
            to_step="talk",
            reason="重来",
            decided_on=date_of("pre_review"),
        )
    )
    assert error.code == "return_not_allowed"
    assert "政治审查" in error.message and "支部委员会审查" in error.message
    assert _fresh(case).status == Status.COMMITTEE_REVIEWED
    error = refusal(
        lambda: services.case_send_back(
            case_id=case.pk,
            actor=w.organiser,
            to_step="record_review",
            reason="  ",
            decided_on=date_of("pre_review"),
        )
    )
    assert error.code == "reason_required"


def test_a_return_dated_before_the_last_act_is_refused_with_a_message():
    w = world()
    case = walk(w, until="pre_review")
    last = _fresh(case).last_act_on
    error = refusal(
        lambda: services.case_send_back(
            case_id=case.pk,
            actor=w.organiser,
            to_step="record_review",
            reason="理由",
            decided_on=last - timedelta(days=1),
        )
    )
    assert error.code == "act_date_before_previous" and str(last) in error.message
    assert _fresh(case).status == Status.COMMITTEE_REVIEWED


@pytest.mark.parametrize(
    ("actor", "code"),
    [("secretary", "step_forbidden"), ("county", "step_forbidden"), ("other", "case_not_found")],
)
def test_only_the_taker_of_the_awaited_step_may_return_the_case(actor, code):
    w = world()
    case = walk(w, until="pre_review")
    user = {"secretary": w.secretary, "county": w.county, "other": w.other_secretary}[actor]
    error = refusal(
        lambda: services.case_send_back(
            case_id=case.pk,
            actor=user,
            to_step="record_review",
            reason="理由",
            decided_on=date_of("pre_review"),
        )
    )
    assert error.code == code
    assert _fresh(case).status == Status.COMMITTEE_REVIEWED


def test_a_case_awaiting_a_branch_step_cannot_be_returned():
    w = world()
    case = walk(w, until="fill_form")
    error = refusal(
        lambda: services.case_send_back(
            case_id=case.pk,
            actor=w.organiser,
            to_step="committee_review",
            reason="理由",
            decided_on=date_of("fill_form"),
        )
    )
    assert error.code == "step_not_available"


def test_the_approval_returns_the_resolution_to_the_branch_meeting_and_the_standing_stays():
    w = world()
    case = walk(w, until="approve")
    services.case_send_back(
        case_id=case.pk,
        actor=w.organiser,
        to_step="branch_admit",
        reason="表决票数有误，重新讨论",
        decided_on=date_of("approve"),
    )
    case = _fresh(case)
    assert case.status == Status.FORM_FILLED
    assert case.admitted_on is None and case.probation_ends_on is None
    assert _open_nodes(case) == ["branch_admit"]
    assert Person.objects.get(pk=case.person_id).standing == Person.Standing.CANDIDATE


def test_the_county_returns_an_approval_and_the_person_is_a_candidate_again():
    w = world()
    case = walk(w, until="file_upper")
    assert Person.objects.get(pk=case.person_id).standing == Person.Standing.PROBATIONARY
    services.case_send_back(
        case_id=case.pk,
        actor=w.county,
        to_step="approve",
        reason="审批会议记录不全",
        decided_on=date_of("file_upper"),
    )
    case = _fresh(case)
    assert case.status == Status.COMMITTEE_TALKED and case.approved_on is None
    person = Person.objects.get(pk=case.person_id)
    assert person.standing == Person.Standing.CANDIDATE
    assert person.standing_since == date_of("choose_candidate")
    assert _open_nodes(case) == ["approve"]


# 撤回


def _talk_by_secretary(w):
    case = walk(w, until="talk")
    services.case_talk(case_id=case.pk, actor=w.secretary, talked_on=date_of("talk"), talker="")
    return _fresh(case)


def test_the_secretary_takes_back_his_last_act_and_may_enter_it_again():
    w = world()
    case = _talk_by_secretary(w)
    assert case.status == Status.TALKED
    services.case_take_back(case_id=case.pk, actor=w.secretary, reason="谈话日期录错")
    case = _fresh(case)
    assert case.status == Status.APPLIED and case.talked_on is None
    entries = [entry for entry in selectors.timeline(case) if entry.kind == "step"]
    assert [(e.title, e.mark) for e in entries][-2:] == [("党组织派人谈话", "已撤回"), ("撤回", "")]
    assert _open_nodes(case) == ["talk"]
    assert verify_chain(stream=stream_of(case)) == []
    # Entered again, with the right date (before the withdrawal's own day).
    services.case_talk(
        case_id=case.pk,
        actor=w.secretary,
        talked_on=date_of("talk") - timedelta(days=2),
        talker="",
    )
    assert _fresh(case).talked_on == date_of("talk") - timedelta(days=2)


def test_nobody_else_takes_back_an_act_and_nothing_after_it_may_have_happened():
    w = world()
    case = _talk_by_secretary(w)
    deputy = Person.objects.get(pk=w.members[1].pk)
    from tests import factories

    deputy_user = factories.user_for(deputy, "w-deputy")
    error = refusal(lambda: services.case_take_back(case_id=case.pk, actor=deputy_user, reason="x"))
    assert error.code == "step_forbidden"
    error = refusal(lambda: services.case_take_back(case_id=case.pk, actor=w.organiser, reason="x"))
    assert error.code == "step_forbidden"
    # Once another act follows, the talk is no longer the last act.
    services.case_choose_activist(
        case_id=case.pk,
        actor=None,
        decided_on=date_of("choose_activist"),
        recommendation="youth_league",
        present=4,
        yes=4,
    )
    error = refusal(lambda: services.case_take_back(case_id=case.pk, actor=w.secretary, reason="x"))
    assert error.code == "step_forbidden"
    assert _fresh(case).status == Status.ACTIVIST


@pytest.mark.parametrize(("days", "allowed"), [(2, True), (3, True), (4, False)])
def test_the_window_for_taking_back_is_the_countys(days, allowed):
    w = world()
    case = _talk_by_secretary(w)
    entered = timezone.now() - timedelta(days=days)
    case.records.filter(step="talk").update(entered_at=entered)
    call = lambda: services.case_take_back(case_id=case.pk, actor=w.secretary, reason="录错")
    if allowed:
        call()
        assert _fresh(case).status == Status.APPLIED
        return
    error = refusal(call)
    assert error.code == "take_back_window" and error.citation is not None
    assert _fresh(case).status == Status.TALKED
    # The county widens the window: the same act may now be taken back.
    RuleSetting.objects.create(
        rulebook=case.rulebook, rule_id="take_back_window", params={"days": 5}
    )
    from workflows.rules import clear_cache

    clear_cache()
    call()
    assert _fresh(case).status == Status.APPLIED


# 更正


def _correct(w, case, step, days, reason="原记录日期有误", actor=None):
    record = case.records.get(step=step)
    return services.case_correct(
        case_id=case.pk, actor=actor or w.organiser, record=record.pk,
        new_date=date_of(step) + timedelta(days=days), reason=reason,
    )  # fmt: skip


@pytest.mark.parametrize(("days", "allowed"), [(12, True), (13, False)])
def test_a_correction_of_the_activist_date_keeps_the_cultivation_year(days, allowed):
    """确定发展对象 came a year and 12 days after the activist's day: the activist's day
    may move 12 days later (a year exactly), not 13 (细则 第十三条)."""
    w = world()
    case = walk(w, until="file_candidate")
    # The 备案 and the mentors were in truth later too: corrected first, in order.
    _correct(w, case, "assign_mentors", 30)
    _correct(w, case, "file_activist", 30, actor=w.county)  # a township act: the county
    call = lambda: _correct(w, case, "choose_activist", days)
    if allowed:
        call()
        assert _fresh(case).activist_on == date_of("choose_activist") + timedelta(days=days)
        return
    error = refusal(call)
    assert error.code == "correction_breaks_rule"
    assert error.citation.article == "第十三条" and "确定发展对象" in error.message
    case = _fresh(case)
    assert case.activist_on == date_of("choose_activist")
    assert case.records.filter(step="correct").count() == 2


def test_a_correction_that_keeps_every_rule_passes_and_the_projection_moves():
    w = world()
    case = walk(w, until="choose_candidate")
    before = {p.code: p.earliest for p in projection.project(case, today=date(2020, 1, 1))}
    record = case.records.get(step="choose_activist")
    earlier = date_of("choose_activist") - timedelta(days=10)
    services.case_correct(
        case_id=case.pk,
        actor=w.organiser,
        record=record.pk,
        new_date=earlier,
        reason="以支委会会议记录为准",
        requested_by="村党支部书记",
    )
    case = _fresh(case)
    assert case.activist_on == earlier and case.acts["choose_activist"] == earlier
    assert Person.objects.get(pk=case.person_id).standing_since == earlier
    after = {p.code: p.earliest for p in projection.project(case, today=date(2020, 1, 1))}
    step = "propose_candidate" if "propose_candidate" in before else "choose_candidate"
    assert after[step] == before[step] - timedelta(days=10)
    # The record itself is untouched; the 全程纪实 shows the corrected date and the original.
    record.refresh_from_db()
    assert record.act_date == date_of("choose_activist")
    entry = next(e for e in selectors.timeline(case) if e.title == "推荐和确定入党积极分子")
    assert entry.on == earlier and entry.corrections[0]["old"] == str(date_of("choose_activist"))
    assert entry.corrections[0]["reason"] == "以支委会会议记录为准"
    event = events_of(stream_of(case))[-1]
    assert event.action == "correct" and event.payload["data"]["record"] == record.pk
    assert verify_chain(stream=stream_of(case)) == []


def test_a_branch_act_is_corrected_only_with_the_townships_approval():
    w = world()
    case = walk(w, until="file_candidate")
    record = case.records.get(step="choose_activist")
    for user, code in (
        (w.secretary, "correction_forbidden"),
        (w.other_secretary, "case_not_found"),
    ):
        error = refusal(
            lambda user=user: services.case_correct(
                case_id=case.pk,
                actor=user,
                record=record.pk,
                new_date=date_of("choose_activist") - timedelta(days=1),
                reason="录错",
            )
        )
        assert error.code == code
    # Out of order: before the talk.
    error = refusal(
        lambda: services.case_correct(
            case_id=case.pk,
            actor=w.organiser,
            record=record.pk,
            new_date=date_of("talk") - timedelta(days=1),
            reason="录错",
        )
    )
    assert error.code == "correction_before_previous"


# 催办 and 抄送


def test_the_township_presses_an_overdue_step_and_the_branch_hears_of_it(
    django_capture_on_commit_callbacks, sent
):
    from notifications.models import Notification

    w = world()
    case = walk(w, until="talk")  # applied 2023: the talk is long overdue
    error = refusal(lambda: services.case_press(case_id=case.pk, actor=w.secretary, note="快"))
    assert error.code == "not_overseer"
    with pytest.raises(Exception):  # noqa: B017
        services.case_press(case_id=case.pk, actor=w.organiser, note="")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_press(case_id=case.pk, actor=w.organiser, note="请本周内完成谈话")
    case = _fresh(case)
    assert case.status == Status.APPLIED
    event = events_of(stream_of(case))[-1]
    assert event.action == "press" and event.payload["data"]["step"] == "talk"
    pressed = Notification.objects.filter(recipient=w.secretary, kind="pressed")
    assert pressed.count() == 1 and "请本周内完成谈话" in pressed.get().body
    assert selectors.pressed_count(case) == 1


def test_a_step_not_yet_overdue_is_not_pressed():
    w = world()
    case = walk(w, until="talk")
    Case.objects.filter(pk=case.pk).update(applied_on=timezone.localdate())
    error = refusal(lambda: services.case_press(case_id=case.pk, actor=w.organiser, note="快"))
    assert error.code == "not_overdue"


def test_the_township_copies_a_case_to_those_who_may_see_it(
    django_capture_on_commit_callbacks, sent
):
    from notifications.models import Notification

    w = world()
    case = walk(w, until="talk")
    error = refusal(
        lambda: services.case_copy(case_id=case.pk, actor=w.organiser, users=[w.other_secretary])
    )
    assert error.code == "recipients_out_of_scope" and "邻村" not in error.message
    with django_capture_on_commit_callbacks(execute=True):
        services.case_copy(case_id=case.pk, actor=w.organiser, users=[w.county], note="请知悉")
    copied = Notification.objects.get(recipient=w.county, kind="copied")
    assert "请知悉" in copied.body and copied.read_at is None
    assert events_of(stream_of(case))[-1].action == "copy"


# 委托


@pytest.mark.parametrize(("offset", "acting"), [(-1, False), (0, True), (10, True), (11, False)])
def test_an_act_during_a_delegation_says_dai_with_both_names(offset, acting):
    from procedures.people import delegations
    from procedures.people.models import Position
    from tests import factories

    w = world()
    first = factories.person(w.branch, name="第一书记甲")
    factories.hold(first, w.branch, Position.Title.FIRST_SECRETARY, start=date(2020, 1, 1))
    user = factories.user_for(first, "w-first")
    case = walk(w, until="talk")
    talked_on = date_of("talk")
    delegations.delegation_record(
        actor=w.secretary,
        branch=w.branch,
        principal=w.members[0],
        delegate=first,
        starts_on=talked_on - timedelta(days=offset),
        ends_on=talked_on - timedelta(days=offset) + timedelta(days=10),
        reason="参加县委党校培训",
    )
    services.case_talk(case_id=case.pk, actor=user, talked_on=talked_on)
    event = events_of(stream_of(case))[-1]
    record = case.records.get(step="talk")
    assert record.actor_name == "第一书记甲"
    if acting:
        assert event.role.endswith("（第一书记甲代书记党员0）")
        assert record.role == event.role and "党支部第一书记" in record.role
    else:
        assert "代" not in event.role


def test_a_delegation_is_refused_to_one_who_is_no_deputy_and_to_an_overlap():
    from procedures.people import delegations

    w = world()
    on = date(2026, 3, 1)
    error = refusal(
        lambda: delegations.delegation_record(
            actor=w.secretary,
            branch=w.branch,
            principal=w.members[0],
            delegate=w.members[5],
            starts_on=on,
            ends_on=on + timedelta(days=5),
            reason="病假",
        )
    )
    assert error.code == "not_delegate"
    deputy = w.members[1]  # the branch's deputy secretary
    delegations.delegation_record(
        actor=w.secretary,
        branch=w.branch,
        principal=w.members[0],
        delegate=deputy,
        starts_on=on,
        ends_on=on + timedelta(days=5),
        reason="病假",
    )
    error = refusal(
        lambda: delegations.delegation_record(
            actor=w.organiser,
            branch=w.branch,
            principal=w.members[0],
            delegate=deputy,
            starts_on=on + timedelta(days=5),
            ends_on=on + timedelta(days=8),
            reason="病假",
        )
    )
    assert error.code == "delegation_overlap"
    error = refusal(
        lambda: delegations.delegation_record(
            actor=w.other_secretary,
            branch=w.branch,
            principal=w.members[0],
            delegate=deputy,
            starts_on=on + timedelta(days=9),
            ends_on=on + timedelta(days=10),
            reason="病假",
        )
    )
    assert error.code == "delegation_forbidden"
