"""Who sits in a party meeting, for every procedure that holds one (member development's
支部大会, a village matter's 党员大会, the branch's own meetings): the arithmetic of
attendance starts from the people records, here, not in one procedure another borrows.

Everything is read as of the meeting's day: the organisation a member belonged to then
(`Membership`), whether he was counted among those who should attend (`NotCounted`) and
whether a 留党察看 took his rights (`Discipline`). A member transferred since, or disciplined
since, leaves a past meeting as it was."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, When

from workflows.compiled import Compiled

from .models import Discipline, Membership, NotCounted, Organisation, Person, Position

PARTY = (Person.Standing.FULL, Person.Standing.PROBATIONARY)


def _in_subtree_on(path: str, on: date) -> Exists:
    return Exists(
        Membership.objects.filter(
            Membership.covering(on), person=OuterRef("pk"), organisation__path__startswith=path
        )
    )


def _with_rights_on(on: date) -> Q:
    """Full members on `on` (not those who became full members only after it: a meeting
    entered later counts those it had) whom no 留党察看 deprived of their rights."""
    suspended = Discipline.objects.filter(Discipline.suspending_rights(on), person=OuterRef("pk"))
    return (
        Q(standing=Person.Standing.FULL)
        & (Q(full_member_since__isnull=True) | Q(full_member_since__lte=on))
        & ~Exists(suspended)
    )


def _not_counted_on(on: date) -> Exists:
    return Exists(NotCounted.objects.filter(NotCounted.covering(on), person=OuterRef("pk")))


def voters(branch: Organisation, on: date) -> list[Person]:
    """有表决权的党员: the full members of the branch on `on` with party rights, whether or
    not counted among those who should attend (one excused who comes may still vote)."""
    return _VOTERS(branch.path, on)


def eligible_voters(branch: Organisation, on: date, present: Iterable[int]) -> list[Person]:
    """应到会有表决权的党员, the denominator of a quorum and of a majority: the voters of
    `on`, less those not counted on that day (不计入应到会人数) unless they came to the meeting
    (`present`: the ids of those who attended or voted in writing), who then count again."""
    came = set(present)
    counted = {row[0] for row in _COUNTED(branch.path, on)}
    return [p for p in voters(branch, on) if p.pk in counted or p.pk in came]


# Compiled once (`workflows.compiled`): every meeting of every procedure reads them.
_VOTERS = Compiled(
    lambda path, on: (
        Person.objects.filter(_in_subtree_on(path, on)).filter(_with_rights_on(on)).order_by("pk")
    ),
    str,
    date,
)
_COUNTED = Compiled(
    lambda path, on: (
        Person.objects.filter(_in_subtree_on(path, on), standing=Person.Standing.FULL)
        .exclude(_not_counted_on(on))
        .values_list("pk")
    ),
    str,
    date,
)


def not_counted_on(person_ids: Iterable[int], on: date) -> set[int]:
    """Those of `person_ids` not counted among those who should attend on `on`."""
    rows = NotCounted.objects.filter(NotCounted.covering(on), person_id__in=set(person_ids))
    return set(rows.values_list("person_id", flat=True))


def without_rights(people: Iterable[Person], on: date) -> list[Person]:
    """Those of `people` who had no right to vote or to sponsor on `on`: not full members
    then, or under 留党察看 (a sponsor's and a 培养联系人's condition)."""
    people = list(people)
    allowed = set(
        Person.objects.filter(pk__in=[p.pk for p in people])
        .filter(_with_rights_on(on))
        .values_list("pk", flat=True)
    )
    return [p for p in people if p.pk not in allowed]


def belonging_on(person_ids: Iterable[int], organisation: Organisation, on: date) -> set[int]:
    """Those of `person_ids` who belonged to `organisation` (or an organisation under it)
    on `on`."""
    return set(
        Person.objects.filter(pk__in=set(person_ids))
        .filter(_in_subtree_on(organisation.path, on))
        .values_list("pk", flat=True)
    )


def organisation_on(person: Person, on: date) -> Organisation | None:
    """The organisation `person` belonged to on `on`, or None before he had one here."""
    row = (
        Membership.objects.filter(Membership.covering(on), person=person)
        .select_related("organisation")
        .first()
    )
    return row.organisation if row else None


def branch_path_on(on: date | str, person: str = "person_id") -> Subquery:
    """An expression for a queryset of rows with a person: the path of the branch that
    person belonged to on `on` (a date, or the name of the row's own date field; a party
    group counts as its branch), NULL when no membership covers the day. The statistics of a
    period count each act where it was done, not where its person is today."""
    day = OuterRef(on) if isinstance(on, str) else on
    group = Organisation.Kind.PARTY_GROUP
    branch = models.Case(
        When(organisation__kind=group, then=F("organisation__parent__path")),
        default=F("organisation__path"),
    )
    rows = Membership.objects.filter(Membership.covering(day), person=OuterRef(person))
    return Subquery(
        rows.annotate(branch_path=branch).order_by().values("branch_path")[:1],
        output_field=models.CharField(),
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


def party_members(organisation: Organisation, on: date) -> list[Person]:
    """The party members (full and probationary) who belonged to `organisation`'s subtree on
    `on`, who sit in its organisational life (党员大会, 党课, 主题党日, 组织生活会, 民主评议)."""
    return _MEMBERS(organisation.path, on)


_MEMBERS = Compiled(
    lambda path, on: Person.objects.filter(_in_subtree_on(path, on), standing__in=PARTY).order_by(
        "pk"
    ),
    str,
    date,
)


def belonging(organisation: Organisation, on: date, standings) -> list[Person]:
    """Those of `standings` who belonged to `organisation`'s subtree on `on`."""
    return list(
        Person.objects.filter(
            _in_subtree_on(organisation.path, on), standing__in=standings
        ).order_by("name", "pk")
    )


