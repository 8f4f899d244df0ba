"""Data scopes: what a user may see follows from the positions his person holds today.

A village branch's people see their branch (its groups and the villagers' committee under
it); a township committee's people see every branch of the township; the county committee
and its organisation department see the whole county. Superusers see everything. A user with
no current position sees nothing. Every selector filters through `visible_organisations`, so
a view cannot forget it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from workflows.compiled import Compiled

from .models import Organisation, Person, Position, Village

Kind = Organisation.Kind


def current_positions(user, *, on: date | None = None) -> QuerySet[Position]:
    day = on or timezone.localdate()
    person = getattr(user, "person", None) if user and user.is_authenticated else None
    if person is None:
        return Position.objects.none()
    return (
        Position.objects.filter(person=person, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("organisation")
    )


def scope_root(organisation: Organisation) -> Organisation:
    """The organisation whose subtree a position in `organisation` lets its holder see."""
    if organisation.kind == Kind.ORG_DEPARTMENT:
        return organisation.parent
    if organisation.kind in (Kind.PARTY_GROUP, Kind.VILLAGERS_COMMITTEE):
        return organisation.parent
    return organisation


def scope_roots(user, *, on: date | None = None) -> list[Organisation]:
    roots = {scope_root(position.organisation) for position in current_positions(user, on=on)}
    return sorted(roots, key=lambda organisation: organisation.path)


def visible_organisations(user, *, on: date | None = None) -> QuerySet[Organisation]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    roots = scope_roots(user, on=on)
    if not roots:
        return Organisation.objects.none()
    condition = Q()
    for root in roots:
        condition |= Q(path__startswith=root.path)
    return Organisation.objects.filter(condition)


def visible_persons(user, *, on: date | None = None) -> QuerySet[Person]:
    return Person.objects.filter(organisation__in=visible_organisations(user, on=on))


def visible_villages(user, *, on: date | None = None) -> QuerySet[Village]:
    organisations = visible_organisations(user, on=on)
    return Village.objects.filter(
        Q(township__in=organisations) | Q(organisations__in=organisations)
    ).distinct()


# `current_positions` for one person and day, compiled once: every step asks it.
_held_on = Compiled(
    lambda person_id, day: (
        Position.objects.filter(person_id=person_id, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("organisation")
    ),
    int,
    date,
)


def positions_over(
    user, organisation: Organisation | None, *, on: date | None = None
) -> list[Position]:
    """The user's current positions whose scope covers `organisation` (None: all of them):
    what he may do there follows from these (their titles and the kind of organisation they
    are held in)."""
    person = getattr(user, "person", None) if user and user.is_authenticated else None
    if person is None:
        return []
    return [
        position
        for position in _held_on(person.pk, on or timezone.localdate())
        if organisation is None or covers(position, organisation)
    ]


def covers(position: Position, organisation: Organisation) -> bool:
    """The position's scope (read with its organisation) covers `organisation`."""
    return organisation.path.startswith(scope_root(position.organisation).path)


def titles_over(user, organisation: Organisation, *, on: date | None = None) -> set[str]:
    return {position.title for position in positions_over(user, organisation, on=on)}


def branch_of(village: Village) -> Organisation:
    return Organisation.objects.get(kind=Kind.VILLAGE_BRANCH, village=village)
