"""The year's written report (seed 004's paragraph with its figures) and the
development ledger in Excel."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.branchlife import ledger
from procedures.membership import statistics
from procedures.membership.models import Act, StepRecord
from procedures.membership.steps import Variant, applicable_steps
from procedures.people.meetings import belonged_during
from procedures.people.models import Organisation

from ... import documents
from ...documents import spreadsheets
from .common import (
    Kind,
    _days,
    _nav,
    _respond,
    _scope,
    _section,
    _structure_sections,
    _units_total,
    _year,
    day,
    number,
    percent,
    text,
)
from .pages import _life_summary


@login_required
def report_page(request):
    """半年和年度报告: the paragraph seed 004 writes, with the tables behind it."""
    year = _year(request)
    half = request.GET.get("half") == "1"
    start, end = date(year, 1, 1), date(year, 6, 30) if half else date(year, 12, 31)
    scope = _scope(request)
    today = timezone.localdate()
    cases = scope.cases
    structure = statistics.structure(cases, start, end, scope.path)
    # The units' plans only: the progress rows' pipeline (projections) is not reported here.
    plans = statistics.current_plans([unit.pk for unit in scope.units], year)
    by_path = dict(
        statistics.developed(cases, start, end, scope.path)
        .values("day_branch")
        .annotate(n=Count("pk"))
        .values_list("day_branch", "n")
        .order_by()
    )
    in_unit = {
        unit.pk: sum(n for path, n in by_path.items() if path.startswith(unit.path))
        for unit in scope.units
    }
    developing = sum(1 for n in in_unit.values() if n)
    quota = _units_total(plan.quota for plan in plans.values())
    if scope.top is not None and scope.top.kind != Kind.COUNTY_COMMITTEE:
        own = statistics.current_plans([scope.top.pk], year).get(scope.top.pk)
        quota = own.quota if own else quota
    period = _("%(year)s年上半年") % {"year": year} if half else _("%(year)s年") % {"year": year}
    text_paragraph = statistics.paragraph(
        period=period,
        who=scope.name,
        unit=scope.unit_word,
        units=developing,
        structure=structure,
        quota=quota,
    )
    branches = scope.branches
    paragraphs = [text_paragraph]
    if branches:
        paragraphs.append(
            _life_summary(branches, ledger.completion_by_branch(branches, year, today=today))
        )
    developed_by_unit = []
    for unit in scope.units:
        n = in_unit[unit.pk]
        plan = plans.get(unit.pk)
        developed_by_unit.append(
            [
                text(unit.name),
                number(n),
                number(plan.quota if plan else None),
                percent(
                    statistics.Share("", n, plan.quota).percent if plan and plan.quota else None
                ),
            ]
        )
    sections = [
        _section(
            _("各单位发展党员情况"),
            [_("组织"), _("发展新党员"), _("全年计划"), _("占全年计划（%）")],
            developed_by_unit,
        ),
        *_structure_sections(structure),
    ]
    page = {
        "key": f"report-{year}-{'h1' if half else 'year'}",
        "title": _("%(period)s发展党员工作情况") % {"period": period},
        "subtitle": f"{scope.name}，{_days(start, end)}",
        "paragraphs": paragraphs,
        "sections": sections,
        "definitions": statistics.DEFINITIONS,
    }
    return _respond(
        request,
        page,
        {"scope": scope, "filters": "report", "year": year, "half": half, "nav": _nav(),
         "printable": True},
    )  # fmt: skip


@login_required
def ledger_export(request):
    """发展党员工作台账: one row per case that was open in the year (applied by its end, not
    closed before its start) and whose person was in the scope on some day of it (one
    transferred out still has his row where his steps were taken), with the branch he was
    in on the year's last day (today, in the year itself) and every step's date as it
    stands (corrections and returns applied), as Excel."""

    year = _year(request)
    scope = _scope(request)
    start, end = statistics.year_bounds(year)
    last = min(end, timezone.localdate())
    held = statistics.of_the_day(
        scope.cases.filter(applied_on__lte=end).exclude(closed_on__lt=start), last
    ).filter(Q(day_branch__startswith=scope.path) | belonged_during(scope.path, start, last))
    cases = list(held.select_related("person").order_by("day_branch", "applied_on", "pk"))
    branches = {
        org.path: org
        for org in Organisation.objects.filter(
            path__in={case.day_branch for case in cases}
        ).select_related("parent")
    }
    rows_of: dict[int, list] = {case.pk: [] for case in cases}
    records = (
        StepRecord.objects.filter(case__in=[case.pk for case in cases])
        .values_list("case_id", "pk", "step", "act_date", "outcome", "data", "actor_id",
                     "entered_at")
        .order_by("act_date", "pk")
    )  # fmt: skip
    for case_id, *fields in records:
        rows_of[case_id].append(Act(*fields))
    steps = applicable_steps(variant=Variant.LOCAL, candidate_notice=True)
    rows = []
    for case in cases:
        case.__dict__["_act_rows"] = rows_of[case.pk]  # read once for every case above
        branch = branches[case.day_branch]
        acts = case.acts
        rows.append(
            [
                text(case.person.name),
                text(case.person.get_gender_display()),
                text(branch.parent.name if branch.parent_id else ""),
                text(branch.name),
                text(case.get_status_display()),
                *[day(acts.get(step.code)) for step in steps],
            ]
        )
    page = {
        "key": f"development-ledger-{year}",
        "title": _("发展党员工作台账"),
        "subtitle": f"{scope.name}，{year}年",
        "sections": [
            _section(
                _("发展党员工作台账"),
                [_("姓名"), _("性别"), _("乡镇党委"), _("党支部"), _("当前进度")]
                + [str(step.label) for step in steps],
                rows,
            )
        ],
    }
    return spreadsheets.attachment(spreadsheets.workbook(page), documents.title_of(page))
