"""Notice periods across the 2026 holidays and make-up days, into the unknown 2027, and the
gate a procedure step passes."""

from datetime import date
from types import SimpleNamespace

import pytest

from workflows import calendar
from workflows.errors import Conflict, ProcedureError
from workflows.notices import (
    Finding,
    NoticeStatus,
    ObjectionStatus,
    Period,
    PeriodUnit,
    gate,
    period_dates,
)

pytestmark = pytest.mark.django_db
FIVE_WORKDAYS = Period(5, PeriodUnit.WORKDAYS, count_publish_day=True)


@pytest.mark.parametrize(
    ("published_on", "starts_on", "ends_on"),
    [
        # National Day 2026: 10-01..10-07 off; 09-20 (Sun) and 10-10 (Sat) are worked.
        (date(2026, 9, 29), date(2026, 9, 29), date(2026, 10, 10)),  # 29, 30, 8, 9, 10 (Sat)
        (date(2026, 9, 30), date(2026, 9, 30), date(2026, 10, 12)),  # the domain's example
        (date(2026, 10, 1), date(2026, 10, 8), date(2026, 10, 13)),  # published on a holiday
        (date(2026, 10, 7), date(2026, 10, 8), date(2026, 10, 13)),  # last day of the break
        (date(2026, 10, 8), date(2026, 10, 8), date(2026, 10, 13)),  # first day back
        (date(2026, 10, 9), date(2026, 10, 9), date(2026, 10, 14)),  # 9, 10 (Sat), 12, 13, 14
        (date(2026, 9, 18), date(2026, 9, 18), date(2026, 9, 23)),  # Fri, Sun 20 worked
        # Spring Festival 2026: 02-15..02-23 off; 02-14 (Sat) and 02-28 (Sat) are worked.
        (date(2026, 2, 12), date(2026, 2, 12), date(2026, 2, 25)),  # 12, 13, 14 (Sat), 24, 25
        (date(2026, 2, 14), date(2026, 2, 14), date(2026, 2, 27)),  # a make-up Saturday
        (date(2026, 2, 15), date(2026, 2, 24), date(2026, 2, 28)),  # first day of the break
        (date(2026, 2, 26), date(2026, 2, 26), date(2026, 3, 3)),  # 26, 27, 28 (Sat), 2, 3
    ],
)
def test_five_working_days_around_2026_holidays(published_on, starts_on, ends_on):
    dates = period_dates(FIVE_WORKDAYS, published_on)
    assert (dates.starts_on, dates.ends_on) == (starts_on, ends_on)
    assert calendar.count_workdays(dates.starts_on, dates.ends_on).value == 5
    assert dates.provisional_years == ()


def test_publishing_day_not_counted():
    period = Period(5, PeriodUnit.WORKDAYS, count_publish_day=False)
    dates = period_dates(period, date(2026, 9, 30))
    assert (dates.starts_on, dates.ends_on) == (date(2026, 10, 8), date(2026, 10, 13))


def test_a_period_into_2027_is_provisional_and_skips_new_year():
    dates = period_dates(FIVE_WORKDAYS, date(2026, 12, 29))
    # 29, 30, 31 Dec; 1 Jan (statutory holiday, a Friday); 2-3 weekend; 4, 5 Jan.
    assert dates.ends_on == date(2027, 1, 5)
    assert dates.provisional_years == (2027,)
    assert "2027" in dates.warning


def test_a_period_inside_2026_is_not_provisional():
    assert period_dates(FIVE_WORKDAYS, date(2026, 12, 21)).warning is None


@pytest.mark.parametrize(
    ("count_publish_day", "starts_on", "ends_on"),
    [(True, date(2026, 10, 1), date(2026, 10, 7)), (False, date(2026, 10, 2), date(2026, 10, 8))],
)
def test_calendar_day_periods_ignore_holidays(count_publish_day, starts_on, ends_on):
    dates = period_dates(Period(7, PeriodUnit.DAYS, count_publish_day), date(2026, 10, 1))
    assert (dates.starts_on, dates.ends_on) == (starts_on, ends_on)


def test_a_period_must_have_a_day():
    with pytest.raises(ValueError):
        period_dates(Period(0), date(2026, 10, 1))


def _notice(status, ends_on=date(2026, 10, 12)):
    return SimpleNamespace(status=status, ends_on=ends_on)


def _objection(status=ObjectionStatus.RESOLVED, finding=Finding.REJECTED):
    return SimpleNamespace(status=status, finding=finding)


def test_gate_refuses_a_draft_a_running_and_a_withdrawn_notice():
    for status, code in [
        (NoticeStatus.DRAFT, "notice_not_published"),
        (NoticeStatus.PUBLISHED, "notice_running"),
        (NoticeStatus.WITHDRAWN, "notice_withdrawn"),
    ]:
        with pytest.raises(Conflict) as raised:
            gate(_notice(status), [])
        assert raised.value.code == code
        assert raised.value.status == 409


def test_gate_names_the_end_of_a_running_notice():
    with pytest.raises(Conflict) as raised:
        gate(_notice(NoticeStatus.PUBLISHED), [])
    assert "2026年10月12日" in raised.value.message


def test_gate_passes_a_closed_notice_whose_objections_were_not_upheld():
    gate(_notice(NoticeStatus.CLOSED), [])
    gate(_notice(NoticeStatus.CLOSED), [_objection(), _objection(finding=Finding.PARTLY)])


@pytest.mark.parametrize("status", [ObjectionStatus.RECEIVED, ObjectionStatus.VERIFYING])
def test_gate_waits_for_every_objection_to_be_resolved(status):
    with pytest.raises(Conflict) as raised:
        gate(_notice(NoticeStatus.CLOSED), [_objection(), _objection(status=status, finding="")])
    assert raised.value.code == "objection_unresolved"
    assert "1件" in raised.value.message


def test_gate_refuses_after_an_upheld_objection():
    with pytest.raises(ProcedureError) as raised:
        gate(_notice(NoticeStatus.CLOSED), [_objection(finding=Finding.UPHELD)])
    assert raised.value.code == "objection_upheld"
    assert "属实" in raised.value.message


def test_period_description_states_the_convention():
    assert FIVE_WORKDAYS.describe() == "5个工作日（发布当日计入）"
    assert Period(7, PeriodUnit.DAYS, False).describe() == "7天（自发布次日起计算）"
