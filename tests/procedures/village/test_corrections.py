"""退回, 撤回, 更正, 催办 and 抄送 of a village matter: who may, when, and what the meetings'
record, the audit chain, the deadlines and the branch's ledger say afterwards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from procedures.branchlife import ledger
from procedures.people.models import Position
from procedures.village import services
from procedures.village.models import Matter, MatterMeeting, MeetingCorrection
from procedures.village.services import corrections
from procedures.village.services.matters import MATTERS
from procedures.village.steps import RETURNABLE_FROM, Category, Status
from tests import factories
from tests.factories import refusal
from workflows import amend
from workflows.audit import events_of, stream_of, verify_chain
from workflows.models import Deadline, RuleSetting

from .world import (
    D,
    T,
    advance,
    committee_attendees,
    joint_attendees,
    meeting,
    register,
    village_world,
)

pytestmark = pytest.mark.django_db


def _fresh(matter) -> Matter:
    return Matter.objects.get(pk=matter.pk)


def _upper(w):
    """A township organiser and a county organisation department's cadre, with logins."""
    organiser = factories.person(w.tree.townships[0], name="组织委员甲")
    factories.hold(organiser, w.tree.townships[0], Position.Title.ORGANISER)
    cadre = factories.person(w.tree.department, name="组织部干部乙")
    factories.hold(cadre, w.tree.department, Position.Title.ORGANISER)
    return factories.user_for(organiser, "v-organiser"), factories.user_for(cadre, "v-county")


def _marks(matter) -> dict[str, str]:
    return {held.step: held.mark for held in corrections.meetings(matter)}


def _unchanged(matter, status):
    """A refusal left the matter, its records and its stream as they were."""
    assert _fresh(matter).status == status
    assert not MeetingCorrection.objects.exists()
    assert verify_chain(stream=stream_of(matter)) == []


def test_the_lifecycle_returns_from_exactly_the_statuses_before_the_decision_is_published():
    for verb in ("send_back", "take_back"):
        sources = {t.source for t in Matter().get_all_status_transitions() if t.name == verb}
        assert sources == set(RETURNABLE_FROM)


# 退回


def test_the_township_returns_a_deliberated_matter_to_the_consultation_with_its_reason():
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="resolve")
    assert _fresh(matter).status == Status.DELIBERATED
    amend.send_back(
        MATTERS,
        pk=matter.pk,
        actor=township,
        to_step="consult",
        reason="商议未通知驻村工作队",
        act_date=D["deliberate"] + timedelta(days=1),
    )
    matter = _fresh(matter)
    assert matter.status == Status.PROPOSED
    # The meetings undone stay, marked 已退回; the proposal stands.
    assert _marks(matter) == {"propose": "", "consult": "returned", "deliberate": "returned"}
    assert list(corrections.acts(matter)) == ["propose"]
    event = events_of(stream_of(matter))[-1]
    assert event.action == "send_back" and event.payload["reason"] == "商议未通知驻村工作队"
    assert event.payload["undone"] == ["consult", "deliberate"]
    assert set(event.payload["records"]) == set(
        MatterMeeting.objects.filter(step__in=["consult", "deliberate"]).values_list(
            "pk", flat=True
        )
    )
    assert "组织员" in event.role
    assert verify_chain(stream=stream_of(matter)) == []
    # The consultation is held again, and the matter goes on.
    again = D["deliberate"] + timedelta(days=3)
    services.matter_consult(
        matter_id=matter.pk, actor=None, meeting=meeting(w, again, attendees=joint_attendees(w))
    )
    services.matter_deliberate(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, again + timedelta(days=2), attendees=w.members[:7], yes=6, no=1),
    )
    matter = _fresh(matter)
    assert matter.status == Status.DELIBERATED
    assert corrections.acts(matter)["consult"].held_on == again


