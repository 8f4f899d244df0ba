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
from .cultivation import case_open

MSG_BACKFILL_FORBIDDEN = gettext_noop("补录在途案卷须由乡镇党委或县委组织部办理。")


def check_may_backfill(actor, person: Person, branch: Organisation) -> None:
    """A case under way is entered by those over the branch: the township or the county."""
    probe = Case(person=person, branch=branch)
    if actor is not None and not (
        permissions.may_act(probe, actor, Role.TOWNSHIP)
        or permissions.may_act(probe, actor, Role.COUNTY)
    ):
        raise NotAllowed("backfill_forbidden", _(MSG_BACKFILL_FORBIDDEN))


@transaction.atomic
def case_enter_existing(
    *,
    actor,
    person: Person,
    branch: Organisation,
    applied_on: date,
    history: list[tuple[str, Callable[[int], Any]]],
) -> Case:
    """`history`: in order, each act's label and how it is performed on the new case (a
    step, a thought report or assessment, a material), each through the live service and
    its rules, with its original date. Everything or nothing: one refused act refuses the
    whole entry, naming the act."""

    check_may_backfill(actor, person, branch)
    name = getattr(getattr(actor, "person", None), "name", None) or getattr(
        actor, "username", "系统"
    )
    token = _entered_by.set(name)
    try:
        case = case_open(actor=None, person=person, branch=branch, applied_on=applied_on)
        for index, (label, perform) in enumerate(history, start=1):
            try:
                perform(case.pk)
            except ProcedureError as error:
                error.message = f"第{index}项（{label}）：{error.message}"
                raise
    finally:
        _entered_by.reset(token)
    return Case.objects.get(pk=case.pk)
