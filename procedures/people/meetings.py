"""Who sits in a party meeting, for every procedure that holds one (member development's
支部大会, a village matter's 党员大会, the branch's own meetings): the arithmetic of
attendance starts from the people records, here, not in one procedure another borrows."""

from __future__ import annotations

import functools
from datetime import date

from django.db.models import Q

from workflows.compiled import Compiled

from .models import Organisation, Person, Position


def eligible_voters(branch: Organisation, on: date) -> list[Person]:
    """应到会有表决权的党员: the branch's full members with party rights on `on` (not
    probationary members, not members under 留党察看, and not those who became full members
    only after `on`: a meeting entered later counts those it had)."""
    return _VOTERS(branch.path, on)


# Compiled once (`workflows.compiled`): every meeting of every procedure reads them.
_VOTERS = Compiled(
    lambda path, on: (
        Person.objects.filter(organisation__path__startswith=path, standing=Person.Standing.FULL)
        .filter(Q(disciplined_until__isnull=True) | Q(disciplined_until__lt=on))
        .filter(Q(full_member_since__isnull=True) | Q(full_member_since__lte=on))
        .order_by("pk")
    ),
    str,
    date,
)


def committee_members(organisation: Organisation, on: date, titles) -> list[int]:
    """The ids of those holding one of `titles` in `organisation` on `on`."""
    return sorted({row[0] for row in _holders(tuple(sorted(titles)))(organisation.pk, on)})


@functools.cache
def _holders(titles: tuple[str, ...]) -> Compiled:
    return Compiled(
        lambda organisation_id, on: (
            Position.objects.filter(
                organisation_id=organisation_id, title__in=titles, start_date__lte=on
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .values_list("person_id")
        ),
        int,
        date,
    )


def positions_held(organisation: Organisation, on: date, titles):
    """The positions of `titles` held on `on` anywhere in `organisation`'s subtree (a
    village branch: the branch, its groups, its villagers' committee)."""
    return Position.objects.filter(
        organisation__path__startswith=organisation.path, title__in=titles, start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


def party_members(organisation: Organisation) -> list[Person]:
    """The party members of `organisation`'s subtree (full and probationary), who sit in its
    organisational life (党员大会, 党课, 主题党日, 组织生活会, 民主评议)."""
    standings = (Person.Standing.FULL, Person.Standing.PROBATIONARY)
    members = Person.objects.filter(
        organisation__path__startswith=organisation.path, standing__in=standings
    )
    return list(members.order_by("pk"))
