"""A member development case follows its person to his new branch (细则 第十二条: an
积极分子's cultivation carries over, no date or step reset; a 预备党员's probation goes on
and the new branch decides his 转正): from the first day he belongs there, the case is that
branch's, for its scope, its roles, its deadline rows and its lists; the acts before stay as
they were recorded, each naming who took it in which branch."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import scopes
from procedures.people.models import Organisation
from workflows import pipeline
from workflows.errors import ProcedureError

from .. import deadlines
from ..models import Case
from ..steps import ENDED, Status
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


# A probation run out and not yet decided by the branch's 支部大会 (members-and-transfers.md
# T10: the sending branch decides first; the new branch decides a probation still running).
UNDECIDED = (
    Status.APPROVED,
    Status.ADMISSION_NOTIFIED,
    Status.FILED_UPPER,
    Status.GROUPED,
    Status.PROBATION,
    Status.CONVERSION_APPLIED,
    Status.CONVERSION_NOTICE,
)
MSG_PROBATION_ENDED = gettext_noop(
    "%(name)s的预备期已于%(ends)s届满，应由%(branch)s先讨论其能否转为正式党员，再转接组织关系。"
)


def probation_decided_first(sender, *, person_id: int, to: Organisation, on: date, **kwargs):
    """`people.history.moving`'s listener: a move to another branch after a probation has
    run out, before its branch's 支部大会 decided the 转正, is refused."""
    branch = scopes.scope_root(to)
    waiting = (
        Case.objects.filter(person_id=person_id, status__in=UNDECIDED, probation_ends_on__lte=on)
        .exclude(branch=branch)
        .select_related("person", "branch")
        .first()
    )
    if waiting is not None:
        raise ProcedureError(
            "probation_ended",
            _(MSG_PROBATION_ENDED)
            % {
                "name": waiting.person.name,
                "ends": f"{waiting.probation_ends_on:%Y-%m-%d}",
                "branch": waiting.branch.name,
            },
        )
