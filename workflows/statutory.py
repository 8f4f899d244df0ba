"""The days off fixed by law, as the `holidays` package knows them (holidays.China), and
whether it carries a year's State Council schedule (调休): what the working-day calendar
(`calendar.py`) builds on, and what an editable day of the calendar is checked against."""

from __future__ import annotations

from datetime import date

import holidays
from holidays.countries.china import ChinaStaticHolidays

_LIBRARY_FIRST_SCHEDULE = 2001
_LIBRARY_LAST_SCHEDULE = max(ChinaStaticHolidays.special_public_holidays)


def library_has_schedule(year: int) -> bool:
    """Whether the installed `holidays` package carries that year's State Council schedule."""
    return _LIBRARY_FIRST_SCHEDULE <= year <= _LIBRARY_LAST_SCHEDULE


def statutory_holidays(year: int) -> dict[date, str]:
    """The holidays fixed by law for a year, without the days joined to them by a schedule."""
    table = holidays.China(years=year, observed=False, language="zh_CN")
    return {day: name for day, name in table.items() if day.year == year}