def test_a_return_of_the_decision_clears_it_and_closes_its_publication_deadline():
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="publish_resolution")
    matter = _fresh(matter)
    assert matter.decided_on == D["resolve"]
    assert Deadline.objects.filter(
        subject_id=matter.pk, key="step:publish_resolution", status="open"
    ).exists()
    amend.send_back(
        MATTERS,
        pk=matter.pk,
        actor=township,
        to_step="resolve",
        reason="代表会议人数不足",
        act_date=D["resolve"],
    )
    matter = _fresh(matter)
    assert matter.status == Status.DELIBERATED
    assert matter.decided_on is None and matter.decision == ""
    assert not Deadline.objects.filter(
        subject_id=matter.pk, key="step:publish_resolution", status="open"
    ).exists()
    # The new decision is the one published, with its own date.
    held_on = D["resolve"] + timedelta(days=5)
    services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, held_on, attendees=w.representatives[:8], yes=8),
    )
    services.matter_publish_resolution(matter_id=matter.pk, actor=None, published_on=held_on)
    from procedures.publicity.models import Notice

    notice = Notice.objects.get(kind="resolution")
    published = str(notice.public_fields)
    assert "同意8，不同意0，弃权0" in published
    assert f"{held_on.month}月{held_on.day}日" in published


@pytest.mark.parametrize(
    ("who", "code"),
    [("secretary", "step_forbidden"), ("outsider", "matter_not_found"), ("county", None)],
)
def test_only_the_township_or_the_county_returns_a_matter(who, code):
    w = village_world()
    _township, county = _upper(w)
    matter = register(w)
    advance(w, matter, until="deliberate")
    user = {"secretary": w.secretary_user, "outsider": w.outsider_user, "county": county}[who]
    call = lambda: amend.send_back(
        MATTERS, pk=matter.pk, actor=user, to_step="propose", reason="理由", act_date=D["consult"]
    )
    if code is None:
        call()
        assert _fresh(matter).status == Status.REGISTERED
        return
    assert refusal(call).code == code
    _unchanged(matter, Status.CONSULTED)


@pytest.mark.parametrize(
    ("to_step", "reason", "on", "code"),
    [
        ("deliberate", "理由", D["consult"], "return_not_allowed"),  # not held yet
        ("consult", "  ", D["consult"], "reason_required"),
        ("consult", "理由", D["consult"] - timedelta(days=1), "act_date_before_previous"),
    ],
)
def test_a_return_refused_changes_nothing(to_step, reason, on, code):
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="deliberate")
    error = refusal(
        lambda: amend.send_back(
            MATTERS, pk=matter.pk, actor=township, to_step=to_step, reason=reason, act_date=on
        )
    )
    assert error.code == code
    if code == "return_not_allowed":
        assert "提议" in error.message and "商议" in error.message
    _unchanged(matter, Status.CONSULTED)


def test_a_published_decision_is_not_returned():
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="record_progress")
    error = refusal(
        lambda: amend.send_back(
            MATTERS,
            pk=matter.pk,
            actor=township,
            to_step="resolve",
            reason="理由",
            act_date=D["progress"],
        )
    )
    assert error.code == "step_not_available"
    _unchanged(matter, Status.RESOLUTION_PUBLISHED)


# 撤回


def _proposed_by_secretary(w):
    matter = register(w)
    services.matter_propose(
        matter_id=matter.pk,
        actor=w.secretary_user,
        meeting=meeting(w, D["propose"], attendees=committee_attendees(w)),
    )
    return matter


def test_who_recorded_the_last_meeting_takes_it_back_while_nothing_came_after():
    w = village_world()
    matter = _proposed_by_secretary(w)
    deputy = factories.user_for(w.people[T.DEPUTY_SECRETARY], "v-deputy")
    error = refusal(lambda: amend.take_back(MATTERS, pk=matter.pk, actor=deputy, reason="录错"))
    assert error.code == "step_forbidden"
    amend.take_back(MATTERS, pk=matter.pk, actor=w.secretary_user, reason="会议日期录错")
    matter = _fresh(matter)
    assert matter.status == Status.REGISTERED
    assert _marks(matter) == {"propose": "withdrawn"}
    event = events_of(stream_of(matter))[-1]
    assert event.action == "take_back" and event.payload["reason"] == "会议日期录错"
    assert verify_chain(stream=stream_of(matter)) == []
    # Nothing stands to take back now.
    error = refusal(
        lambda: amend.take_back(MATTERS, pk=matter.pk, actor=w.secretary_user, reason="x")
    )
    assert error.code == "step_not_available"


