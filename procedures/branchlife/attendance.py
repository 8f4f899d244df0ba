"""Who should attend a record of the branch's organisational life, from the people records on
its day (procedures/people/meetings.py): the branch's party members of that day, its
committee, a party group's members, or the two sides of a talk."""

from __future__ import annotations

from datetime import date

from procedures.people.meetings import committee_members, eligible_voters, party_members
from procedures.people.models import Organisation, Person, Position

from .steps import COMMITTEE_TITLES, KINDS, Attendees

T = Position.Title


def expected(branch: Organisation, kind: str, on: date, group: Organisation | None = None):
    """The people who should attend, or None when any member may be a side (a talk)."""
    who = KINDS[kind].attendees
    if who == Attendees.MEMBERS:
        return party_members(branch, on)
    if who == Attendees.COMMITTEE:
        return list(Person.objects.filter(pk__in=committee_members(branch, on, COMMITTEE_TITLES)))
    if who == Attendees.GROUP:
        return party_members(group, on) if group is not None else []
    return None


def committee(branch: Organisation, on: date) -> set[int]:
    """Who may chair a 党员大会: the secretary, or a deputy or committee member he entrusts
    (the first secretary when the secretary is away)."""
    return set(committee_members(branch, on, COMMITTEE_TITLES | {T.FIRST_SECRETARY}))


def group_leaders(group: Organisation, on: date) -> set[int]:
    return set(committee_members(group, on, {T.GROUP_LEADER}))


def secretaries(branch: Organisation, on: date) -> set[int]:
    return set(committee_members(branch, on, {T.SECRETARY}))


def voters(branch: Organisation, on: date, present: set[int]) -> set[int]:
    """应到会有表决权的党员: the quorum of a 党员大会 counts them (those not counted in 应到
    count again when they came)."""
    return {person.pk for person in eligible_voters(branch, on, present)}
