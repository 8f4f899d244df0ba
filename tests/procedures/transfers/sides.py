"""Two sides of a transfer: the member development world's branch (sending, with its
township's organiser) and a branch of the other township (receiving, with its own
township's organiser and its secretary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from procedures.people.models import Organisation, Person
from procedures.people.models import Position as P
from procedures.transfers import services
from procedures.transfers.models import Transfer
from tests import factories

from ..membership.walk import World, world

T = P.Title


@dataclass
class Sides:
    w: World
    to_branch: Organisation
    to_organiser: object  # users
    to_secretary: object
    bystander: object  # a secretary of a branch on neither side

    @property
    def from_branch(self) -> Organisation:
        return self.w.branch


def sides() -> Sides:
    w = world()
    to_branch, township = w.tree.branches[2], w.tree.townships[1]
    organiser = factories.person(township, name="乙镇组织员")
    factories.hold(organiser, township, T.ORGANISER)
    secretary = factories.person(to_branch, name="乙村书记")
    factories.hold(secretary, to_branch, T.SECRETARY)
    return Sides(
        w=w,
        to_branch=to_branch,
        to_organiser=factories.user_for(organiser, "to-organiser"),
        to_secretary=factories.user_for(secretary, "to-secretary"),
        bystander=w.other_secretary,
    )


def member(s: Sides, name: str = "外出党员") -> Person:
    person = factories.person(s.from_branch, name=name)
    Person.objects.filter(pk=person.pk).update(
        standing=Person.Standing.FULL, full_member_since=date(2010, 7, 1)
    )
    return Person.objects.get(pk=person.pk)


def proposed(s: Sides, person: Person, on: date) -> Transfer:
    return services.transfer_propose(
        actor=s.w.secretary,
        branch=s.from_branch,
        person_id=person.pk,
        to_branch_id=s.to_branch.pk,
        reason="外出务工，在乙村长期居住",
        on=on,
    )


def issued(s: Sides, person: Person, on: date, *, days: int | None = 30) -> Transfer:
    transfer = proposed(s, person, on)
    return services.transfer_issue(
        transfer_id=transfer.pk,
        actor=s.w.organiser,
        on=on,
        valid_days=days,
        dues_paid_to=date(on.year, on.month, 1),
    )


def accepted(s: Sides, person: Person, issued_on: date, accepted_on: date) -> Transfer:
    transfer = issued(s, person, issued_on)
    return services.transfer_accept(transfer_id=transfer.pk, actor=s.to_organiser, on=accepted_on)
