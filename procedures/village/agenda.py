"""A village matter as business a branch meeting may take up (`procedures.people.agenda`): a
主题党日 may carry the matter's 民主议事; the branch is offered its village's matters."""

from __future__ import annotations

from procedures.people import agenda
from procedures.people.models import Organisation

from .models import Matter


def _options(branch: Organisation) -> list[tuple[int, str]]:
    rows = Matter.objects.filter(village_id=branch.village_id).order_by("-pk")[:50]
    return [(matter.pk, matter.title) for matter in rows]


def _of_branch(branch: Organisation, pk: int) -> bool:
    return Matter.objects.filter(pk=pk, village_id=branch.village_id).exists()


MATTER = agenda.Business(
    key="matter",
    model=Matter,
    label="村级事务",
    options=_options,
    of_branch=_of_branch,
    title=lambda matter: matter.title,
)
agenda.register(MATTER)
