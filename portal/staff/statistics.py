"""统计: the figures the organisation department reports, from the records, over the user's
scope (the same queries for a branch, a township and the county, filtered by the scopes).

Each page is built once as a `page` (title, subtitle, paragraphs, sections of cells) and then
shown as HTML with its charts, or downloaded as Excel, PDF or Word from that same page: what is
printed or exported is what is on the screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from notifications import stagnation
from procedures.branchlife import ledger
from procedures.branchlife.steps import Kind as LifeKind
from procedures.membership import selectors, services, statistics
from procedures.membership.models import DevelopmentPlan
from procedures.people import scopes
from procedures.people.models import Organisation
from workflows.errors import ProcedureError

from .. import charts, documents, errors, spreadsheets
from ..params import positive_int

Kind = Organisation.Kind
UNITS = (Kind.COUNTY_COMMITTEE, Kind.TOWNSHIP_COMMITTEE, Kind.VILLAGE_BRANCH)
REPORT_KEY = documents.REPORT_KEY  # the Word template a county may replace (admin)


# Cells: the text shown, and for a number its value (Excel keeps numbers as numbers).


def text(value, url: str = "") -> dict:
    return {"text": "" if value is None else str(value), "url": url}


def number(value, url: str = "") -> dict:
    return {"text": "—" if value is None else str(value), "url": url, "value": value}


def day(value: date | None) -> dict:
    return {"text": "" if value is None else f"{value:%Y-%m-%d}", "url": "", "value": value}


def percent(value) -> dict:
    return {"text": "—" if value is None else f"{value}%", "url": "", "value": value}


def _section(title: str, columns: list, rows: list, *, note: str = "", chart="") -> dict:
    for row in rows:
        if len(row) == len(columns):
            for cell, column in zip(row, columns, strict=True):
                cell["label"] = column
    return {"title": title, "columns": columns, "rows": rows, "note": note, "chart": chart}


# Whose figures: the organisation chosen (or the user's whole scope) and its parts.


@dataclass(frozen=True)
class Scope:
    organisations: QuerySet  # what the user may choose
    top: Organisation | None  # whose figures
    units: list[Organisation]  # its parts, one row each (a branch: itself)
    cases: QuerySet

    @property
    def unit_word(self) -> str | None:
        if self.top is None or self.top.kind == Kind.VILLAGE_BRANCH:
            return None
        return "党委" if self.top.kind == Kind.COUNTY_COMMITTEE else "党支部"

    @property
    def branches(self) -> list[Organisation]:
        """The village branches whose figures these are."""
        if self.top is None:
            return []
        mine = self.organisations.filter(kind=Kind.VILLAGE_BRANCH)
        return list(mine.filter(path__startswith=self.top.path))

    @property
    def name(self) -> str:
        return self.top.name if self.top else _("管理范围内")


def _scope(request) -> Scope:
    visible = scopes.visible_organisations(request.user).filter(kind__in=UNITS).order_by("path")
    asked = request.GET.get("organisation")
    top = visible.filter(pk=positive_int(asked)).first()
    if top is None and asked:  # another's figures were asked for: not found, as the plan form
        raise Http404
    if top is None:
        top = min(visible, key=lambda org: (org.path.count("/"), org.path), default=None)
    if top is None:
        return Scope(visible, None, [], selectors.cases_for(user=request.user).none())
    if top.kind == Kind.VILLAGE_BRANCH:
        units = [top]
    else:
        child = (
            Kind.TOWNSHIP_COMMITTEE if top.kind == Kind.COUNTY_COMMITTEE else Kind.VILLAGE_BRANCH
        )
        units = list(visible.filter(parent=top, kind=child))
    cases = selectors.cases_for(user=request.user).filter(branch__path__startswith=top.path)
    return Scope(visible, top, units, cases.order_by())


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


def _year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year")
    year = positive_int(raw)
    if raw and (year is None or not 2000 <= year <= today.year + 1):
        messages.error(
            request, _("年度应为2000年至%(last)s年之间，已按今年显示。") % {"last": today.year + 1}
        )
        return today.year
    return year or today.year


def _days(start: date, end: date) -> str:
    return f"{_cn(start)}至{_cn(end)}"


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _respond(request, page: dict, context: dict):
    """The page as HTML, or (`?format=`) as a download of the same page."""
    fmt = request.GET.get("format")
    if not fmt:
        return render(request, "portal/staff/statistics.html", {"page": page, **context})
    if fmt == "xlsx":
        return spreadsheets.attachment(spreadsheets.workbook(page), documents.title_of(page))
    query = request.GET.copy()
    query.pop("format")
    facts = [{"label": _("组织和统计期"), "text": page["subtitle"], "url": ""}]
    return documents.download(
        request,
        {**page, "facts": facts},
        fmt=fmt,
        template_key=REPORT_KEY,
        back=f"{request.path}?{query.urlencode()}",
    )


def _nav() -> list[tuple[str, str]]:
    return [
        (reverse("staff:statistics"), _("发展党员统计")),
        (reverse("staff:plans"), _("发展计划完成情况")),
        (reverse("staff:life_statistics"), _("组织生活完成情况")),
        (reverse("staff:report"), _("半年和年度报告")),
    ]


# The pieces the pages share.


def _structure_sections(structure: statistics.Structure) -> list[dict]:
    out = []
    for caption, shares in (
        (_("新党员结构（半年、年度工作报告口径）"), structure.seed),
        (_("新党员结构（党内统计公报口径）"), structure.bulletin),
    ):
        chart = charts.bars(
            [
                charts.Bar(s.label, s.percent, f"{s.percent}%" if s.percent is not None else "—")
                for s in shares
            ],
            scale=100,
            title=caption,
        )
        out.append(
            _section(
                caption,
                [_("类别"), _("人数"), _("占新党员比例（%）")],
                [[text(s.label), number(s.count), percent(s.percent)] for s in shares],
                chart=chart,
            )
        )
    return out


def _progress_section(rows: list[statistics.Progress], year: int, user) -> dict:
    chart = charts.bars(
        [
            charts.Bar(
                row.organisation.name,
                row.percent,
                f"{row.percent}%" if row.percent is not None else _("未下达计划"),
                mark=100 if row.quota else None,
            )
            for row in rows
        ],
        scale=max([100] + [row.percent or 0 for row in rows]),
        title=_("%(year)s年发展党员计划完成情况（红线为计划数）") % {"year": year},
    )
    columns = [
        _("组织"), _("计划数"), _("已发展"), _("完成计划（%）"), _("年内还可接收的发展对象"),
        _("女党员（%）"), _("目标（%）"), _("35岁及以下（%）"), _("目标（%）"),
        _("生产一线（%）"), _("目标（%）"),
    ]  # fmt: skip
    table = []
    for row in rows:
        plan = row.plan
        editable = services.plans.may_set(user, row.organisation)
        url = reverse("staff:plan", args=[row.organisation.pk, year]) if editable else ""
        table.append(
            [
                text(row.organisation.name, url),
                number(row.quota),
                number(row.developed),
                percent(row.percent),
                number(row.pipeline),
                percent(row.women.percent),
                number(plan.women if plan else None),
                percent(row.youth.percent),
                number(plan.youth if plan else None),
                percent(row.frontline.percent),
                number(plan.frontline if plan else None),
            ]
        )
    note = _(
        "已发展：%(year)s年内支部大会通过接收、且已经上级党委审批的预备党员。年内还可接收："
        "尚未接收的发展对象中，按规定的期限推算年底前可提交支部大会讨论的人数。"
        "组织名称可点击的，可下达或调整其计划。"
    ) % {"year": year}
    return _section(_("发展计划完成情况"), columns, table, note=note, chart=chart)


def _units_total(quotas) -> int | None:
    """The year's plan of the scope's units together (None: none has one)."""
    quotas = [quota for quota in quotas if quota is not None]
    return sum(quotas) if quotas else None


# Pages.


@login_required
def statistics_page(request):
    start, end = _period(request)
    scope = _scope(request)
    cases = scope.cases
    structure = statistics.structure(cases, start, end)
    funnel = statistics.funnel(cases, start, end, as_of=timezone.localdate())
    spans = statistics.spans(cases, start, end)
    slow = statistics.slowest_branches(cases, start, end)
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
        statistics.developed(cases, start, end)
        .values("branch__path", "admitted_on__year", month=ExtractMonth("admitted_on"))
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
            if row["branch__path"].startswith(unit.path) and key in grid[unit.pk]:
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
    structure = statistics.structure(scope.cases, *statistics.year_bounds(year))
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


@login_required
def report_page(request):
    """半年和年度报告: the paragraph seed 004 writes, with the tables behind it."""
    year = _year(request)
    half = request.GET.get("half") == "1"
    start, end = date(year, 1, 1), date(year, 6, 30) if half else date(year, 12, 31)
    scope = _scope(request)
    today = timezone.localdate()
    cases = scope.cases
    structure = statistics.structure(cases, start, end)
    # The units' plans only: the progress rows' pipeline (projections) is not reported here.
    plans = statistics.current_plans([unit.pk for unit in scope.units], year)
    by_path = dict(
        statistics.developed(cases, start, end)
        .values("branch__path")
        .annotate(n=Count("pk"))
        .values_list("branch__path", "n")
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
    """发展党员工作台账: one row per case of the scope that was open in the year (applied by
    its end, not closed before its start), every step's date as it stands (corrections and
    returns applied), as Excel."""
    from procedures.membership.models import Act, StepRecord
    from procedures.membership.steps import Variant, applicable_steps

    year = _year(request)
    scope = _scope(request)
    start, end = statistics.year_bounds(year)
    cases = list(
        scope.cases.filter(applied_on__lte=end)
        .exclude(closed_on__lt=start)
        .select_related("person", "branch", "branch__parent")
        .order_by("branch__path", "applied_on", "pk")
    )
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
        acts = case.acts
        rows.append(
            [
                text(case.person.name),
                text(case.person.get_gender_display()),
                text(case.branch.parent.name if case.branch.parent_id else ""),
                text(case.branch.name),
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
                + [str(step.name) for step in steps],
                rows,
            )
        ],
    }
    return spreadsheets.attachment(spreadsheets.workbook(page), documents.title_of(page))
