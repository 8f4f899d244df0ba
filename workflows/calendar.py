"""The working-day calendar of mainland China.

Sources, in order of precedence:
1. `CalendarDay` rows entered by hand (admin): they override everything else for their day;
2. the `holidays` package (`holidays.China`): the statutory holidays fixed by law for every
   year, and, for the years whose State Council schedule it carries, the days joined to them
   and the make-up working days (调休);
3. Saturdays and Sundays are days off, every other day is a working day.

A year whose schedule neither the package carries nor an admin marked as entered is
*provisional*: only the statutory holidays are certain. Results that depend on such a year say
so (`Outcome.provisional`, `Outcome.warning`) and never fail, and a statutory holiday is never
counted as a working day.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar

import holidays
from django.conf import settings
from django.utils.translation import gettext as _

from .models import CalendarDay, CalendarYear
from .statutory import library_has_schedule, statutory_holidays

T = TypeVar("T")

_MAX_SPAN_DAYS = 3660 * 3


@dataclass(frozen=True)
class Day:
    date: date
    workday: bool
    name: str
    provisional: bool


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A calendar answer and the years it depends on whose schedule is not yet known."""

    value: T
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def warning(self) -> str | None:
        if not self.provisional_years:
            return None
        years = "、".join(str(year) for year in self.provisional_years)
        return _(
            "%(years)s年的国务院节假日安排尚未公布或录入，结果为暂定："
            "法定节假日已排除，调休安排可能改变结果。"
        ) % {"years": years}


@dataclass
class _Year:
    official: bool
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)


class _YearCache:
    """Per-process cache of built years. Edits in this process clear it at once (signals);
    other processes see them within JICENG_CALENDAR_CACHE_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._years: dict[int, tuple[float, _Year]] = {}

    def get(self, year: int) -> _Year:
        ttl = settings.JICENG_CALENDAR_CACHE_SECONDS
        now = time.monotonic()
        cached = self._years.get(year)
        if cached is not None and now - cached[0] < ttl:
            return cached[1]
        built = _build_year(year)
        with self._lock:
            self._years[year] = (now, built)
        return built

    def clear(self) -> None:
        with self._lock:
            self._years.clear()


_cache = _YearCache()


def clear_cache() -> None:
    _cache.clear()


def _build_year(year: int) -> _Year:

    entered = CalendarYear.objects.filter(year=year, schedule_entered=True).exists()
    if library_has_schedule(year):
        table = holidays.China(years=year, language="zh_CN")
        built = _Year(
            official=True,
            holidays={day: name for day, name in table.items() if day.year == year},
            workdays={day: _("调休上班") for day in table.weekend_workdays if day.year == year},
        )
    else:
        built = _Year(official=entered, holidays=statutory_holidays(year))
    for row in CalendarDay.objects.filter(date__year=year):
        if row.kind == CalendarDay.Kind.HOLIDAY:
            built.workdays.pop(row.date, None)
            built.holidays[row.date] = row.name or _("放假")
        else:
            built.holidays.pop(row.date, None)
            built.workdays[row.date] = row.name or _("上班")
    return built


def day_info(day: date) -> Day:
    year = _cache.get(day.year)
    provisional = not year.official
    if day in year.holidays:
        return Day(day, False, year.holidays[day], provisional)
    if day in year.workdays:
        return Day(day, True, year.workdays[day], provisional)
    if day.weekday() >= 5:
        return Day(day, False, _("周末"), provisional)
    return Day(day, True, "", provisional)


def is_workday(day: date) -> bool:
    return day_info(day).workday


def _years_between(first: date, last: date) -> tuple[int, ...]:
    return tuple(
        year
        for year in range(min(first, last).year, max(first, last).year + 1)
        if not _cache.get(year).official
    )


def add_workdays(start: date, n: int, *, count_start: bool) -> Outcome[date]:
    """The n-th working day from `start`.

    With `count_start`, `start` itself is day 1 when it is a working day; otherwise day 1 is
    the first working day after `start`. n = 0 gives `start` unchanged.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return Outcome(start, _years_between(start, start))
    day = start if count_start else start + timedelta(days=1)
    counted = 0
    for _step in range(_MAX_SPAN_DAYS):
        if is_workday(day):
            counted += 1
            if counted == n:
                return Outcome(day, _years_between(start, day))
        day += timedelta(days=1)
    raise ValueError("period too long")


def count_workdays(first: date, last: date) -> Outcome[int]:
    """Working days from `first` to `last`, both included (0 when `last` is before `first`)."""
    if last < first:
        return Outcome(0, ())
    if (last - first).days > _MAX_SPAN_DAYS:
        raise ValueError("period too long")
    total = 0
    day = first
    while day <= last:
        total += is_workday(day)
        day += timedelta(days=1)
    return Outcome(total, _years_between(first, last))
