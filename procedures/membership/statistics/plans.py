"""The annual development plans and their progress: each organisation's standing
plan, its branches' admissions against it, and who is on the way to admission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from procedures.people import vocabularies as v
from procedures.people.models import Organisation
from workflows.timing import Notice

from ..models import Case, DevelopmentPlan
from ..projection import project
from ..steps import ENDED, NO_TIMING, TIMING
from .composition import Share, developed, of_the_day, with_admission_age

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
    """The year's new members per branch (that admitted them), with the counts the targets
    are set for."""
    start, end = year_bounds(year)
    rows = (
        with_admission_age(developed(cases, start, end))
        .values("day_branch")
        .annotate(
            total=Count("pk"),
            female=Count("pk", filter=Q(person__gender="female")),
            youth=Count("pk", filter=Q(admission_age__lte=v.YOUTH_AGE)),
            frontline=Count("pk", filter=Q(admitted_occupation__in=v.FRONTLINE)),
        )
        .order_by()
    )
    return {row["day_branch"]: row for row in rows}


AWAITING_ADMISSION = Q(candidate_on__isnull=False, admitted_on__isnull=True) & ~Q(status__in=ENDED)


def pipeline_by_branch(cases: QuerySet, year: int, *, today: date) -> dict[str, int] | None:
    """发展对象 not yet admitted whose projection lets the 支部大会 admit them by the year's end,
    per branch (by its path: where each was on `today`); None when the year is over.

    The rules' working-day spans cannot be written in SQL, so the projection decides; but not
    one projection per 发展对象: when every act is on or before `today` (so each projection
    starts from `today`), the cases of one rulebook, variant and status whose remaining steps'
    earliest dates read nothing of the case (`_reads_the_case`) share one projection, and a
    county's thousands of 发展对象 are a handful of projections and one grouped count."""

    if year < today.year:
        return None
    end = date(year, 12, 31)
    waiting = of_the_day(cases.filter(AWAITING_ADMISSION).order_by(), today)
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
                found[case.day_branch] = found.get(case.day_branch, 0) + 1

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
            per_branch = group.values("day_branch").annotate(n=Count("pk"))
            for row in per_branch.values_list("day_branch", "n"):
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
    branches. `cases`: those whose acts may count (`cases_touching`); each new member counts
    under the branch that admitted him, each 发展对象 under the branch he is in on `today`."""
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
