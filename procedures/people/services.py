"""Writes of organisations, people and positions: validate, save, audit, in one transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows.audit import record_event, stream_of
from workflows.errors import ProcedureError

from .models import (
    Discipline,
    Household,
    Membership,
    NotCounted,
    Organisation,
    Person,
    Position,
    new_read_code,
)

MSG_INVALID = gettext_noop("填写的信息有误：%(details)s")
MSG_POSITION_END_BEFORE_START = gettext_noop("离任日期不能早于任职日期。")
MSG_ROLL_DATE_FUTURE = gettext_noop("党龄起算日（转正日期）不能晚于今天。")
MSG_ROLL_DATE_YOUNG = gettext_noop(
    "党龄起算日（转正日期）早于年满%(age)s周岁之日：年满十八周岁方可入党，预备期一年。"
)
MIN_AGE_ON_CONVERSION = 19
MSG_MOVE_SAME = gettext_noop("%(name)s现已在%(organisation)s，无需转接。")
MSG_MOVE_KIND = gettext_noop("只能转入党支部或党小组。")
MSG_MOVE_FUTURE = gettext_noop("转接日期不能晚于今天。")
MSG_MOVE_BEFORE_START = gettext_noop(
    "转接日期不能早于%(name)s转入现组织的日期（%(since)s）：以往的所属组织已有记录。"
)
MSG_MOVE_REASON = gettext_noop("请选择转接的原因。")
MSG_NOT_COUNTED_MEMBER = gettext_noop("只有党员才登记不计入应到会人数。")
MSG_NOT_COUNTED_OVERLAP = gettext_noop(
    "%(name)s在%(start)s起已有不计入应到会人数的记录，与本次的日期重叠，请先结束那一条。"
)
MSG_NOT_COUNTED_END = gettext_noop("结束日期不能早于起始日期（%(start)s）。")
MSG_NOT_COUNTED_ENDED = gettext_noop("这条记录已于%(end)s结束。")
MSG_FUTURE = gettext_noop("日期不能晚于今天。")
MSG_DISCIPLINE_MEMBER = gettext_noop("只有党员才登记党纪处分。")


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
    record_event(
        stream=stream_of(organisation),
        action="organisation_created",
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
    record_event(
        stream=stream_of(person), action="person_registered", actor=actor, role=role,
        payload=payload,
    )  # fmt: skip
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
    record_event(
        stream=stream_of(person),
        action="position_assigned",
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
    record_event(
        stream=stream_of(position.person),
        action="position_ended",
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
    household = Household.objects.select_for_update().get(pk=household.pk)
    old, household.read_code = household.read_code, new_read_code()
    while household.read_code == old:  # the old code stops working, always
        household.read_code = new_read_code()
    household.save(update_fields=["read_code"])
    record_event(
        stream=stream_of(household),
        action="household_code_reissued",
        actor=actor,
        payload={"household": household.pk, "village": household.village_id},
    )
    return household


# A person's history: where he belongs, and when he is not counted or under discipline.

MOVE_REASONS = (Membership.Reason.TRANSFERRED, Membership.Reason.REGROUPED)
MOVE_KINDS = (Organisation.Kind.VILLAGE_BRANCH, Organisation.Kind.PARTY_GROUP)


@transaction.atomic
def membership_move(
    *, actor, person: Person, to: Organisation, on: date, why: str = Membership.Reason.TRANSFERRED
) -> Membership:
    """A member moved to `to` on `on` (a transfer accepted, a change of party group): `on`
    is the last day he belongs to his present organisation, the next day the first in
    `to` (条例 第二十五条: the sending organisation is responsible until he is received), so
    a meeting, a due and a count of that day or before stay as they were."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    current = Membership.objects.select_for_update().get(person=person, ends_on__isnull=True)
    if why not in MOVE_REASONS:
        raise ProcedureError("move_reason", _(MSG_MOVE_REASON))
    if to.kind not in MOVE_KINDS:
        raise ProcedureError("move_kind", _(MSG_MOVE_KIND))
    if to.pk == current.organisation_id:
        raise ProcedureError(
            "move_same", _(MSG_MOVE_SAME) % {"name": person.name, "organisation": to.name}
        )
    if on > timezone.localdate():
        raise ProcedureError("move_future", _(MSG_MOVE_FUTURE))
    if current.starts_on is not None and on < current.starts_on:
        raise ProcedureError(
            "move_before_start",
            _(MSG_MOVE_BEFORE_START) % {"name": person.name, "since": current.starts_on},
        )
    current.ends_on, current.ended_why = on, why
    current.save(update_fields=["ends_on", "ended_why"])
    opened = Membership.objects.create(
        person=person,
        organisation=to,
        starts_on=on + timedelta(days=1),
        started_why=why,
        recorded_by=actor,
    )
    Person.objects.filter(pk=person.pk).update(organisation=to)
    record_event(
        stream=stream_of(person),
        action="membership_moved",
        actor=actor,
        act_date=on,
        payload={"from": current.organisation_id, "to": to.pk, "why": why},
    )
    return opened


