"""A case already under way when a county adopts Jiceng: opened at its application date and
its earlier steps entered with their dates, each checked by the same rules as a live step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.models import Organisation, Person
from workflows.errors import NotAllowed, ProcedureError

from .. import permissions
from ..models import Case
from ..steps import Role
from .base import _entered_by

MSG_BACKFILL_FORBIDDEN = gettext_noop("补录在途案卷须由乡镇党委或县委组织部办理。")
MSG_UNKNOWN_STEP = gettext_noop("第%(index)d项：未知的步骤“%(step)s”。")


@transaction.atomic
def case_enter_existing(
    *,
    actor,
    person: Person,
    branch: Organisation,
    applied_on: date,
    history: list[tuple[str, dict[str, Any]]],
    perform: dict[str, Callable[..., Case]],
) -> Case:
    """`history`: (step, its arguments) in order; `perform` maps a step to its service.
    Everything or nothing: one refused step refuses the whole entry, naming the step."""
    from .cultivation import case_open

    probe = Case(person=person, branch=branch)
    if actor is not None and not (
        permissions.may_act(probe, actor, Role.TOWNSHIP)
        or permissions.may_act(probe, actor, Role.COUNTY)
    ):
        raise NotAllowed("backfill_forbidden", _(MSG_BACKFILL_FORBIDDEN))
    name = getattr(getattr(actor, "person", None), "name", None) or getattr(
        actor, "username", "系统"
    )
    token = _entered_by.set(name)
    try:
        case = case_open(actor=None, person=person, branch=branch, applied_on=applied_on)
        for index, (step, arguments) in enumerate(history, start=1):
            if step not in perform:
                raise ProcedureError(
                    "unknown_step", _(MSG_UNKNOWN_STEP) % {"index": index, "step": step}
                )
            try:
                perform[step](case_id=case.pk, actor=None, **arguments)
            except ProcedureError as error:
                error.message = f"第{index}项（{step}）：{error.message}"
                raise
    finally:
        _entered_by.reset(token)
    return Case.objects.get(pk=case.pk)
