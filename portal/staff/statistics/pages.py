"""The statistics pages: the county's figures for a period (structure, progress, the
stages' heat), the annual development plans and their versions, and the branches'
organisational life."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from notifications import stagnation
from procedures.branchlife import ledger
from procedures.branchlife.steps import Kind as LifeKind
from procedures.membership import services, statistics
from procedures.membership.models import DevelopmentPlan
from procedures.people import scopes
from workflows.errors import ProcedureError

from ... import errors
from ...documents import charts
from .common import (
    Scope,
    _days,
    _nav,
    _period,
    _progress_section,
    _respond,
    _scope,
    _section,
    _structure_sections,
    _units_total,
    _year,
    number,
    percent,
    text,
)

# Pages.


@login_required
def statistics_page(request):
    start, end = _period(request)
    scope = _scope(request)
    cases, here = scope.cases, scope.path
    structure = statistics.structure(cases, start, end, here)
    funnel = statistics.funnel(cases, start, end, as_of=timezone.localdate(), within=here)
    spans = statistics.spans(cases, start, end, here)
    slow = statistics.slowest_branches(cases, start, end, here)
    sections = _structure_sections(structure)
    sections.append(
        _section(
            _("发展党员流程（统计期内递交申请书的人到今天的进展）"),
            [_("阶段"), _("人数"), _("占上一阶段（%）")],
            [[text(s.label), number(s.count), percent(s.ratio)] for s in funnel],
            note=_(
                "同一批人的跟踪：统计期内递交入党申请书的人中，到今天为止已确定为积极分子、"
                "确定为发展对象、接收为预备党员并经审批、转为正式党员的人数。"
            ),
            chart=charts.bars(
                [charts.Bar(s.label, s.count, f"{s.count}名") for s in funnel],
                scale=max([s.count for s in funnel] + [1]),
                title=_("发展党员流程（同批申请人的进展）"),
                centred=True,
            ),
        )
    )
    sections.append(
        _section(
            _("各阶段用时（中位数）"),
            [_("阶段"), _("人数"), _("用时中位数（天）")],
            [[text(s.label), number(s.count), number(s.median_days)] for s in spans],
            note=_("统计期内完成该阶段的人，从上一阶段的日期到本阶段日期的天数，取中位数。"),
        )
    )
    sections.append(
        _section(
            _("用时最长的党支部"),
            [_("党支部"), _("乡镇党委"), _("新党员"), _("从申请到接收平均用时（天）")],
            [
                [text(b.branch), text(b.township), number(b.count), number(b.average_days)]
                for b in slow
            ],
            note=_("统计期内发展的新党员，从递交入党申请书到支部大会接收的平均天数。"),
        )
    )
    sections.append(_heat_section(scope, cases, start, end))
    page = {
        "key": "statistics",
        "title": _("发展党员统计"),
        "subtitle": f"{scope.name}，{_days(start, end)}",
        "paragraphs": [
            _("%(days)s，%(who)s共发展党员%(total)s名。")
            % {"days": _days(start, end), "who": scope.name, "total": structure.total}
        ],
        "sections": sections,
        "definitions": statistics.DEFINITIONS,
    }
    return _respond(
        request,
        page,
        {"scope": scope, "filters": "period", "start": start, "end": end, "nav": _nav()},
    )


def _heat_section(scope: Scope, cases, start: date, end: date) -> dict:
    """New members per unit and month of admission: a table shaded by its numbers."""
    counts = (
        statistics.developed(cases, start, end, scope.path)
        .values("day_branch", "admitted_on__year", month=ExtractMonth("admitted_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    months = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end and len(months) < 24:
        months.append((cursor.year, cursor.month))
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    grid = {unit.pk: dict.fromkeys(months, 0) for unit in scope.units}
    for row in counts:
        key = (row["admitted_on__year"], row["month"])
        for unit in scope.units:
            if row["day_branch"].startswith(unit.path) and key in grid[unit.pk]:
                grid[unit.pk][key] += row["n"]
    highest = max([n for cells in grid.values() for n in cells.values()] + [1])
    rows = []
    for unit in scope.units:
        cells = [text(unit.name)]
        for key in months:
            n = grid[unit.pk][key]
            cell = number(n)
            cell["heat"] = 0 if not n else 1 + min(3, (n * 4 - 1) // highest)
            cells.append(cell)
        rows.append(cells)
    columns = [_("组织")] + [f"{y}年{m}月" for y, m in months]
    return _section(
        _("逐月发展党员数"),
        columns,
        rows,
        note=_("按支部大会接收日期所在月份统计（已审批）；颜色越深人数越多，数字即人数。"),
    )


@login_required
def plans_page(request):
    year = _year(request)
    scope = _scope(request)
    today = timezone.localdate()
    rows = statistics.progress(scope.cases, scope.units, year, today=today)
    structure = statistics.structure(scope.cases, *statistics.year_bounds(year), scope.path)
    quota = _units_total(row.quota for row in rows)
    pipeline = sum(row.pipeline or 0 for row in rows) if year >= today.year else None
    paragraph = _("%(year)s年，%(who)s计划发展党员%(quota)s名，已发展%(done)s名%(share)s。") % {
        "year": year,
        "who": scope.name,
        "quota": quota if quota is not None else _("（未下达）"),
        "done": structure.total,
        "share": f"，占{statistics.Share('', structure.total, quota).percent}%" if quota else "",
    }
    if pipeline is not None:
        paragraph += _("另有%(n)s名发展对象按规定期限可在年底前提交支部大会讨论。") % {
            "n": pipeline
        }
    page = {
        "key": f"plans-{year}",
        "title": _("发展党员计划完成情况"),
        "subtitle": f"{scope.name}，{year}年",
        "paragraphs": [paragraph],
        "sections": [_progress_section(rows, year, request.user)],
        "definitions": statistics.DEFINITIONS,
    }
    return _respond(request, page, {"scope": scope, "filters": "year", "year": year, "nav": _nav()})


@login_required
def plan_edit(request, pk: int, year: int):
    """下达或调整 one organisation's plan for a year: the form, the versions so far."""
    organisation = scopes.visible_organisations(request.user).filter(pk=pk).first()
    if organisation is None or not services.plans.may_set(request.user, organisation):
        raise Http404
    values = request.POST if request.method == "POST" else None
    if request.method == "POST":
        try:
            services.plan_set(
                actor=request.user,
                organisation_id=organisation.pk,
                year=year,
                quota=request.POST.get("quota", ""),
                women=request.POST.get("women", ""),
                youth=request.POST.get("youth", ""),
                frontline=request.POST.get("frontline", ""),
                reason=request.POST.get("reason", ""),
            )
        except ProcedureError as error:
            errors.flash(request, error)
        else:
            messages.success(
                request,
                _("已下达%(organisation)s%(year)s年的计划。")
                % {"organisation": organisation.name, "year": year},
            )
            query = {"year": year, "organisation": organisation.parent_id}
            return redirect(f"{reverse('staff:plans')}?{urlencode(query)}")
    versions = DevelopmentPlan.objects.filter(organisation=organisation, year=year).select_related(
        "set_by__person"
    )
    standing = versions.first()
    return render(
        request,
        "portal/staff/plan_form.html",
        {
            "organisation": organisation,
            "year": year,
            "standing": standing,
            "versions": versions,
            "values": values,
        },
    )


