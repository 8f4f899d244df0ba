"""A member development case follows its person to his new branch (细则 第十二条: an
积极分子's cultivation carries over, no date or step reset; a 预备党员's probation goes on
and the new branch decides his 转正): from the first day he belongs there, the case is that
branch's, for its scope, its roles, its deadline rows and its lists; the acts before stay as
they were recorded, each naming who took it in which branch."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from procedures.people.models import Organisation
from workflows import pipeline

from .. import deadlines
from ..models import Case
from ..steps import Status
from .base import CASES

CLOSED = (Status.STOPPED, Status.CANCELLED, Status.ARCHIVED)


def branch_of(organisation: Organisation) -> Organisation:
    """The village branch an organisation is (a branch) or sits in (a party group)."""
    if organisation.kind == Organisation.Kind.PARTY_GROUP:
        return organisation.parent
    return organisation


@transaction.atomic
def cases_follow(*, person_id: int, to: Organisation, on: date, actor) -> list[Case]:
    """The person's open cases moved to the branch of `to` from the day after `on` (`on` is
    his last day in the old one). A move within one branch (a party group) moves none."""
    branch = branch_of(to)
    followed = []
    open_cases = Case.objects.filter(person_id=person_id).exclude(status__in=CLOSED)
    for pk in open_cases.values_list("pk", flat=True):
        case = pipeline.hold(CASES, pk, None)
        if case.branch_id == branch.pk:
            continue
        previous = case.branch_id
        case.branch = branch
        case.save(update_fields=["branch"])
        pipeline.logged(
            CASES,
            case,
            "branch_moved",
            actor=actor,
            act_date=on + timedelta(days=1),
            role="",  # the move's own event, on the person's stream, names who moved him
            payload={"from": previous, "to": branch.pk},
        )
        deadlines.sync(case)
        followed.append(case)
    return followed


def follow_moves(sender, *, person_id: int, to: Organisation, on: date, actor, **kwargs):
    """`people.history.moved`'s listener (connected in the app's ready)."""
    cases_follow(person_id=person_id, to=to, on=on, actor=actor)
