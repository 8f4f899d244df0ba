"""Each member's dues and attendance, read from the records: the months unpaid, the months
absent from organisational life without reason, the flags of 党章 第九条 (six months in a row,
no proper reason; the branch decides) and the attendance rate for 凡评必审.

Dues are tracked from the first month any payment of the branch covers (the month the branch
began recording dues here), or from the member's joining, or his arrival in the branch, if
later (the months before are another branch's), or from the month after the one his
transfer's letter says his dues were paid to, if later still. A month is covered by a
valid payment or an approved exemption; the current month may still be paid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Min

from procedures.people.meetings import (
    arrived_on,
    dues_paid_on_arrival,
    party_members,
    party_members_during,
)
from procedures.people.models import Organisation, Person
from workflows.rules import get_rulebook

from .models import DuesPayment, LapseDecision, MeetingAttendance
from .periods import add_months, month_start, months_between
from .rulebooks import BRANCH_2018
from .steps import Presence, Status

VALID = DuesPayment.Status.VALID


def _param(rule_id: str) -> int | None:
    rule = get_rulebook(BRANCH_2018).rule(rule_id)
    return rule.params.get("months") if rule.enabled else None


def _joined(member: Person) -> date | None:
    day = member.full_member_since if member.standing == Person.Standing.FULL else None
    return day or member.standing_since


@dataclass(frozen=True)
class Arrears:
    member: Person
    months: int  # months in a row unpaid, up to the month before `today`'s
    since: date | None  # the first of them


def tracking_start(branch: Organisation) -> date | None:
    first = DuesPayment.objects.filter(branch=branch, status=VALID).aggregate(m=Min("first_month"))
    return first["m"]


def _covered(branch: Organisation) -> dict[int, set[date]]:
    covered: dict[int, set[date]] = defaultdict(set)
    for row in DuesPayment.objects.filter(branch=branch, status=VALID):
        for index in range(row.months):
            covered[row.member_id].add(add_months(row.first_month, index))
    return covered


def arrears(branch: Organisation, today: date) -> list[Arrears]:
    start = tracking_start(branch)
    if start is None:
        return []  # the branch records no dues here yet
    covered = _covered(branch)
    current = month_start(today)
    found = []
    members = party_members(branch, today)
    arrived = arrived_on(branch, [m.pk for m in members], today)
    paid_to = dues_paid_on_arrival(branch, arrived)
    for member in members:
        begin = start
        for since in (_joined(member), arrived.get(member.pk)):
            if since is not None:
                begin = max(begin, month_start(since))
        if member.pk in paid_to:  # his letter's 党费交至: paid to that month, where he was
            begin = max(begin, add_months(month_start(paid_to[member.pk]), 1))
        months, month = 0, add_months(current, -1)
        while month >= begin and month not in covered[member.pk]:
            months += 1
            month = add_months(month, -1)
        found.append(Arrears(member, months, add_months(month, 1) if months else None))
    return found


@dataclass(frozen=True)
class Absence:
    member: Person
    months: int  # months since the first absence without reason after he last took part
    since: date | None


def absences(branch: Organisation, today: date) -> list[Absence]:
    """Months in a row absent without reason: from the first meeting missed without reason
    after the member last attended (or asked for leave), to the month before `today`'s.
    Months without a meeting neither count against him nor break the run."""
    current = month_start(today)
    rows = (
        MeetingAttendance.objects.filter(
            meeting__branch=branch, meeting__status=Status.HELD, meeting__held_on__lt=current
        )
        .values_list("person_id", "presence", "meeting__held_on")
        .order_by("meeting__held_on")
    )
    seen: dict[int, date] = {}
    missed: dict[int, list[date]] = defaultdict(list)
    for person_id, presence, held_on in rows:
        if presence in (Presence.PRESENT, Presence.LEAVE):
            seen[person_id] = held_on
        else:
            missed[person_id].append(held_on)
    found = []
    for member in party_members(branch, today):
        after = seen.get(member.pk)
        runs = [day for day in missed[member.pk] if after is None or day > after]
        since = month_start(runs[0]) if runs else None
        found.append(Absence(member, months_between(since, current) if since else 0, since))
    return found


@dataclass(frozen=True)
class Flag:
    member: Person
    ground: str  # LapseDecision.Ground
    months: int
    since: date
    rule_id: str


def flags(branch: Organisation, today: date, *, behind: list[Arrears] | None = None) -> list[Flag]:
    """Members six months (a county may set otherwise) behind without a decision since.
    `behind`: the branch's arrears when the caller has read them already."""
    found = []
    decided: dict[tuple[int, str], date] = {}
    for row in LapseDecision.objects.filter(branch=branch):
        key = (row.member_id, row.ground)
        decided[key] = max(decided.get(key, row.decided_on), row.decided_on)
    grounds = (
        (
            LapseDecision.Ground.DUES,
            "dues_lapse",
            behind if behind is not None else arrears(branch, today),
        ),
        (LapseDecision.Ground.ABSENCE, "absence_lapse", absences(branch, today)),
    )
    for ground, rule_id, standings in grounds:
        limit = _param(rule_id)
        if limit is None:
            continue
        for standing in standings:
            if standing.months < limit or standing.since is None:
                continue
            if decided.get((standing.member.pk, ground), date.min) >= standing.since:
                continue  # the branch has decided on this run already
            found.append(Flag(standing.member, ground, standing.months, standing.since, rule_id))
    return found


