from datetime import date, timedelta

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from workflows import calendar
from workflows.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_every_day_of_2015_to_2026_agrees_with_chinesecalendar():
    day, mismatches = date(2015, 1, 1), []
    while day <= date(2026, 12, 31):
        if calendar.is_workday(day) != chinese_calendar.is_workday(day):
            mismatches.append(day)
        day += timedelta(days=1)
    assert mismatches == []


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2026, 9, 19), False),  # Saturday
        (date(2026, 9, 20), True),  # Sunday, make-up working day for National Day
        (date(2026, 9, 30), True),  # Wednesday before the break
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),  # last day of the break
        (date(2026, 10, 8), True),  # first day back
        (date(2026, 10, 10), True),  # Saturday, make-up working day
        (date(2026, 10, 11), False),  # Sunday
        (date(2026, 2, 14), True),  # Saturday, make-up day for Spring Festival
        (date(2026, 2, 15), False),  # Spring Festival break begins
        (date(2026, 2, 23), False),  # last day of the break (Monday)
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, make-up day
    ],
)
def test_2026_holidays_and_make_up_days(day, workday):
    assert calendar.is_workday(day) is workday
    assert calendar.day_info(day).provisional is False


def test_five_working_days_from_the_eve_of_national_day_2026_end_on_12_october():
    # The example of domain/calendar.md: counting Wednesday 30 September as day 1.
    outcome = calendar.add_workdays(date(2026, 9, 30), 5, count_start=True)
    assert outcome.value == date(2026, 10, 12)
    assert not outcome.provisional
    assert outcome.warning is None


def test_publishing_day_not_counted_shifts_the_end_by_one_working_day():
    outcome = calendar.add_workdays(date(2026, 9, 30), 5, count_start=False)
    assert outcome.value == date(2026, 10, 13)


def test_counting_start_on_a_holiday_begins_on_the_next_working_day():
    assert calendar.add_workdays(date(2026, 10, 3), 1, count_start=True).value == date(2026, 10, 8)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 9, 28), date(2026, 9, 30), 3),  # Mon..Wed
        (date(2026, 9, 30), date(2026, 10, 8), 2),  # across the break
        (date(2026, 10, 8), date(2026, 10, 12), 4),  # Thu, Fri, Sat (make-up), Mon
        (date(2026, 10, 12), date(2026, 10, 11), 0),  # end before start
        (date(2026, 10, 12), date(2026, 10, 12), 1),  # one day
    ],
)
def test_count_workdays(first, last, expected):
    assert calendar.count_workdays(first, last).value == expected


def test_unknown_2027_is_provisional_but_never_counts_new_year_as_a_working_day():
    new_year = calendar.day_info(date(2027, 1, 1))  # a Friday
    assert new_year.workday is False
    assert new_year.provisional is True
    outcome = calendar.add_workdays(date(2026, 12, 30), 3, count_start=True)
    # 30 Dec (Wed), 31 Dec (Thu), 1 Jan is a statutory holiday, 2-3 Jan weekend -> 4 Jan.
    assert outcome.value == date(2027, 1, 4)
    assert outcome.provisional_years == (2027,)
    assert "2027" in outcome.warning
    assert "暂定" in outcome.warning


def test_a_period_inside_2026_is_not_provisional_even_in_late_december():
    outcome = calendar.add_workdays(date(2026, 12, 28), 3, count_start=True)
    assert outcome.value == date(2026, 12, 30)
    assert not outcome.provisional


@pytest.mark.parametrize("day", [date(2027, 2, 5), date(2027, 2, 8), date(2027, 10, 1)])
def test_statutory_holidays_of_2027_are_days_off(day):
    assert calendar.is_workday(day) is False


def test_2027_days_the_library_only_guesses_are_working_days_until_the_schedule_is_entered():
    # 2027-02-09 (Tuesday) is only an estimated day off ("observed"): not statutory.
    assert calendar.is_workday(date(2027, 2, 9)) is True


def test_entered_schedule_makes_2027_official_and_its_days_apply():
    CalendarYear.objects.create(year=2027, schedule_entered=True, source="国办发明电〔2026〕")
    CalendarDay.objects.create(date=date(2027, 2, 9), kind=CalendarDay.Kind.HOLIDAY, name="春节")
    CalendarDay.objects.create(date=date(2027, 2, 20), kind=CalendarDay.Kind.WORKDAY, name="调休")
    assert calendar.is_workday(date(2027, 2, 9)) is False
    assert calendar.is_workday(date(2027, 2, 20)) is True  # a Saturday
    assert not calendar.add_workdays(date(2027, 3, 1), 5, count_start=True).provisional


def test_an_override_beats_the_library():
    CalendarDay.objects.create(date=date(2026, 11, 24), kind=CalendarDay.Kind.HOLIDAY, name="停工")
    assert calendar.is_workday(date(2026, 11, 24)) is False
    assert calendar.day_info(date(2026, 11, 24)).name == "停工"


def test_a_statutory_holiday_cannot_be_entered_as_a_working_day():
    day = CalendarDay(date=date(2027, 1, 1), kind=CalendarDay.Kind.WORKDAY)
    with pytest.raises(ValidationError) as error:
        day.full_clean()
    assert "法定节假日" in str(error.value)


def test_far_future_years_answer_provisionally_without_raising():
    outcome = calendar.add_workdays(date(2099, 12, 30), 10, count_start=True)
    assert outcome.provisional_years == (2099, 2100)
    assert calendar.is_workday(date(2100, 1, 1)) is False


def test_zero_days_is_the_start_and_negative_is_refused():
    assert calendar.add_workdays(date(2026, 10, 1), 0, count_start=True).value == date(2026, 10, 1)
    with pytest.raises(ValueError):
        calendar.add_workdays(date(2026, 10, 1), -1, count_start=True)