def _member(person_id: int, message: str) -> Person:
    person = Person.objects.select_for_update().get(pk=person_id)
    if person.standing not in (Person.Standing.FULL, Person.Standing.PROBATIONARY):
        raise ProcedureError("not_a_member", _(message))
    return person


@transaction.atomic
def not_counted_record(
    *, actor, person: Person, kind: str, reason: str, starts_on: date, ends_on: date | None = None
) -> NotCounted:
    """不计入应到会人数 from `starts_on` (to `ends_on`, or until ended): one of the kinds
    the rules name, with its reason; periods of one member never overlap."""
    person = _member(person.pk, MSG_NOT_COUNTED_MEMBER)
    if starts_on > timezone.localdate():
        raise ProcedureError("future", _(MSG_FUTURE))
    row = NotCounted(
        person=person,
        kind=kind,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor,
    )
    _validated(row)
    last = ends_on or date.max
    for other in NotCounted.objects.select_for_update().filter(person=person):
        if other.starts_on <= last and starts_on <= (other.ends_on or date.max):
            raise ProcedureError(
                "not_counted_overlap",
                _(MSG_NOT_COUNTED_OVERLAP) % {"name": person.name, "start": other.starts_on},
            )
    row.save()
    record_event(
        stream=stream_of(person),
        action="not_counted_recorded",
        actor=actor,
        act_date=starts_on,
        payload={"kind": kind, "reason": row.reason, "ends_on": ends_on},
    )
    return row


@transaction.atomic
def not_counted_end(*, actor, row: NotCounted, ends_on: date) -> NotCounted:
    """An open period ended (he is back, or reachable again): `ends_on` is its last day."""
    row = NotCounted.objects.select_for_update().get(pk=row.pk)
    if row.ends_on is not None:
        raise ProcedureError("ended", _(MSG_NOT_COUNTED_ENDED) % {"end": row.ends_on})
    if ends_on < row.starts_on:
        raise ProcedureError("end_before_start", _(MSG_NOT_COUNTED_END) % {"start": row.starts_on})
    if ends_on > timezone.localdate():
        raise ProcedureError("future", _(MSG_FUTURE))
    row.ends_on = ends_on
    row.save(update_fields=["ends_on"])
    record_event(
        stream=stream_of(row.person),
        action="not_counted_ended",
        actor=actor,
        act_date=ends_on,
        payload={"row": row.pk},
    )
    return row


@transaction.atomic
def discipline_record(
    *,
    actor,
    person: Person,
    kind: str,
    decided_on: date,
    deciding_body: str,
    ends_on: date | None = None,
    matter: str = "",
) -> Discipline:
    """A 党纪处分 as decided (by the 纪委 or party committee that decided it: Jiceng records
    the decision, it does not take it). A 留党察看 names its last day."""
    person = _member(person.pk, MSG_DISCIPLINE_MEMBER)
    if decided_on > timezone.localdate():
        raise ProcedureError("future", _(MSG_FUTURE))
    row = Discipline(
        person=person,
        kind=kind,
        decided_on=decided_on,
        deciding_body=deciding_body.strip(),
        ends_on=ends_on,
        matter=matter.strip(),
        recorded_by=actor,
    )
    _validated(row)
    row.save()
    record_event(
        stream=stream_of(person),
        action="discipline_recorded",
        actor=actor,
        act_date=decided_on,
        payload={"kind": kind, "deciding_body": row.deciding_body, "ends_on": ends_on},
    )
    return row
