"""Calendar periods of a frequency: a rule's "months" cut the year into equal blocks from
1 January (1: months, 3: quarters, 6: halves, 12: the year). A county may set another
divisor of twelve; anything else is read as the nearest one not longer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

_DIVISORS = (12, 6, 4, 3, 2, 1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, inclusive
    months: int

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.months == 12:
            return f"{self.start.year}年"
        if self.months == 1:
            return f"{self.start.year}年{self.start.month}月"
        if self.months == 3:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年{self.start.month}—{self.end.month}月"

    @property
    def short_label(self) -> str:
        """Within its year's page: 3月, 第2季度, 全年, 1—6月."""
        if self.months == 12:
            return "全年"
        if self.months == 1:
            return f"{self.start.month}月"
        if self.months == 3:
            return f"第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.month}—{self.end.month}月"

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m}"

    def previous(self) -> Period:
        return period_of(self.start - timedelta(days=1), self.months)


def _block(months: int) -> int:
    return next(d for d in _DIVISORS if d <= max(1, int(months)) and 12 % d == 0)


def period_of(day: date, months: int) -> Period:
    months = _block(months)
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    last_month = first_month + months - 1
    after = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return Period(start, after - timedelta(days=1), months)


def periods_of_year(year: int, months: int) -> list[Period]:
    months = _block(months)
    return [period_of(date(year, month, 1), months) for month in range(1, 13, months)]


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(first: date, months: int) -> date:
    """The first day of the month `months` after `first`'s month (negative: before)."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Whole months from `first`'s month to `last`'s month (the same month: 0)."""
    return (last.year - first.year) * 12 + last.month - first.month
