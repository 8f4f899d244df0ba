"""A member development case follows its person to his new branch (细则 第十二条: an
积极分子's cultivation carries over, no date or step reset; a 预备党员's probation goes on
and the new branch decides his 转正): from the first day he belongs there, the case is that
branch's, for its scope, its roles, its deadline rows and its lists; the acts before stay as
they were recorded, each naming who took it in which branch."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from procedures.people import scopes
from procedures.people.models import Organisation
from workflows import pipeline

from .. import deadlines
from ..models import Case
from ..steps import ENDED
from .base import CASES


@transaction.atomic
def cases_follow(*, person_id: int, to: Organisation, on: date, actor) -> None:
    """The person's open cases moved to the branch of `to` from the day after `on` (`on` is
    his last day in the old one). A move within one branch (a party group) moves none."""
    # A move goes to a branch or a party group: the branch itself, or the group's branch.
    branch = scopes.scope_root(to)
    open_cases = Case.objects.filter(person_id=person_id).exclude(status__in=ENDED)
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


def follow_moves(sender, *, person_id: int, to: Organisation, on: date, actor, **kwargs):
    """`people.history.moved`'s listener (connected in the app's ready)."""
    cases_follow(person_id=person_id, to=to, on=on, actor=actor)
