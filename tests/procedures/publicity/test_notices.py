from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from procedures.publicity import services
from procedures.publicity.models import Notice
from workflows.errors import Conflict, NotAllowed, ProcedureError
from workflows.models import AuditEvent
from workflows.notices import NoticeStatus, receipt_checks

FIELDS = {"name": "张三", "gender": "男", "birth_month": "1990年3月", "branch": "测试村党支部"}


def _draft(world, actor=None, **extra):
    return services.notice_draft(
        actor=actor or world["secretary"],
        village=world["village"],
        kind="candidate",
        subject=world["candidate"],
        issuer="测试村党支部",
        fields={**FIELDS, **extra},
    )


def test_a_draft_keeps_only_whitelisted_fields_in_display_order(world):
    notice = _draft(world)
    assert notice.status == NoticeStatus.DRAFT
    assert [label for label, _value in notice.public_fields] == [
        "姓名",
        "性别",
        "出生年月",
        "所在党支部",
    ]
    assert notice.subject == world["candidate"]


@pytest.mark.parametrize("field", ["id_number", "phone", "address", "household"])
def test_fields_outside_the_whitelist_are_refused(world, field):
    with pytest.raises(ProcedureError) as raised:
        _draft(world, **{field: "x"})
    assert raised.value.code == "field_not_public"
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "联系13800001111", "身份证110105194912310021"]
)
def test_id_numbers_and_phones_cannot_hide_in_an_allowed_field(world, value):
    with pytest.raises(ProcedureError) as raised:
        _draft(world, occupation=value)
    assert raised.value.code == "personal_data_in_notice"
    assert not Notice.objects.exists()


def test_an_outsider_cannot_draft_for_another_townships_village(world):
    with pytest.raises(NotAllowed):
        _draft(world, actor=world["outsider"])
    assert not Notice.objects.exists()


def test_publishing_computes_the_period_and_audits(world):
    notice = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 9, 30)
    )
    assert notice.status == NoticeStatus.PUBLISHED
    assert (notice.starts_on, notice.ends_on) == (date(2026, 9, 30), date(2026, 10, 12))
    assert not notice.provisional
    assert AuditEvent.objects.filter(action="notice_published").count() == 1


def test_publishing_into_2027_is_marked_provisional(world):
    notice = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 12, 29)
    )
    assert notice.ends_on == date(2027, 1, 5)
    assert notice.provisional
    assert "2027" in notice.provisional_note


def test_a_notice_is_published_once(world):
    notice = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 9, 30)
    )
    with pytest.raises(Conflict):
        services.notice_publish(actor=None, notice=notice, published_on=date(2026, 10, 8))
    notice.refresh_from_db()
    assert notice.published_on == date(2026, 9, 30)


def test_staff_cannot_backdate_a_publication(world):
    with pytest.raises(ProcedureError) as raised:
        services.notice_publish(
            actor=world["secretary"],
            notice=_draft(world),
            published_on=timezone.localdate() - timedelta(days=1),
        )
    assert raised.value.code == "publish_in_past"


def test_withdrawal_needs_a_reason_and_keeps_the_notice(world):
    notice = services.notice_publish(actor=world["secretary"], notice=_draft(world))
    with pytest.raises(ProcedureError) as raised:
        services.notice_withdraw(actor=world["secretary"], notice=notice, reason="  ")
    assert raised.value.code == "withdraw_reason_required"
    notice = services.notice_withdraw(actor=world["secretary"], notice=notice, reason="信息有误")
    assert notice.status == NoticeStatus.WITHDRAWN
    assert Notice.objects.filter(pk=notice.pk, withdrawn_reason="信息有误").exists()
    with pytest.raises(Conflict):
        services.notice_withdraw(actor=world["secretary"], notice=notice, reason="再撤一次")


@pytest.mark.parametrize(
    ("today", "closed"),
    [
        (date(2026, 10, 11), False),
        (date(2026, 10, 12), False),
        (date(2026, 10, 13), True),
    ],
)
def test_the_sweep_closes_a_notice_the_day_after_its_period(world, today, closed):
    notice = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 9, 30)
    )
    assert services.notices_close_due(today=today) == int(closed)
    notice.refresh_from_db()
    assert (notice.status == NoticeStatus.CLOSED) is closed
    assert services.notices_close_due(today=today) == 0  # idempotent


@pytest.mark.parametrize(
    ("today", "passes"),
    [
        (date(2026, 10, 12), False),
        (date(2026, 10, 13), True),
    ],
)
def test_the_gate_lets_a_finished_notice_through_without_closing_anything(world, today, passes):
    notice = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 9, 30)
    )
    other = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 9, 30)
    )
    if passes:
        services.notice_gate(notice=notice, today=today)
        # A guard only reads: closing notices (this one, and every other one due in the
        # county) is the sweep's job, not a side effect of someone's step.
        for row in (notice, other):
            row.refresh_from_db()
            assert row.status == NoticeStatus.PUBLISHED
    else:
        with pytest.raises(Conflict) as raised:
            services.notice_gate(notice=notice, today=today)
        assert raised.value.code == "notice_running"


def test_objections_are_accepted_from_publication_to_the_last_day(world):
    notice = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 9, 30)
    )
    tz = timezone.get_current_timezone()

    def submit(day, key):
        return services.objection_submit(
            notice_id=notice.pk,
            text="反映一个具体问题",
            client_key=key,
            now=datetime(day.year, day.month, day.day, 23, 0, tzinfo=tz),
        )

    with pytest.raises(Conflict):
        submit(date(2026, 9, 29), "a")  # the day before
    assert receipt_checks(submit(date(2026, 9, 30), "b").receipt)  # the day of publication
    assert submit(date(2026, 10, 12), "c")  # the last day
    with pytest.raises(Conflict) as raised:
        submit(date(2026, 10, 13), "d")  # the day after
    assert raised.value.code == "objection_closed"
    assert notice.objections.count() == 2


def test_a_published_notice_closes_as_a_deadline_row(world):
    from workflows import deadlines

    notice = services.notice_publish(
        actor=None, notice=_draft(world), published_on=date(2026, 9, 30)
    )
    [row] = deadlines.open_for(notice)
    assert row.key == "notice_close" and row.audience == "township"
    # The period ends on 12 October; the notice closes, and its row is due, on the 13th.
    assert timezone.localtime(row.due_at).date() == date(2026, 10, 13)
    services.notices_close_due(today=date(2026, 10, 13))
    assert deadlines.open_for(notice) == []


def test_a_withdrawn_notice_closes_its_deadline(world):
    from workflows import deadlines

    notice = services.notice_publish(actor=world["secretary"], notice=_draft(world))
    services.notice_withdraw(actor=world["secretary"], notice=notice, reason="信息有误")
    assert deadlines.open_for(notice) == []


def test_each_procedure_registers_its_own_notice_kinds_with_their_verifier():
    """Publicity knows no procedure's notices: member development and village matters
    register theirs, each saying who verifies the concerns raised on it."""
    from pathlib import Path

    from procedures.publicity import kinds

    assert {"candidate", "admission", "conversion"} <= set(kinds.KINDS)
    assert {"resolution", "result"} <= set(kinds.KINDS)
    assert {kind.verifier for kind in kinds.KINDS.values()} == {"township"}
    source = Path(kinds.__file__).read_text(encoding="utf-8")
    assert "NoticeKind(" not in source.replace("class NoticeKind", "")
