"""When a step may happen and when it is due, declared by the procedure as rules' spans.

A step's `Timing` names the rules that bound it: its deadline (a span from a date the
subject knows) and its earliest legal day (spans that must have run, notices that must have
been up for their working days). The lengths are the rules' parameters, read from the
rulebook as a county has set it; a rule the rulebook lacks or a county switched off bounds
nothing. The projection, the deadline rows, the flow's timers and the forms' hints all read
these declarations, so one rule setting changes all of them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from . import calendar
from .rules import Rulebook


@dataclass(frozen=True)
class Span:
    """`rule`'s parameter `param` (months or years) from the date `since` names: a date of
    the subject, or "step:<code>", the act date of that step. `recorded`: a date of the
    subject that, once set, is the span's end itself (a probation end an extension moved).
    `less_months`: the span ends that many months before (the reminder a month ahead)."""

    rule: str
    param: str = "months"
    since: str = ""
    recorded: str = ""
    less_months: int = 0

    @property
    def rules(self) -> tuple[str, ...]:
        return (self.rule,)


@dataclass(frozen=True)
class Notice:
    """A public notice of `rule`'s working `days`, published by step `published_by`: the
    step may happen the day after it ends (only on paths that have that step)."""

    rule: str
    published_by: str
    param: str = "days"

    @property
    def rules(self) -> tuple[str, ...]:
        return (self.rule,)


@dataclass(frozen=True)
class Timing:
    deadline: Span | None = None
    earliest: tuple[Span | Notice, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        spans = (*self.earliest, *([self.deadline] if self.deadline else []))
        return tuple(rule for span in spans for rule in span.rules)


def length(rulebook: Rulebook, rule_id: str, param: str):
    """The rule's parameter as the rulebook applies it today, or None: no such rule, or
    switched off (it then bounds nothing)."""
    if rule_id not in rulebook:
        return None
    rule = rulebook.rule(rule_id)
    return rule.params.get(param) if rule.enabled else None


@dataclass(frozen=True)
class Bound:
    day: date
    provisional_years: tuple[int, ...] = ()


def span_end(rulebook: Rulebook, span: Span, fact: Callable[[str], date | None], cursor: date):
    """The day a span ends (a Bound), or None when its rule bounds nothing. An unknown
    start (a step still ahead) is the projection's cursor."""
    recorded = fact(span.recorded) if span.recorded else None
    if recorded is None:
        amount = length(rulebook, span.rule, span.param)
        if amount is None:
            return None
        start = fact(span.since) or cursor
        recorded = start + relativedelta(**{span.param: amount})
    return Bound(recorded - relativedelta(months=span.less_months))


def notice_end(rulebook: Rulebook, notice: Notice, published_on: date):
    """The first day after a notice of the rule's working days published on `published_on`."""
    days = length(rulebook, notice.rule, notice.param)
    if days is None:
        return None
    end = calendar.add_workdays(published_on, days, count_start=True)
    return Bound(end.value + timedelta(days=1), tuple(end.provisional_years))


def bounds(
    rulebook: Rulebook,
    timing: Timing,
    *,
    fact: Callable[[str], date | None],
    cursor: date,
    path: set[str],
) -> tuple[date, date | None, tuple[int, ...]]:
    """(earliest, deadline, provisional years) of one step, not before `cursor` (the
    earliest day of the step before it)."""
    earliest, provisional = cursor, ()
    for span in timing.earliest:
        if isinstance(span, Notice):
            if span.published_by not in path:
                continue
            bound = notice_end(rulebook, span, cursor)
        else:
            bound = span_end(rulebook, span, fact, cursor)
        if bound is not None and bound.day > earliest:
            earliest, provisional = bound.day, bound.provisional_years
    deadline = None
    if timing.deadline is not None:
        bound = span_end(rulebook, timing.deadline, fact, cursor)
        deadline = bound.day if bound else None
    return earliest, deadline, provisional
