"""撤回, 更正, 催办 and 抄送 of the branch's meeting records: the corrected record and the
withdrawn one stay, marked, and count nowhere; the correcting record counts on its day,
after the record's own rules were checked again on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from procedures.branchlife import ledger, services
from procedures.branchlife.models import BranchMeeting
from procedures.branchlife.services.procedure import MEETINGS
from procedures.branchlife.steps import Kind, Status
from tests import factories
from workflows import amend
from workflows.audit import events_of, stream_of, verify_chain
from workflows.errors import NotAllowed

from ..membership.walk import world
from .test_meetings import HELD, hold, refused

pytestmark = pytest.mark.django_db

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def _general_meeting(w):
    return hold(w, Kind.GENERAL_MEETING, w.members[:6], actor=w.secretary)


def _corrected_a_day_later(w, meeting) -> BranchMeeting:
    """The township corrects `meeting` to the next day (a slip of the pen): the new record."""
    amend.correct(
        MEETINGS,
        pk=meeting.pk,
        actor=w.organiser,
        new_date=HELD + timedelta(days=1),
        reason="笔误",
        record=meeting.pk,
    )
    return BranchMeeting.objects.get(corrects=meeting)


def _days(w) -> list[date]:
    return [line.day for line in ledger.lines(w.branch, *NOVEMBER) if line.record.pk]


# 更正


def test_the_township_corrects_a_meeting_date_by_a_new_record_that_names_the_old():
    w = world()
    meeting = _general_meeting(w)
    assert _days(w) == [HELD]
    new = HELD + timedelta(days=2)
    amend.correct(
        MEETINGS,
        pk=meeting.pk,
        actor=w.organiser,
        new_date=new,
        reason="以签到表日期为准",
        requested_by="村党支部",
        record=meeting.pk,
    )
    wrong = BranchMeeting.objects.get(pk=meeting.pk)
    assert wrong.status == Status.SUPERSEDED and wrong.held_on == HELD  # never edited
    right = BranchMeeting.objects.get(corrects=wrong)
    assert (right.status, right.held_on, right.topic) == (Status.HELD, new, wrong.topic)
    assert right.recorded_by == w.secretary  # the minutes stay his
    assert sorted(right.attendance.values_list("person_id", "presence")) == sorted(
        wrong.attendance.values_list("person_id", "presence")
    )
    # The ledger counts the meeting once, on its corrected day.
    assert _days(w) == [new]
    [event] = [e for e in events_of(stream_of(wrong)) if e.action == "correct"]
    assert event.payload["corrected_by"] == right.pk and event.payload["new"] == str(new)
    assert event.payload["requested_by"] == "村党支部"
    assert events_of(stream_of(right))[0].action == "corrected"
    assert verify_chain(stream=stream_of(wrong)) == []
    assert verify_chain(stream=stream_of(right)) == []


@pytest.mark.parametrize(("held_on", "ok"), [(date(2019, 12, 31), False), (date(2020, 1, 1), True)])
def test_a_correction_to_a_day_the_chair_held_no_post_is_refused_citing_the_rule(held_on, ok):
    w = world()  # the branch's committee holds its posts from 2020-01-01
    meeting = _general_meeting(w)
    call = lambda: amend.correct(
        MEETINGS,
        pk=meeting.pk,
        actor=w.organiser,
        new_date=held_on,
        reason="笔误",
        record=meeting.pk,
    )
    if ok:
        call()
        assert BranchMeeting.objects.get(corrects=meeting).held_on == held_on
        return
    error = refused(call)
    assert error.code == "general_meeting_chair" and error.citation is not None
    assert BranchMeeting.objects.get(pk=meeting.pk).status == Status.HELD
    assert BranchMeeting.objects.count() == 1


def test_the_branch_cannot_approve_a_correction_of_its_own_record():
    w = world()
    meeting = _general_meeting(w)
    with pytest.raises(NotAllowed) as raised:
        amend.correct(
            MEETINGS,
            pk=meeting.pk,
            actor=w.secretary,
            new_date=HELD - timedelta(days=1),
            reason="x",
            record=meeting.pk,
        )
    assert raised.value.code == "correction_forbidden"
    assert BranchMeeting.objects.get(pk=meeting.pk).status == Status.HELD


# 撤回


def test_who_recorded_a_meeting_takes_it_back_and_it_counts_no_more():
    w = world()
    meeting = _general_meeting(w)
    deputy = factories.user_for(w.members[1], "w-deputy")
    error = refused(lambda: amend.take_back(MEETINGS, pk=meeting.pk, actor=deputy, reason="x"))
    assert error.code == "step_forbidden"
    amend.take_back(MEETINGS, pk=meeting.pk, actor=w.secretary, reason="重复登记")
    meeting = BranchMeeting.objects.get(pk=meeting.pk)
    assert meeting.status == Status.WITHDRAWN
    assert _days(w) == []
    assert events_of(stream_of(meeting))[-1].payload["reason"] == "重复登记"
    assert verify_chain(stream=stream_of(meeting)) == []


@pytest.mark.parametrize(("days", "allowed"), [(3, True), (4, False)])
def test_the_window_for_taking_back_a_meeting_is_the_countys(monkeypatch, days, allowed):
    w = world()
    meeting = _general_meeting(w)
    today = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=days))
    call = lambda: amend.take_back(MEETINGS, pk=meeting.pk, actor=w.secretary, reason="x")
    if allowed:
        call()
        assert BranchMeeting.objects.get(pk=meeting.pk).status == Status.WITHDRAWN
        return
    assert refused(call).code == "take_back_window"
    assert BranchMeeting.objects.get(pk=meeting.pk).status == Status.HELD


# 催办 and 抄送


def test_the_township_presses_a_plan_not_recorded_by_its_day(
    django_capture_on_commit_callbacks, sent
):
    from notifications.models import Notification

    w = world()
    today = timezone.localdate()
    plan = services.meeting_plan(
        actor=None, branch=w.branch, kind=Kind.THEME_DAY, planned_on=today, topic="主题党日"
    )
    error = refused(lambda: amend.press(MEETINGS, pk=plan.pk, actor=w.organiser, note="快"))
    assert error.code == "not_overdue"  # its day is today
    BranchMeeting.objects.filter(pk=plan.pk).update(planned_on=today - timedelta(days=1))
    error = refused(lambda: amend.press(MEETINGS, pk=plan.pk, actor=w.secretary, note="快"))
    assert error.code == "not_overseer"
    with django_capture_on_commit_callbacks(execute=True):
        amend.press(MEETINGS, pk=plan.pk, actor=w.organiser, note="请登记召开情况")
    pressed = Notification.objects.get(recipient=w.secretary, kind="pressed")
    assert "请登记召开情况" in pressed.body


def test_the_township_copies_a_record_to_those_who_may_see_it(
    django_capture_on_commit_callbacks, sent
):
    from notifications.models import Notification

    w = world()
    meeting = _general_meeting(w)
    error = refused(
        lambda: amend.copy(MEETINGS, pk=meeting.pk, actor=w.organiser, users=[w.other_secretary])
    )
    assert error.code == "recipients_out_of_scope"
    with django_capture_on_commit_callbacks(execute=True):
        amend.copy(MEETINGS, pk=meeting.pk, actor=w.organiser, users=[w.county])
    assert Notification.objects.filter(recipient=w.county, kind="copied").exists()


# The record's page and API


def test_the_record_page_offers_each_action_to_whom_may_take_it_and_shows_the_correction(client):
    w = world()
    meeting = _general_meeting(w)
    page = lambda: client.get(reverse("staff:subject", args=["branch-meetings", meeting.pk]))
    client.force_login(w.secretary)
    text = page().content.decode()
    assert "/take_back/" in text and "/correct/" not in text and "/send_back/" not in text
    client.force_login(w.organiser)
    text = page().content.decode()
    assert "/correct/" in text and "/copy/" in text and "/take_back/" not in text
    new = HELD + timedelta(days=1)
    response = client.post(
        reverse("api:subject_step", args=["branch-meetings", meeting.pk, "correct"]),
        {"record": meeting.pk, "new_date": new.isoformat(), "reason": "以签到表为准"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    text = page().content.decode()
    assert "已更正" in text and "已更正为" in text
    right = BranchMeeting.objects.get(corrects=meeting)
    text = client.get(reverse("staff:subject", args=["branch-meetings", right.pk])).content.decode()
    assert f"原召开日期{HELD:%Y-%m-%d}" in text and "以签到表为准" in text


def test_the_printed_record_carries_the_correction_note(client):
    import pypdfium2

    w = world()
    meeting = _general_meeting(w)
    right = _corrected_a_day_later(w, meeting)
    client.force_login(w.secretary)
    url = reverse("staff:subject_document", args=["branch-meetings", right.pk, "pdf"])
    pdf = pypdfium2.PdfDocument(client.get(url).content)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "更正的记录" in text and f"原召开日期{HELD:%Y-%m-%d}" in text and "笔误" in text


def test_a_correction_keeps_the_record_s_attachments(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    w = world()
    scan = SimpleUploadedFile(
        "签到表.pdf", b"%PDF-1.4\n%sign-in sheet\n", content_type="application/pdf"
    )
    meeting = hold(w, Kind.GENERAL_MEETING, w.members[:6], actor=w.secretary, attachments=[scan])
    right = _corrected_a_day_later(w, meeting)
    [kept] = right.attachments.all()
    [original] = meeting.attachments.all()
    assert (kept.name, kept.sha256, kept.file.name) == (
        original.name,
        original.sha256,
        original.file.name,
    )
    event = events_of(stream_of(right))[0]
    assert event.payload["attachments"] == [{"name": "签到表.pdf", "sha256": original.sha256}]
