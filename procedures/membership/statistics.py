"""Member development in figures, from the case rows by aggregate queries (no loop over cases):
the new members of a period and their structure, in the two category sets the county reports
in — seed 004's (高中以上文化, 女, 少数民族, 35岁以下, 生产一线) and the 党内统计公报's (大专及以上,
女, 少数民族, 35岁及以下, 生产工作一线).

Definitions (said on every page that shows these figures, `DEFINITIONS`):
- a new member of a period: admitted by the 支部大会 (接收为预备党员) on a day in the period, and
  approved by the upper committee (a case approved later counts in its admission's period once
  approved; a probation later cancelled still counts: he was developed that year);
- age: whole years on the day of admission; "35岁以下" of the seed is counted as 35 and under, as
  the 公报 counts it;
- education and occupation: as recorded on the day of admission (Case.admitted_*);
- 少数民族: the 55 groups after 汉族 (people.vocabularies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.db import models
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from procedures.people import vocabularies as v
from procedures.people.models import Organisation
from workflows.timing import Notice

from .models import Case, DevelopmentPlan
from .steps import NO_TIMING, TIMING, Status

DEFINITIONS = (
    "发展党员数：支部大会通过接收为预备党员的日期在统计期内、且上级党委已审批的人数"
    "（后来取消预备党员资格的仍计入当期）。",
    f"年龄按接收为预备党员之日的周岁计算；“35岁以下”按{v.YOUTH_AGE}周岁及以下统计。",
    "学历、职业按接收为预备党员之日的记录统计；高中以上文化含高中、中专；大专及以上含大专、本科、研究生。",
    "生产（工作）一线：农民、致富能手、外出务工人员和教师；村干部、机关干部、学生、离退休人员等不计入。",
    "少数民族：汉族以外的55个民族。",
)


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        """Of the total, to one decimal, halves up; None of nobody."""
        if not self.total:
            return None
        exact = Decimal(self.count) * 100 / Decimal(self.total)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Structure:
    total: int
    seed: list[Share]  # 高中以上文化, 女, 少数民族, 35岁以下, 生产一线
    bulletin: list[Share]  # 大专及以上, 女, 少数民族, 35岁及以下, 生产工作一线


def developed(cases: QuerySet, start: date, end: date) -> QuerySet:
    """The new members of [start, end] among `cases` (already limited to the user's scope)."""
    return cases.filter(admitted_on__gte=start, admitted_on__lte=end, approved_on__isnull=False)


def with_admission_age(cases: QuerySet) -> QuerySet:
    """`admission_age`: whole years from the birth date to the admission day, in SQL (the
    year difference, less one before the birthday of that year)."""
    born, on = "person__birth_date", "admitted_on"
    return cases.annotate(
        _years=ExtractYear(on) - ExtractYear(born),
        _day=ExtractMonth(on) * 100 + ExtractDay(on),
        _birthday=ExtractMonth(born) * 100 + ExtractDay(born),
    ).annotate(
        admission_age=models.Case(
            When(_day__lt=F("_birthday"), then=F("_years") - 1),
            default=F("_years"),
            output_field=models.IntegerField(),
        )
    )


def structure(cases: QuerySet, start: date, end: date) -> Structure:
    """The new members of the period and their shares, in one aggregate query."""
    counted = with_admission_age(developed(cases, start, end)).aggregate(
        total=Count("pk"),
        female=Count("pk", filter=Q(person__gender="female")),
        minority=Count("pk", filter=Q(person__ethnicity__in=v.MINORITIES)),
        youth=Count("pk", filter=Q(admission_age__lte=v.YOUTH_AGE)),
        senior=Count("pk", filter=Q(admitted_education__in=v.SENIOR_OR_ABOVE)),
        college=Count("pk", filter=Q(admitted_education__in=v.COLLEGE_OR_ABOVE)),
        frontline=Count("pk", filter=Q(admitted_occupation__in=v.FRONTLINE)),
    )
    total = counted["total"]

    def share(label: str, key: str) -> Share:
        return Share(label, counted[key], total)

    return Structure(
        total=total,
        seed=[
            share("高中以上文化", "senior"),
            share("女", "female"),
            share("少数民族", "minority"),
            share("35岁以下", "youth"),
            share("生产一线", "frontline"),
        ],
        bulletin=[
            share("大专及以上", "college"),
            share("女", "female"),
            share("少数民族", "minority"),
            share("35岁及以下", "youth"),
            share("生产工作一线", "frontline"),
        ],
    )


# Plans and their progress.


@dataclass(frozen=True)
class Progress:
    """One organisation's year: its plan, the new members against it, the 发展对象 who could
    still be admitted this year, and the structure against the plan's targets."""

    organisation: Organisation
    plan: DevelopmentPlan | None
    quota: int | None
    developed: int
    pipeline: int | None  # None: the year is over (nobody more can be admitted in it)
    women: Share
    youth: Share
    frontline: Share

    @property
    def percent(self) -> Decimal | None:
        return Share("", self.developed, self.quota or 0).percent

    @property
    def reachable(self) -> int | None:
        """New members the year may end with: developed, and the pipeline."""
        return None if self.pipeline is None else self.developed + self.pipeline


def current_plans(organisation_ids, year: int) -> dict[int, DevelopmentPlan]:
    """The standing (newest) version of each organisation's plan for the year."""
    plans = DevelopmentPlan.objects.filter(organisation_id__in=organisation_ids, year=year)
    newest = plans.filter(organisation_id=OuterRef("organisation_id"), year=year).order_by(
        "-version"
    )
    return {
        plan.organisation_id: plan
        for plan in plans.filter(pk=Subquery(newest.values("pk")[:1])).select_related("set_by")
    }


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _by_branch(cases: QuerySet, year: int) -> dict[str, dict]:
    """The year's new members per branch, with the counts the targets are set for."""
    start, end = year_bounds(year)
    rows = (
        with_admission_age(developed(cases, start, end))
        .values("branch__path")
        .annotate(
            total=Count("pk"),
            female=Count("pk", filter=Q(person__gender="female")),
            youth=Count("pk", filter=Q(admission_age__lte=v.YOUTH_AGE)),
            frontline=Count("pk", filter=Q(admitted_occupation__in=v.FRONTLINE)),
        )
        .order_by()
    )
    return {row["branch__path"]: row for row in rows}


AWAITING_ADMISSION = Q(candidate_on__isnull=False, admitted_on__isnull=True) & ~Q(
    status__in=(Status.STOPPED, Status.CANCELLED, Status.ARCHIVED)
)


def pipeline_by_branch(cases: QuerySet, year: int, *, today: date) -> dict[str, int] | None:
    """发展对象 not yet admitted whose projection lets the 支部大会 admit them by the year's end,
    per branch (by its path); None when the year is over.

    The rules' working-day spans cannot be written in SQL, so the projection decides; but not
    one projection per 发展对象: when every act is on or before `today` (so each projection
    starts from `today`), the cases of one rulebook, variant and status whose remaining steps'
    earliest dates read nothing of the case (`_reads_the_case`) share one projection, and a
    county's thousands of 发展对象 are a handful of projections and one grouped count."""
    from .projection import project

    if year < today.year:
        return None
    end = date(year, 12, 31)
    waiting = cases.filter(AWAITING_ADMISSION).order_by()
    found: dict[str, int] = {}

    def admissible(case: Case) -> tuple[bool, bool]:
        steps = project(case, today=today)
        codes = [step.code for step in steps]
        admit = next((step for step in steps if step.code == "branch_admit"), None)
        until = codes[: codes.index("branch_admit") + 1] if admit else codes
        return admit is not None and admit.earliest <= end, _reads_the_case(until)

    def one_by_one(group: QuerySet) -> None:
        for case in group.select_related("person", "branch"):
            if admissible(case)[0]:
                found[case.branch.path] = found.get(case.branch.path, 0) + 1

    if today < timezone.localdate():  # a projection from a past day: acts may follow it
        one_by_one(waiting)
        return found
    keys = waiting.values_list("rulebook", "variant", "status").distinct()
    for rulebook, variant, status in keys:
        group = waiting.filter(rulebook=rulebook, variant=variant, status=status)
        counted, reads = admissible(group.select_related("person").first())
        if reads:
            one_by_one(group)
        elif counted:
            per_branch = group.values("branch__path").annotate(n=Count("pk"))
            for row in per_branch.values_list("branch__path", "n"):
                found[row[0]] = found.get(row[0], 0) + row[1]
    return found


def _reads_the_case(codes: list[str]) -> bool:
    """Whether the earliest dates of these remaining steps read anything of the case besides
    one another: a date of the case, or the act of a step already done."""
    remaining = set(codes)
    for code in codes:
        for limit in TIMING.get(code, NO_TIMING).earliest:
            if isinstance(limit, Notice):
                continue  # the projection runs a notice from the day before its step
            for name in (limit.since, limit.recorded):
                if name and not (name.startswith("step:") and name[5:] in remaining):
                    return True
    return False


def progress(
    cases: QuerySet, organisations: list[Organisation], year: int, *, today: date
) -> list[Progress]:
    """Each of `organisations` (townships or branches) in the year; a township counts its
    branches. `cases` is already limited to the user's scope."""
    per_branch = _by_branch(cases, year)
    pipeline = pipeline_by_branch(cases, year, today=today)
    plans = current_plans([org.pk for org in organisations], year)
    out = []
    for org in organisations:
        mine = [row for path, row in per_branch.items() if path.startswith(org.path)]
        total = sum(row["total"] for row in mine)

        def share(key: str, label: str, mine=mine, total=total) -> Share:
            return Share(label, sum(row[key] for row in mine), total)

        plan = plans.get(org.pk)
        out.append(
            Progress(
                organisation=org,
                plan=plan,
                quota=plan.quota if plan else None,
                developed=total,
                pipeline=None
                if pipeline is None
                else sum(n for path, n in pipeline.items() if path.startswith(org.path)),
                women=share("female", "女"),
                youth=share("youth", "35岁及以下"),
                frontline=share("frontline", "生产一线"),
            )
        )
    return out


# The pipeline of a period: how many reached each stage, and how long each stage took.

STAGES = (
    # (label, the day the stage is reached)
    ("入党申请人", "applied_on"),
    ("入党积极分子", "activist_on"),
    ("发展对象", "candidate_on"),
    ("预备党员", "admitted_on"),
    ("正式党员", "converted_on"),
)


@dataclass(frozen=True)
class Stage:
    label: str
    count: int
    previous: int | None  # the stage before's count (None for the first)

    @property
    def ratio(self) -> Decimal | None:
        """This stage's count per hundred of the stage before, in the same period."""
        return None if self.previous is None else Share("", self.count, self.previous).percent


@dataclass(frozen=True)
class Span:
    label: str  # "入党积极分子→发展对象"
    count: int  # cases that went through it in the period
    median_days: Decimal | None


@dataclass(frozen=True)
class SlowBranch:
    branch: str
    township: str
    count: int
    average_days: int


def _reached(field: str, start: date, end: date) -> Q:
    condition = Q(**{f"{field}__gte": start, f"{field}__lte": end})
    if field == "admitted_on":
        condition &= Q(approved_on__isnull=False)  # a new member, as `developed` counts
    return condition


def funnel(cases: QuerySet, start: date, end: date, *, as_of: date) -> list[Stage]:
    """A cohort: of those who applied in the period, how many had reached each stage by
    `as_of` (one aggregate query). Each stage is a subset of the one before, so no share of
    the stage before passes 100 %, as a funnel's must not."""
    applied = cases.order_by().filter(applied_on__gte=start, applied_on__lte=end)
    counted = applied.aggregate(
        **{field: Count("pk", filter=_reached(field, start, as_of)) for _label, field in STAGES}
    )
    out, previous = [], None
    for label, field in STAGES:
        out.append(Stage(label, counted[field], previous))
        previous = counted[field]
    return out


def _days(later: str, earlier: str):
    return models.ExpressionWrapper(F(later) - F(earlier), output_field=models.DurationField())


def _median(values: list) -> Decimal | None:
    if not values:
        return None
    days = [Decimal(value.days) for value in values]
    middle = len(days) // 2
    if len(days) % 2:
        return days[middle]
    return (days[middle - 1] + days[middle]) / 2


def spans(cases: QuerySet, start: date, end: date) -> list[Span]:
    """The time each stage took, for the cases that finished it in the period: the median
    in days (the middle one or two of the ordered durations, read from SQL)."""
    out = []
    for (label, earlier), (next_label, later) in pairwise(STAGES):
        done = (
            cases.order_by()
            .filter(_reached(later, start, end), **{f"{earlier}__isnull": False})
            .annotate(took=_days(later, earlier))
        )
        count = done.count()
        middle = done.order_by("took").values_list("took", flat=True)
        values = list(middle[max((count - 1) // 2, 0) : count // 2 + 1]) if count else []
        out.append(Span(f"{label}→{next_label}", count, _median(values)))
    return out


def slowest_branches(cases: QuerySet, start: date, end: date, *, limit: int = 5) -> list:
    """The branches whose new members of the period took longest from application to the
    支部大会's admission, on average."""
    rows = (
        developed(cases, start, end)
        .order_by()
        .values("branch__name", "branch__parent__name")
        .annotate(count=Count("pk"), average=models.Avg(_days("admitted_on", "applied_on")))
        .order_by("-average", "branch__name")[:limit]
    )
    return [
        SlowBranch(
            row["branch__name"], row["branch__parent__name"], row["count"], row["average"].days
        )
        for row in rows
    ]


# The report's paragraph, as seed 004 writes it.

REPORT_LABELS = ("高中以上文化", "女党员", "少数民族党员", "35岁以下党员", "生产一线党员")


def paragraph(
    *,
    period: str,
    who: str,
    unit: str | None,
    units: int,
    structure: Structure,
    quota: int | None,
) -> str:
    """ "上半年，有14个党委发展新党员102名，占全年计划的19.4%。在新党员中，高中以上文化74名，
    占72.5%；…". `unit`: what the organisation's parts are called (党委, 党支部), None for a
    branch; `units`: how many of them developed any; `quota`: the year's plan, if set."""
    total = structure.total
    if not total:
        return f"{period}，{who}尚未发展新党员。"
    head = f"有{units}个{unit}发展新党员{total}名" if unit else f"{who}发展新党员{total}名"
    if quota:
        head += f"，占全年计划的{Share('', total, quota).percent}%"
    parts = "；".join(
        f"{label}{share.count}名，占{share.percent}%"
        for label, share in zip(REPORT_LABELS, structure.seed, strict=True)
    )
    return f"{period}，{head}。在新党员中，{parts}。"
