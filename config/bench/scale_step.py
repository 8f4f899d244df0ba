"""The step of `make bench SCALE=province` (② 谈话, `case_talk`, by each case's branch
secretary), on the demo county and on the province, and how the run speaks on stderr."""

from __future__ import annotations

import time

from .stats import Run


def say(text: str) -> None:
    import sys

    print(text, file=sys.stderr, flush=True)


# The step, on the county and on the province.


def _secretaries(case_ids: list[int]) -> dict[int, object]:
    """Each case's branch secretary as a user (made for those who have none): who takes
    ② 谈话."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from procedures.membership.models import Case
    from procedures.people.models import Person, Position

    User = get_user_model()
    branches = set(Case.objects.filter(pk__in=case_ids).values_list("branch_id", flat=True))
    holders = dict(
        Position.objects.filter(
            organisation_id__in=branches, title=Position.Title.SECRETARY, end_date__isnull=True
        ).values_list("organisation_id", "person_id")
    )
    password = make_password(None)
    for person in Person.objects.filter(pk__in=holders.values(), user__isnull=True):
        user = User.objects.create(username=f"secretary-{person.pk}", password=password)
        Person.objects.filter(pk=person.pk).update(user=user)
    users = {
        user.person.pk: user
        for user in User.objects.filter(person__pk__in=holders.values()).select_related(
            "person__organisation"
        )
    }
    by_branch = {branch: users[person] for branch, person in holders.items()}
    return {
        case_id: by_branch[branch]
        for case_id, branch in Case.objects.filter(pk__in=case_ids).values_list("pk", "branch_id")
    }


def step_run(name: str, case_ids: list[int]) -> Run:
    """② 谈话 on each case by its branch's secretary, today; the first warms up."""
    from django.utils import timezone

    from procedures.membership import services

    actors = _secretaries(case_ids)
    today = timezone.localdate()
    first, rest = case_ids[0], case_ids[1:]
    services.case_talk(case_id=first, actor=actors[first], talked_on=today)
    latencies = []
    started = time.perf_counter()
    for case_id in rest:
        began = time.perf_counter()
        services.case_talk(case_id=case_id, actor=actors[case_id], talked_on=today)
        latencies.append(time.perf_counter() - began)
    return Run(name, len(rest), time.perf_counter() - started, latencies)


def county_step(cases: int) -> Run:
    from . import transition

    say(f"scale: the demo county, {cases} applicants stepped ...")
    transition.ensure_county()
    return step_run("the demo county", transition.make_cases(cases))


def province_step(cases: int) -> Run:
    from procedures.membership.models import Case

    ids = list(
        Case.objects.filter(status="applied")
        .order_by("branch_id", "pk")
        .values_list("pk", flat=True)
    )
    # Spread over the province: every k-th applied case.
    stride = max(1, len(ids) // cases)
    chosen = ids[::stride][:cases]
    if len(chosen) < cases // 2:
        raise RuntimeError(f"the province has only {len(chosen)} cases waiting for the talk")
    say(f"scale: the province, {len(chosen)} applicants stepped ...")
    return step_run("the province", chosen)