def test_a_meeting_followed_by_another_is_not_taken_back():
    w = village_world()
    matter = _proposed_by_secretary(w)
    services.matter_consult(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["consult"], attendees=joint_attendees(w)),
    )
    error = refusal(
        lambda: amend.take_back(MATTERS, pk=matter.pk, actor=w.secretary_user, reason="x")
    )
    assert error.code == "step_forbidden"
    assert _fresh(matter).status == Status.CONSULTED


@pytest.mark.parametrize(("days", "allowed"), [(2, True), (3, True), (4, False)])
def test_the_window_for_taking_back_a_meeting_is_the_countys(days, allowed):
    w = village_world()
    matter = _proposed_by_secretary(w)
    MatterMeeting.objects.update(recorded_at=timezone.now() - timedelta(days=days))
    call = lambda: amend.take_back(MATTERS, pk=matter.pk, actor=w.secretary_user, reason="录错")
    if allowed:
        call()
        assert _fresh(matter).status == Status.REGISTERED
        return
    error = refusal(call)
    assert error.code == "take_back_window" and error.citation is not None
    assert _fresh(matter).status == Status.PROPOSED
    RuleSetting.objects.create(
        rulebook="village-three", rule_id="take_back_window", params={"days": 5}
    )
    from workflows.rules import clear_cache

    clear_cache()
    call()
    assert _fresh(matter).status == Status.REGISTERED


# 更正


def _correct(matter, actor, step, held_on, **kwargs):
    meeting_id = MatterMeeting.objects.get(matter=matter, step=step).pk
    return amend.correct(
        MATTERS,
        pk=matter.pk,
        actor=actor,
        record=meeting_id,
        new_date=held_on,
        reason=kwargs.get("reason", "会议记录日期笔误"),
        requested_by=kwargs.get("requested_by", "村党支部"),
    )


@pytest.mark.parametrize(
    ("held_on", "code"),
    [
        (D["propose"] - timedelta(days=1), "correction_before_previous"),
        (D["propose"], None),
        (D["deliberate"], None),
        (D["deliberate"] + timedelta(days=1), "correction_after_next"),
    ],
)
def test_a_meeting_date_is_corrected_between_its_neighbours(held_on, code):
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="resolve")
    call = lambda: _correct(matter, township, "consult", held_on)
    if code is not None:
        assert refusal(call).code == code
        _unchanged(matter, Status.DELIBERATED)
        return
    call()
    consult = MatterMeeting.objects.get(step="consult")
    assert consult.held_on == D["consult"]  # the record itself is never edited
    fix = MeetingCorrection.objects.get()
    assert (fix.meeting, fix.original, fix.held_on) == (consult, D["consult"], held_on)
    assert fix.approved_by == township and "组织员" in fix.approver
    assert fix.requested_by == "村党支部"
    assert corrections.acts(_fresh(matter))["consult"].held_on == held_on
    event = events_of(stream_of(matter))[-1]
    assert event.action == "correct" and event.payload["record"] == consult.pk
    assert verify_chain(stream=stream_of(matter)) == []


def test_only_the_township_or_the_county_approves_a_correction():
    w = village_world()
    matter = register(w)
    advance(w, matter, until="consult")
    from workflows.errors import NotAllowed

    with pytest.raises(NotAllowed) as raised:
        _correct(matter, w.secretary_user, "propose", D["propose"] + timedelta(days=1))
    assert raised.value.code == "correction_forbidden" and "乡镇党委或县委" in raised.value.message
    _unchanged(matter, Status.PROPOSED)


@pytest.mark.parametrize(("held_on", "ok"), [(date(2019, 12, 31), False), (date(2020, 1, 1), True)])
def test_a_correction_to_a_day_the_chair_held_no_post_is_refused_citing_the_chair_rule(held_on, ok):
    w = village_world()  # every post held from 2020-01-01
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="consult")
    call = lambda: _correct(matter, township, "propose", held_on)
    if ok:
        call()
        return
    error = refusal(call)
    assert error.code == "chair_proposal" and error.citation is not None
    _unchanged(matter, Status.PROPOSED)