def monthly_dues(branch: Organisation, year: int) -> list[tuple[date, int, Decimal]]:
    """(month, members who paid for it, amount) per month of the year, each payment's
    amount spread evenly over the months it covers."""
    months = {date(year, month, 1): [set(), Decimal("0")] for month in range(1, 13)}
    for row in DuesPayment.objects.filter(branch=branch, status=VALID):
        share = row.amount / row.months
        for index in range(row.months):
            month = add_months(row.first_month, index)
            if month in months:
                months[month][0].add(row.member_id)
                months[month][1] += share
    return [(m, len(who), total.quantize(Decimal("0.01"))) for m, (who, total) in months.items()]


@dataclass(frozen=True)
class Attendance:
    member: Person
    expected: int
    present: int
    leave: int
    absent: int

    @property
    def rate(self) -> str:
        return f"{self.present * 100 // self.expected}%" if self.expected else "—"


def attendance(branch: Organisation, year: int) -> list[Attendance]:
    """Per member of the branch at any time in the year, the year's organisational life
    he was to attend in it (凡评必审)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = MeetingAttendance.objects.filter(
        meeting__branch=branch, meeting__status=Status.HELD, meeting__held_on__year=year
    ).values_list("person_id", "presence")
    for person_id, presence in rows:
        counts[person_id][presence] += 1
    out = []
    for member in party_members_during(branch, date(year, 1, 1), date(year, 12, 31)):
        got = counts[member.pk]
        total = sum(got.values())
        out.append(
            Attendance(
                member, total, got[Presence.PRESENT], got[Presence.LEAVE], got[Presence.ABSENT]
            )
        )
    return out


def member_year(person: Person, year: int) -> Attendance | None:
    """One member's organisational life in the year (凡评必审 on his own page), or None for
    someone who is no party member."""
    if person.standing not in (Person.Standing.FULL, Person.Standing.PROBATIONARY):
        return None
    got: dict[str, int] = defaultdict(int)
    rows = MeetingAttendance.objects.filter(
        person=person, meeting__status=Status.HELD, meeting__held_on__year=year
    ).values_list("presence", flat=True)
    for presence in rows:
        got[presence] += 1
    return Attendance(
        person,
        sum(got.values()),
        got[Presence.PRESENT],
        got[Presence.LEAVE],
        got[Presence.ABSENT],
    )
