"""The new members of a period and their structure, in the two category sets the
county reports in, with the definitions every page says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from procedures.people import vocabularies as v
from procedures.people.meetings import branch_path_on
from procedures.people.models import Membership

from ..models import Case

DEFINITIONS = (
    "发展党员数：支部大会通过接收为预备党员的日期在统计期内、且上级党委已审批的人数"
    "（后来取消预备党员资格的仍计入当期）。",
    f"年龄按接收为预备党员之日的周岁计算；“35岁以下”按{v.YOUTH_AGE}周岁及以下统计。",
    "学历、职业按接收为预备党员之日的记录统计；高中以上文化含高中、中专；大专及以上含大专、本科、研究生。",
    "生产（工作）一线：农民、致富能手、外出务工人员和教师；村干部、机关干部、学生、离退休人员等不计入。",
    "少数民族：汉族以外的55个民族。",
    "各组织的人数按办理当日所在的党支部统计：组织关系转出的，以往的人数仍计入原党支部。",
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


def cases_touching(path: str) -> QuerySet:
    """The cases a statistic of the organisation at `path` may count: those of its branches
    today, and of anyone who belonged to it at some time (his acts there count there). Each
    figure then keeps those whose act it counts was done there (`of_the_day`)."""
    been_there = Membership.objects.filter(
        person=OuterRef("person_id"), organisation__path__startswith=path
    )
    return Case.objects.filter(Q(branch__path__startswith=path) | Exists(been_there))


def of_the_day(cases: QuerySet, on: str | date, within: str = "") -> QuerySet:
    """`cases` with `day_branch`, the path of the branch where the act of `on` (the name of
    a case's date field, or a date) was done: its person's branch that day, else (no
    membership covers it) the case's own; and only those done under `within` (an
    organisation's path; "": anywhere). A member moved since counts where he was, so a
    move changes no branch's past figures."""
    cases = cases.annotate(day_branch=Coalesce(branch_path_on(on), F("branch__path")))
    return cases.filter(day_branch__startswith=within) if within else cases


def developed(cases: QuerySet, start: date, end: date, within: str = "") -> QuerySet:
    """The new members of [start, end] among `cases`, admitted under `within` (each with
    its `day_branch`, the branch that admitted him)."""
    period = cases.filter(admitted_on__gte=start, admitted_on__lte=end, approved_on__isnull=False)
    return of_the_day(period, "admitted_on", within)


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


def structure(cases: QuerySet, start: date, end: date, within: str = "") -> Structure:
    """The new members of the period admitted under `within`, and their shares, in one
    aggregate query."""
    counted = with_admission_age(developed(cases, start, end, within)).aggregate(
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