@login_required
def life_page(request):
    year = _year(request)
    scope = _scope(request)
    today = timezone.localdate()
    branches = scope.branches
    by_branch = ledger.completion_by_branch(branches, year, today=today)
    first = next(iter(by_branch.values()), [])
    # Per kind with a frequency: periods met and periods due, two numbers; otherwise how
    # many were held.
    columns = [_("党支部")]
    for done in first:
        if done.months:
            columns += [f"{done.kind_label}{_('已开期数')}", f"{done.kind_label}{_('应开期数')}"]
        else:
            columns.append(f"{done.kind_label}{_('次数')}")
    rows = []
    for branch in branches:
        cells = [text(branch.name, reverse("staff:subject", args=["branch-life", branch.pk]))]
        for done in by_branch[branch.pk]:
            cells += [number(done.met), number(done.due)] if done.months else [number(done.held)]
        rows.append(cells)
    summary = _life_summary(branches, by_branch)
    warnings = [w for w in stagnation.visible_to(request.user) if scope.top is None
                or w.branch.path.startswith(scope.top.path)]  # fmt: skip
    page = {
        "key": f"life-{year}",
        "title": _("组织生活完成情况"),
        "subtitle": f"{scope.name}，{year}年",
        "paragraphs": [summary] if branches else [],
        "sections": [
            _section(
                _("各党支部组织生活完成情况"),
                columns,
                rows,
                note=_(
                    "按县委设定的频次：每个已结束的期间（月、季度、半年、年）至少召开一次为完成；"
                    "未设频次的只列召开次数。含村级事务和发展党员的支部大会。"
                ),
            ),
            _section(
                _("长期不发展党员预警"),
                [_("党支部"), _("预警级别"), _("最近一次接收预备党员"), _("预警日期")],
                [
                    [
                        text(w.branch.name),
                        text(w.get_level_display()),
                        text(w.last_admission or _("无记录")),
                        text(w.raised_on),
                    ]
                    for w in warnings
                ],
            ),
        ],
        "definitions": (),
    }
    return _respond(request, page, {"scope": scope, "filters": "year", "year": year, "nav": _nav()})


def _life_summary(branches: list, by_branch: dict) -> str:
    """ "N个党支部召开组织生活会，占N%；N个党支部开展民主评议党员，占N%。\""""
    parts = []
    for kind, verb in ((LifeKind.LIFE_MEETING, "召开"), (LifeKind.APPRAISAL, "开展")):
        label = str(LifeKind(kind).label)
        done = sum(
            1 for branch in branches if any(c.kind == kind and c.held for c in by_branch[branch.pk])
        )
        share = statistics.Share("", done, len(branches)).percent
        parts.append(f"{done}个党支部{verb}{label}，占{share}%")
    return "；".join(parts) + "。"
