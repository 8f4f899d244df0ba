"""Cases in flight brought in from Excel: `cases` applicants of the demo county's branches,
each case walked through the services to a step of its own (round the path: some just
applied, some archived), with their thought reports, assessments and materials. The time of
that, records per second, is the floor: the per-step service rate, the live steps called one
by one. Then the same cases are exported to a workbook, the database is put back to before
them, and the workbook is imported (every act through the same services, from its cells): the
import's records per second against the floor, and the time 10,000 cases would take at that
rate. The audit chain is verified after the import (`verify_chain`), as `verify_audit` does."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

TARGET_CASES = 10_000


@dataclass(frozen=True)
class Result:
    cases: int
    records: int  # steps, observations and materials: the acts the import performs
    floor_seconds: float
    export_seconds: float
    import_seconds: float
    chain_breaks: int
    processes: int = 1
    parallel_seconds: float = 0.0  # the same workbook imported in `processes` (committed)

    @property
    def floor_rate(self) -> float:
        return self.records / self.floor_seconds

    @property
    def import_rate(self) -> float:
        return self.records / self.import_seconds

    @property
    def parallel_rate(self) -> float:
        return self.records / self.parallel_seconds if self.parallel_seconds else 0.0

    @property
    def projected_minutes(self) -> float:
        """10,000 cases of the same mix at the import's best rate."""
        seconds = min(s for s in (self.import_seconds, self.parallel_seconds) if s)
        return seconds * TARGET_CASES / self.cases / 60


def measure(cases: int, *, say=print, processes: int = 1) -> Result:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from fixtures import case_script
    from procedures.membership import services, workbook
    from procedures.membership.models import Case, Material, Observation, StepRecord
    from procedures.people import identity
    from procedures.people import services as people
    from procedures.people.models import Organisation, Person
    from workflows.audit import verify_chain

    county = get_user_model().objects.get(username="county")
    casts = {}
    for branch in Organisation.objects.filter(kind=Organisation.Kind.VILLAGE_BRANCH):
        cast = _cast(branch)
        if len(cast.members) >= 9 and cast.group is not None:  # the script's meetings
            casts[branch.pk] = cast
    branches = list(Organisation.objects.filter(pk__in=casts).order_by("pk"))
    stops = [*case_script.ORDER, None]
    with transaction.atomic():
        before = transaction.savepoint()
        started = time.perf_counter()
        for index in range(cases):
            branch = branches[index % len(branches)]
            born = date(1990, 1, 1) + timedelta(days=index // 400)
            person = people.person_register(
                actor=None,
                name=f"导入测{index}",
                gender=Person.Gender.MALE,
                birth_date=born,
                id_number=identity.make_number("529905", born, (index % 400) * 2 + 1, male=True),
                education=Person.Education.SENIOR,
                occupation=Person.Occupation.FARMER,
                phone="",
                organisation=branch,
            )
            case = services.case_open(
                actor=None, person=person, branch=branch, applied_on=date(2023, 3, 1)
            )
            case_script.advance(case, casts[branch.pk], until=stops[index % len(stops)])
            if index % 50 == 49:
                say(f"imports: {index + 1} cases walked ...")
        floor_seconds = time.perf_counter() - started
        made = Case.objects.filter(person__name__startswith="导入测")
        records = (
            StepRecord.objects.filter(case__in=made).exclude(step="apply").count()
            + Observation.objects.filter(case__in=made).count()
            + Material.objects.filter(case__in=made).count()
        )
        started = time.perf_counter()
        content = workbook.export(county, cases=made)
        export_seconds = time.perf_counter() - started
        transaction.savepoint_rollback(before)
        if Person.objects.filter(name__startswith="导入测").exists():
            raise RuntimeError("the savepoint did not take the cases back")
        say(f"imports: {cases} cases ({records:,} records) exported; importing them ...")
        started = time.perf_counter()
        report = workbook.load(content, actor=county, dry_run=False)
        import_seconds = time.perf_counter() - started
        if not report.ok or report.created != cases:
            raise RuntimeError(f"the import refused: {report.all_problems[:5]}")
        breaks = len(verify_chain())
        transaction.set_rollback(True)  # the demo county as it was
    parallel_seconds = 0.0
    if processes > 1:  # committed, each case by itself: the bench's database keeps them
        say(f"imports: the same workbook in {processes} processes ...")
        started = time.perf_counter()
        report = workbook.load(content, actor=county, dry_run=False, processes=processes)
        parallel_seconds = time.perf_counter() - started
        if not report.ok or report.created != cases:
            raise RuntimeError(f"the import refused: {report.all_problems[:5]}")
        breaks += len(verify_chain(processes=processes))
    return Result(
        cases, records, floor_seconds, export_seconds, import_seconds, breaks, processes,
        parallel_seconds,
    )  # fmt: skip


def _cast(branch):
    from fixtures import case_script
    from procedures.people.meetings import voters
    from procedures.people.models import Organisation

    members = voters(branch, date(2023, 3, 1))
    group = Organisation.objects.filter(parent=branch, kind=Organisation.Kind.PARTY_GROUP).first()
    # Everyone at the 支部大会, all but one for: past the half whatever the branch's size.
    return case_script.Cast(
        members=members, group=group, present=len(members), yes=len(members) - 1
    )
