"""Writes of organisations, people and positions: validate, save, audit, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows import pipeline
from workflows.errors import ProcedureError

from .models import (
    Household,
    Membership,
    Organisation,
    Person,
    Position,
    new_read_code,
)
from .procedure import HOUSEHOLDS, ORGANISATIONS, PEOPLE

MSG_INVALID = gettext_noop("填写的信息有误：%(details)s")
MSG_POSITION_END_BEFORE_START = gettext_noop("离任日期不能早于任职日期。")
MSG_ROLL_DATE_FUTURE = gettext_noop("党龄起算日（转正日期）不能晚于今天。")
MSG_ROLL_DATE_YOUNG = gettext_noop(
    "党龄起算日（转正日期）早于年满%(age)s周岁之日：年满十八周岁方可入党，预备期一年。"
)
MIN_AGE_ON_CONVERSION = 19


def _validated(instance: Any) -> None:
    # A protected state field cannot be re-assigned, not even by full_clean's field cleaning.
    protected = [f.name for f in instance._meta.fields if getattr(f, "protected", False)]
    try:
        instance.full_clean(exclude=protected)
    except ValidationError as error:
        details = "；".join(
            str(message) for messages in error.message_dict.values() for message in messages
        )
        raise ProcedureError(
            "invalid", _(MSG_INVALID) % {"details": details}, extra={"fields": error.message_dict}
        ) from None


@transaction.atomic
def organisation_create(*, actor, name: str, kind: str, parent=None, village=None) -> Organisation:
    organisation = Organisation(name=name, kind=kind, parent=parent, village=village)
    _validated(organisation)
    organisation.save()
    pipeline.logged(
        ORGANISATIONS,
        organisation,
        "organisation_created",
        actor=actor,
        payload={"name": name, "kind": kind, "parent": getattr(parent, "pk", None)},
    )
    return organisation


@transaction.atomic
def person_register(
    *, actor, role: str = "", full_member_since: date | None = None, **fields: Any
) -> Person:
    """Register a person as 群众. The party standing is changed only by the procedures, but
    for a member who joined before the county adopted Jiceng (`full_member_since`: his
    党龄起算日 on the county's roll), registered a full member from that day."""
    fields.pop("standing", None)
    person = Person(**fields)
    _validated(person)
    payload = {"name": person.name, "organisation": person.organisation_id}
    if full_member_since is not None:
        _check_roll_date(person, full_member_since)
        person.enrol_from_roll(full_member_since)
        payload["full_member_since"] = full_member_since.isoformat()
    person.save()
    # Registered where he is now, since before the county's records (the day he came to
    # this organisation is not what a registration knows); a move later is a transfer.
    Membership.objects.create(
        person=person,
        organisation=person.organisation,
        started_why=Membership.Reason.BEFORE_RECORDS,
        recorded_by=actor,
    )
    pipeline.logged(PEOPLE, person, "person_registered", actor=actor, role=role, payload=payload)
    return person


def _check_roll_date(person: Person, since: date) -> None:
    """A 党龄起算日 is a conversion's day: not to come, and a year of probation after an
    admission at eighteen at the earliest."""
    if since > timezone.localdate():
        raise ProcedureError(
            "roll_date_future",
            _(MSG_ROLL_DATE_FUTURE),
            extra={"fields": {"full_member_since": [_(MSG_ROLL_DATE_FUTURE)]}},
        )
    if person.birth_date and person.age_on(since) < MIN_AGE_ON_CONVERSION:
        message = _(MSG_ROLL_DATE_YOUNG) % {"age": MIN_AGE_ON_CONVERSION}
        raise ProcedureError(
            "roll_date_young", message, extra={"fields": {"full_member_since": [message]}}
        )


@transaction.atomic
def position_assign(
    *,
    actor,
    person: Person,
    organisation: Organisation,
    title: str,
    start_date: date,
    end_date: date | None = None,
) -> Position:
    position = Position(
        person=person,
        organisation=organisation,
        title=title,
        start_date=start_date,
        end_date=end_date,
    )
    _validated(position)
    position.save()
    pipeline.logged(
        PEOPLE,
        person,
        "position_assigned",
        actor=actor,
        act_date=start_date,
        payload={"organisation": organisation.pk, "title": title, "end_date": end_date},
    )
    return position


@transaction.atomic
def position_end(*, actor, position: Position, end_date: date) -> Position:
    position = Position.objects.select_for_update().get(pk=position.pk)
    if end_date < position.start_date:
        raise ProcedureError("position_end_before_start", _(MSG_POSITION_END_BEFORE_START))
    position.end_date = end_date
    position.save(update_fields=["end_date"])
    pipeline.logged(
        PEOPLE,
        position.person,
        "position_ended",
        actor=actor,
        act_date=end_date,
        payload={"position": position.pk, "title": position.title},
    )
    return position


@transaction.atomic
def household_code_reissue(*, actor, household: Household) -> Household:
    """A household's code (户码) made anew, as when its 明白纸 was lost or the code leaked:
    the township and the county may do it without reading either code; the audit keeps who
    and when, never the code."""
    household = pipeline.hold(HOUSEHOLDS, household.pk, None)
    old, household.read_code = household.read_code, new_read_code()
    while household.read_code == old:  # the old code stops working, always
        household.read_code = new_read_code()
    household.save(update_fields=["read_code"])
    pipeline.logged(
        HOUSEHOLDS,
        household,
        "household_code_reissued",
        actor=actor,
        payload={"household": household.pk, "village": household.village_id},
    )
    return household
