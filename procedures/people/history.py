"""Writes of a person's history (models.history): a move between organisations, a period not
counted in 应到会人数, a 党纪处分. Each locks the person, checks, writes once, audits on his
stream; a procedure that changes a person (a transfer, a 处置) calls these, never the rows."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows import pipeline
from workflows.errors import ProcedureError

from .models import Discipline, Membership, NotCounted, Organisation, Person
from .procedure import PEOPLE
from .services import _validated

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

# Sent in the move's own transaction (sender: Person; person_id, to, on, actor): what follows
# a person (a procedure's open file on him) moves with him there, or the move fails with it.
# `people` names no procedure; each follows him from its own AppConfig.ready.
moved = Signal()
# Sent before a move is made, and when one is being prepared (a transfer's letter issued)
# (sender: Person; person_id, to, on: the last day in the present organisation): a
# procedure that keeps something of the person that cannot go with him then (a probation
# run out and not yet decided) refuses the move by raising a ProcedureError with its reason.
moving = Signal()


def check_move(*, person_id: int, to: Organisation, on: date) -> None:
    """Whether a move of the person to `to` after `on` may be made: each procedure's
    refusal, raised; nothing is written."""
    moving.send(sender=Person, person_id=person_id, to=to, on=on)


MOVE_REASONS = (Membership.Reason.TRANSFERRED, Membership.Reason.REGROUPED)
MOVE_KINDS = (Organisation.Kind.VILLAGE_BRANCH, Organisation.Kind.PARTY_GROUP)


@transaction.atomic
def membership_move(
    *,
    actor,
    person: Person,
    to: Organisation,
    on: date,
    why: str = Membership.Reason.TRANSFERRED,
    dues_paid_to: date | None = None,
) -> Membership:
    """A member moved to `to` on `on` (a transfer accepted, a change of party group): `on`
    is the last day he belongs to his present organisation, the next day the first in
    `to` (条例 第二十五条: the sending organisation is responsible until he is received), so
    a meeting, a due and a count of that day or before stay as they were. `dues_paid_to`:
    the month his letter says his dues are paid to (the new branch counts from the next)."""
    person = pipeline.hold(PEOPLE, person.pk, None)
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
    check_move(person_id=person.pk, to=to, on=on)
    current.ends_on, current.ended_why = on, why
    current.save(update_fields=["ends_on", "ended_why"])
    opened = Membership.objects.create(
        person=person,
        organisation=to,
        starts_on=on + timedelta(days=1),
        started_why=why,
        dues_paid_to=dues_paid_to,
        recorded_by=actor,
    )
    Person.objects.filter(pk=person.pk).update(organisation=to)
    moved.send(sender=Person, person_id=person.pk, to=to, on=on, actor=actor)
    pipeline.logged(
        PEOPLE,
        person,
        "membership_moved",
        actor=actor,
        act_date=on,
        payload={
            "from": current.organisation_id,
            "to": to.pk,
            "why": why,
            **({"dues_paid_to": f"{dues_paid_to:%Y-%m}"} if dues_paid_to else {}),
        },
    )
    return opened


def _written(row, actor, action: str, act_date: date, payload: dict):
    """A history row saved and its event on the person's stream, in the caller's
    transaction."""
    row.save()
    pipeline.logged(PEOPLE, row.person, action, actor=actor, act_date=act_date, payload=payload)
    return row


def _member(person_id: int, message: str, *, lock: bool = True) -> Person:
    person = pipeline.hold(PEOPLE, person_id, None) if lock else Person.objects.get(pk=person_id)
    if person.standing not in (Person.Standing.FULL, Person.Standing.PROBATIONARY):
        raise ProcedureError("not_a_member", _(message))
    return person


def _not_counted(*, actor, person, kind, reason, starts_on, ends_on, lock) -> NotCounted:
    person = _member(person.pk, MSG_NOT_COUNTED_MEMBER, lock=lock)
    if starts_on > timezone.localdate():
        raise ProcedureError("future", _(MSG_FUTURE))
    row = NotCounted(
        person=person,
        kind=kind,
        reason=(reason or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _validated(row)
    last = ends_on or date.max
    others = NotCounted.objects.filter(person=person)
    for other in others.select_for_update() if lock else others:
        if other.starts_on <= last and starts_on <= (other.ends_on or date.max):
            raise ProcedureError(
                "not_counted_overlap",
                _(MSG_NOT_COUNTED_OVERLAP) % {"name": person.name, "start": other.starts_on},
            )
    return row


def not_counted_check(
    *, person: Person, kind: str, reason: str, starts_on: date, ends_on: date | None = None
) -> None:
    """What `not_counted_record` would refuse, without writing (a form says it first)."""
    _not_counted(
        actor=None,
        person=person,
        kind=kind,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        lock=False,
    )


@transaction.atomic
def not_counted_record(
    *, actor, person: Person, kind: str, reason: str, starts_on: date, ends_on: date | None = None
) -> NotCounted:
    """不计入应到会人数 from `starts_on` (to `ends_on`, or until ended): one of the kinds
    the rules name, with its reason; periods of one member never overlap."""
    row = _not_counted(
        actor=actor,
        person=person,
        kind=kind,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        lock=True,
    )
    payload = {"kind": kind, "reason": row.reason, "ends_on": ends_on}
    return _written(row, actor, "not_counted_recorded", starts_on, payload)


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
    pipeline.logged(
        PEOPLE,
        row.person,
        "not_counted_ended",
        actor=actor,
        act_date=ends_on,
        payload={"row": row.pk},
    )
    return row


def _discipline(*, actor, person, kind, decided_on, deciding_body, ends_on, matter, lock):
    person = _member(person.pk, MSG_DISCIPLINE_MEMBER, lock=lock)
    if decided_on > timezone.localdate():
        raise ProcedureError("future", _(MSG_FUTURE))
    row = Discipline(
        person=person,
        kind=kind,
        decided_on=decided_on,
        deciding_body=(deciding_body or "").strip(),
        ends_on=ends_on,
        matter=(matter or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    _validated(row)
    return row


def discipline_check(
    *,
    person: Person,
    kind: str,
    decided_on: date,
    deciding_body: str,
    ends_on: date | None = None,
    matter: str = "",
) -> None:
    """What `discipline_record` would refuse, without writing (a form says it first)."""
    _discipline(
        actor=None,
        person=person,
        kind=kind,
        decided_on=decided_on,
        deciding_body=deciding_body,
        ends_on=ends_on,
        matter=matter,
        lock=False,
    )


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
    row = _discipline(
        actor=actor,
        person=person,
        kind=kind,
        decided_on=decided_on,
        deciding_body=deciding_body,
        ends_on=ends_on,
        matter=matter,
        lock=True,
    )
    payload = {"kind": kind, "deciding_body": row.deciding_body, "ends_on": ends_on}
    return _written(row, actor, "discipline_recorded", decided_on, payload)
