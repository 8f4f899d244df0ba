"""统计: the figures the organisation department reports, from the records, over the user's
scope (the same query for a branch, a township and the county)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from procedures.membership import selectors, statistics
from procedures.people import scopes
from procedures.people.models import Organisation

from ..params import positive_int


def _day(value, default: date) -> tuple[date, bool]:
    """A date written YYYY-MM-DD, else the default (and whether the value was refused)."""
    if not value:
        return default, False
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    return (parsed, False) if parsed else (default, True)


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    start, bad_start = _day(request.GET.get("start"), date(today.year, 1, 1))
    end, bad_end = _day(request.GET.get("end"), today)
    if bad_start or bad_end:
        messages.error(request, _("日期应写成“2026-01-01”的形式，已按默认统计期显示。"))
        start, end = date(today.year, 1, 1), today
    elif start > end:
        messages.error(request, _("统计期的起始日期晚于截止日期，已按默认统计期显示。"))
        start, end = date(today.year, 1, 1), today
    return start, end


@login_required
def statistics_page(request):
    start, end = _period(request)
    visible = scopes.visible_organisations(request.user).exclude(kind=Organisation.Kind.PARTY_GROUP)
    chosen = visible.filter(pk=positive_int(request.GET.get("organisation"))).first()
    cases = selectors.cases_for(user=request.user)
    if chosen is not None:
        cases = cases.filter(branch__path__startswith=chosen.path)
    structure = statistics.structure(cases.order_by(), start, end)
    return render(
        request,
        "portal/staff/statistics.html",
        {
            "start": start,
            "end": end,
            "organisations": visible.order_by("path"),
            "chosen": chosen,
            "structure": structure,
            "sets": [
                (_("新党员结构（半年、年度工作报告口径）"), structure.seed),
                (_("新党员结构（党内统计公报口径）"), structure.bulletin),
            ],
            "definitions": statistics.DEFINITIONS,
        },
    )
