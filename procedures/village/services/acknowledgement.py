"""一知晓: households known to have read a matter's result, and how that is known (the code
on the household's 明白纸, a village cadre's visit, or a self-report on the portal)."""

from __future__ import annotations

import hmac
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.models import Household
from procedures.publicity import services as publicity
from workflows import pipeline, ratelimit
from workflows.errors import Conflict, ProcedureError

from ..models import Matter, ReadReceipt
from ..steps import READABLE
from .matters import MATTERS, MSG_HOUSEHOLD, MSG_NOT_READABLE, _check_date, hold

MSG_ALREADY_READ = gettext_noop("您家已经确认知晓，谢谢。")
MSG_READ_CODE = gettext_noop(
    "户码不对。户码是村里送到您家的明白纸上的6位数字；没有明白纸的，可以不填户码（记为自报）。"
)
MSG_READ_LIMITED = gettext_noop("提交次数过多，请%(minutes)d分钟后再试。")
MSG_VISIT_HOUSEHOLDS = gettext_noop("请选择本村已入户告知的户。")
READ_WINDOW = timedelta(minutes=10)
READ_PER_CLIENT = 10
READ_PER_NETWORK = 60


def matter_read(
    *,
    matter_id: int,
    household_number: str,
    code: str = "",
    client_key: str,
    network_key: str = "",
    now: datetime | None = None,
) -> ReadReceipt:
    """A household says on the portal that it has read the result (no login). With the code
    from its 明白纸 the receipt is evidence (凭户码确认); without, it is kept as a self-report
    (自报). Every attempt, a wrong code too, counts against the browser's and the network's
    limit first, so codes cannot be tried one after another."""
    allowed = ratelimit.take(
        ratelimit.Limit(f"read:client:{client_key}", READ_PER_CLIENT, READ_WINDOW),
        ratelimit.Limit(
            f"read:network:{network_key}" if network_key else "", READ_PER_NETWORK, READ_WINDOW
        ),
        now=now,
    )
    if not allowed:
        minutes = int(READ_WINDOW.total_seconds() // 60)
        raise ProcedureError(
            "read_rate_limited", _(MSG_READ_LIMITED) % {"minutes": minutes}, status=429
        )
    return _record_read(matter_id=matter_id, household_number=household_number, code=code)


@transaction.atomic
def _record_read(*, matter_id: int, household_number: str, code: str) -> ReadReceipt:
    matter = Matter.objects.select_related("village").filter(pk=matter_id).first()
    if matter is None or matter.status not in READABLE:
        raise Conflict("not_readable", _(MSG_NOT_READABLE))
    number = (household_number or "").strip()[:30]
    household = Household.objects.filter(village=matter.village, number=number).first()
    if household is None:
        raise ProcedureError("household_unknown", _(MSG_HOUSEHOLD) % {"number": number})
    code = "".join((code or "").split())[:12]
    if code and not hmac.compare_digest(code, household.read_code):
        raise ProcedureError("read_code_wrong", _(MSG_READ_CODE))
    how = ReadReceipt.How.CODE if code else ReadReceipt.How.SELF
    receipt = _acknowledge_household(matter, household, how, actor=None)
    publicity.announce_public_change()  # the result's page counts the households
    return receipt


def _acknowledge_household(
    matter: Matter, household: Household, how: str, *, actor, on: date | None = None
):
    """Record a household's 知晓, or strengthen a self-report with evidence (a code, a
    visit); the same or weaker evidence again is refused as already known. `on`: the day
    a cadre told the household (a visit entered later), kept as the event's act date."""
    existing = (
        ReadReceipt.objects.select_for_update().filter(matter=matter, household=household).first()
    )
    if existing is not None:
        if existing.how != ReadReceipt.How.SELF or how == ReadReceipt.How.SELF:
            raise Conflict("already_read", _(MSG_ALREADY_READ))
        existing.how = how
        existing.recorded_by = actor if getattr(actor, "pk", None) else None
        existing.save(update_fields=["how", "recorded_by"])
        receipt = existing
    else:
        try:
            with transaction.atomic():
                receipt = ReadReceipt.objects.create(
                    matter=matter,
                    household=household,
                    how=how,
                    recorded_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError:
            raise Conflict("already_read", _(MSG_ALREADY_READ)) from None
    pipeline.logged(
        MATTERS,
        matter,
        "household_read",
        actor=actor,
        act_date=on,
        role=None if actor is not None else "",  # a villager's own word names no role
        payload={"household": household.number, "how": how},
    )
    return receipt


@transaction.atomic
def matter_record_visits(*, matter_id: int, actor, household_ids: list[int], on: date) -> Matter:
    """村干部入户告知: the households a village cadre told of the result in person."""
    matter = hold(matter_id, actor)
    if matter.status not in READABLE:
        raise Conflict("not_readable", _(MSG_NOT_READABLE))
    _check_date(on)
    households = list(Household.objects.filter(village=matter.village, pk__in=set(household_ids)))
    if not households or len(households) != len(set(household_ids)):
        raise ProcedureError("households_required", _(MSG_VISIT_HOUSEHOLDS))
    for household in households:
        try:
            with transaction.atomic():
                _acknowledge_household(matter, household, ReadReceipt.How.VISIT, actor=actor, on=on)
        except Conflict:
            continue  # already known by code or visit: nothing to add
    publicity.announce_public_change()
    return matter