def _resolved_by_villagers_meeting(w):
    matter = register(w, Category.LAND_CONTRACT)
    advance(w, matter, until="resolve")
    services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(
            w,
            D["resolve"],
            villagers_meeting=True,
            present=20,
            households_present=8,
            yes=15,
            announced_on=D["resolve"] - timedelta(days=10),
        ),
    )
    return _fresh(matter)


@pytest.mark.parametrize(("shift", "ok"), [(-1, False), (0, None), (1, True), (3, True)])
def test_a_villagers_meeting_moved_closer_to_its_notice_is_refused_citing_the_ten_days(shift, ok):
    w = village_world()
    township, _county = _upper(w)
    matter = _resolved_by_villagers_meeting(w)
    assert matter.status == Status.RESOLVED
    due_before = Deadline.objects.get(
        subject_id=matter.pk, key="step:publish_resolution", status="open"
    ).due_at
    call = lambda: _correct(matter, township, "resolve", D["resolve"] + timedelta(days=shift))
    if ok is None:
        assert refusal(call).code == "same_date"
        return
    if not ok:
        error = refusal(call)
        assert error.code == "villagers_meeting_notice" and "第二十一条" in str(error.citation)
        _unchanged(matter, Status.RESOLVED)
        return
    call()
    matter = _fresh(matter)
    # The decision's date moves with its meeting, and the publication's deadline with it.
    assert matter.decided_on == D["resolve"] + timedelta(days=shift)
    due_after = Deadline.objects.get(
        subject_id=matter.pk, key="step:publish_resolution", status="open"
    ).due_at
    # Friday 03-20 + 1 is a Saturday: five working days still end 03-27; a Monday moves it.
    assert due_after > due_before if shift == 3 else due_after == due_before


def test_the_ledger_counts_a_deliberation_on_its_corrected_day():
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="resolve")
    start, end = D["deliberate"] + timedelta(days=1), date(2026, 3, 31)
    assert [line for line in ledger.lines(w.branch, start, end) if line.record.pk] == []
    _correct(matter, township, "deliberate", D["deliberate"] + timedelta(days=2))
    lines = ledger.lines(w.branch, start, end)
    assert [(line.kind, line.day) for line in lines] == [
        ("general_meeting", D["deliberate"] + timedelta(days=2))
    ]


# 催办 and 抄送


def test_the_township_presses_an_unpublished_decision_and_the_branch_hears_of_it(
    django_capture_on_commit_callbacks, sent
):
    from notifications.models import Notification

    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="publish_resolution")  # decided in March: long overdue
    error = refusal(lambda: amend.press(MATTERS, pk=matter.pk, actor=w.secretary_user, note="快"))
    assert error.code == "not_overseer"
    with django_capture_on_commit_callbacks(execute=True):
        amend.press(MATTERS, pk=matter.pk, actor=township, note="请三日内公开决议")
    event = events_of(stream_of(matter))[-1]
    assert event.action == "press" and event.payload["step"] == "publish_resolution"
    pressed = Notification.objects.get(recipient=w.secretary_user, kind="pressed")
    assert "请三日内公开决议" in pressed.body
    assert _fresh(matter).status == Status.RESOLVED
    assert verify_chain(stream=stream_of(matter)) == []


def test_a_step_without_a_deadline_passed_is_not_pressed():
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="consult")
    error = refusal(lambda: amend.press(MATTERS, pk=matter.pk, actor=township, note="快"))
    assert error.code == "not_overdue"


def test_the_township_copies_a_matter_to_those_who_may_see_it(
    django_capture_on_commit_callbacks, sent
):
    from notifications.models import Notification

    w = village_world()
    township, county = _upper(w)
    matter = register(w)
    advance(w, matter, until="consult")
    error = refusal(
        lambda: amend.copy(MATTERS, pk=matter.pk, actor=township, users=[w.outsider_user])
    )
    assert error.code == "recipients_out_of_scope" and "外村书记" not in error.message
    with django_capture_on_commit_callbacks(execute=True):
        amend.copy(MATTERS, pk=matter.pk, actor=township, users=[county], note="请知悉")
    copied = Notification.objects.get(recipient=county, kind="copied")
    assert "请知悉" in copied.body
    assert events_of(stream_of(matter))[-1].action == "copy"
