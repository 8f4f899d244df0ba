"""What the statistics pages share: the cells (a number stays a number in Excel),
whose figures (the organisation chosen or the user's whole scope), the period, the
answer in HTML or a download, and the sections more than one page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from procedures.membership import selectors, services, statistics
from procedures.people import scopes
from procedures.people.models import Organisation

from ... import documents
from ...documents import charts, spreadsheets
from ...surfaces.params import positive_int

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
    cases: QuerySet  # those whose acts may count here; each figure keeps those done here

    @property
    def path(self) -> str:
        """Whose acts count: those done under this path, on their day."""
        return self.top.path if self.top else ""

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
    return Scope(visible, top, units, statistics.cases_touching(top.path).order_by())


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