def party_members_during(organisation: Organisation, start: date, end: date) -> list[Person]:
    """The party members who belonged to `organisation`'s subtree on any day from `start`
    to `end` (a year's attendance, a year's dues)."""
    belonged = belonged_during(organisation.path, start, end, person="pk")
    return list(Person.objects.filter(belonged, standing__in=PARTY).order_by("pk"))


def belonged_during(path: str, start: date, end: date, person: str = "person_id") -> Exists:
    """A condition on rows with a person: he belonged to the subtree at `path` on some day
    from `start` to `end`."""
    return Exists(
        Membership.objects.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=end),
            Q(ends_on__isnull=True) | Q(ends_on__gte=start),
            person=OuterRef(person),
            organisation__path__startswith=path,
        )
    )


def membership_periods(
    organisation: Organisation, person_ids: Iterable[int]
) -> dict[int, list[tuple[date | None, date | None]]]:
    """Per person, the periods (first day or None, last day or None) in which he belonged
    to `organisation`'s subtree."""
    found: dict[int, list[tuple[date | None, date | None]]] = {}
    rows = Membership.objects.filter(
        person_id__in=set(person_ids), organisation__path__startswith=organisation.path
    ).values_list("person_id", "starts_on", "ends_on")
    for person_id, starts_on, ends_on in rows:
        found.setdefault(person_id, []).append((starts_on, ends_on))
    return found


def dues_paid_on_arrival(
    organisation: Organisation, arrived: dict[int, date | None]
) -> dict[int, date]:
    """Per person arrived in `organisation`'s subtree on the day `arrived` gives (as
    `arrived_on` reads it), the month his transfer's letter says his dues were paid to."""
    days = {person_id: day for person_id, day in arrived.items() if day is not None}
    if not days:
        return {}
    rows = Membership.objects.filter(
        person_id__in=days,
        organisation__path__startswith=organisation.path,
        dues_paid_to__isnull=False,
    ).values_list("person_id", "starts_on", "dues_paid_to")
    return {person_id: paid for person_id, starts, paid in rows if days[person_id] == starts}


def arrived_on(
    organisation: Organisation, person_ids: Iterable[int], on: date
) -> dict[int, date | None]:
    """Per person belonging to `organisation`'s subtree on `on`, the first day of his
    unbroken stay in it (a move between its own groups does not break it); None: since
    before the records."""
    arrived: dict[int, date | None] = {}
    for person_id, periods in membership_periods(organisation, person_ids).items():
        latest_first = sorted(periods, key=lambda p: p[0] or date.min, reverse=True)
        found, start = False, None
        for starts_on, ends_on in latest_first:
            if not found:
                if (starts_on is None or starts_on <= on) and (ends_on is None or on <= ends_on):
                    found, start = True, starts_on
            elif start is not None and ends_on == start - timedelta(days=1):
                start = starts_on  # the stay before went on without a break
        if found:
            arrived[person_id] = start
    return arrived
