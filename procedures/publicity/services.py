"""Writes of notices and objections: lock, check, transition, save, audit, then on_commit.

`actor=None` is the system itself (the demo loader, beat tasks): permission checks apply to
every user, and views always pass `request.user`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.models import Village
from workflows import locks, notices, pipeline
from workflows.errors import Conflict, NotAllowed, ProcedureError
from workflows.notices import Finding, NoticeStatus, ObjectionStatus, Period
from workflows.privacy import redact

from . import policy
from .kinds import KINDS
from .models import Notice, Objection
from .procedure import NOTICES, OBJECTIONS

# Domain events, sent after commit. Procedures subscribe to `objection_upheld` to stop the
# case the notice is about; notifications subscribe to both.
notice_published = Signal()
objection_upheld = Signal()
# Anything a public page shows has changed (a notice, its status, its objections): the
# portal forgets its cached pages.
public_changed = Signal()


def announce_public_change() -> None:
    transaction.on_commit(lambda: public_changed.send(sender=Notice))


MSG_UNKNOWN_KIND = gettext_noop("未知的公示类型：%(kind)s。")
MSG_FIELD_NOT_PUBLIC = gettext_noop("“%(field)s”不属于该类公示可以公开的内容。")
MSG_PERSONAL_DATA = gettext_noop("公示内容不能包含身份证号码或手机号码（“%(field)s”）。")
MSG_NOT_ALLOWED = gettext_noop("您不能管理该村的公示。")
MSG_NOT_DRAFT = gettext_noop("只有草稿状态的公示可以发布。")
MSG_CANNOT_WITHDRAW = gettext_noop("只有草稿或公示中的公示可以撤回。")
MSG_REASON_REQUIRED = gettext_noop("撤回公示必须说明原因。")
MSG_PUBLISH_DATE = gettext_noop("发布日期不能早于今天。")
MSG_CLOSED_FOR_OBJECTIONS = gettext_noop("该公示不在公示期内，不能再反映问题。")
MSG_TEXT_LENGTH = gettext_noop("反映内容需要%(min)d到%(max)d个字。")
MSG_NAME_LENGTH = gettext_noop("姓名不能超过%(max)d个字。")
MSG_PHONE = gettext_noop("联系电话格式不正确：请填写11位手机号码或带区号的固定电话，也可以不填。")
MSG_RATE_LIMITED = gettext_noop(
    "您提交得太频繁了，请%(minutes)d分钟后再试。如情况紧急，请直接到乡镇党委反映。"
)
MSG_NOT_VERIFIER = gettext_noop("反映问题由乡镇党委核查，您不能办理。")
MSG_ALREADY_RESOLVED = gettext_noop("该反映已经办结，不能重复办理。")
MSG_FINDING_REQUIRED = gettext_noop("请选择核查结论（属实、不属实或部分属实）并填写说明。")
MSG_NOTE_REQUIRED = gettext_noop("请填写核查情况。")
MSG_NOT_VERIFYING = gettext_noop("该反映已在核查中或已办结。")

TEXT_MIN, TEXT_MAX = 5, 1000
NAME_MAX = 20
RATE_WINDOW = timedelta(minutes=10)
RATE_PER_CLIENT = 5  # one browser
RATE_PER_NETWORK = 30  # one address: villagers often share a carrier's address
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_public_fields(kind_key: str, values: Mapping[str, object]) -> list[list[str]]:
    kind = KINDS.get(kind_key)
    if kind is None:
        raise ProcedureError("unknown_notice_kind", _(MSG_UNKNOWN_KIND) % {"kind": kind_key})
    labels = kind.labels()
    for key in values:
        if key not in labels:
            raise ProcedureError("field_not_public", _(MSG_FIELD_NOT_PUBLIC) % {"field": key})
    cleaned = []
    for key, label in kind.fields:
        if key not in values or values[key] in (None, ""):
            continue
        value = str(values[key]).strip()
        if redact(value) != value:
            raise ProcedureError("personal_data_in_notice", _(MSG_PERSONAL_DATA) % {"field": label})
        cleaned.append([str(label), value])
    return cleaned


@transaction.atomic
def notice_draft(
    *,
    actor,
    village: Village,
    kind: str,
    fields: Mapping[str, object],
    issuer: str,
    subject=None,
    title: str | None = None,
    period: Period | None = None,
) -> Notice:
    if actor is not None and not policy.may_manage_notices(actor, village):
        raise NotAllowed("notice_forbidden", _(MSG_NOT_ALLOWED))
    public_fields = _clean_public_fields(kind, fields)
    spec = KINDS[kind]
    period = period or spec.period
    notice = Notice(
        village=village,
        kind=kind,
        title=title or f"{village.name}{spec.label}",
        public_fields=public_fields,
        body=str(spec.body),
        period_length=period.length,
        period_unit=period.unit,
        count_publish_day=period.count_publish_day,
        issuer=issuer,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if subject is not None:
        notice.subject_type = ContentType.objects.get_for_model(subject)
        notice.subject_id = subject.pk
    notice.save()
    pipeline.started(
        NOTICES,
        notice,
        "draft",
        actor=actor,
        act_date=timezone.localdate(),
        payload={"kind": kind, "village": village.pk, "title": notice.title},
    )
    return notice


@transaction.atomic
def notice_publish(*, actor, notice: Notice, published_on: date | None = None) -> Notice:
    notice = pipeline.hold(NOTICES, notice.pk, actor)
    today = timezone.localdate()
    published_on = published_on or today
    if actor is not None and not policy.may_manage_notices(actor, notice.village):
        raise NotAllowed("notice_forbidden", _(MSG_NOT_ALLOWED))
    if notice.status != NoticeStatus.DRAFT:
        raise Conflict("notice_not_draft", _(MSG_NOT_DRAFT))
    if actor is not None and published_on < today:
        raise ProcedureError("publish_in_past", _(MSG_PUBLISH_DATE))
    pipeline.finish(
        NOTICES, notice, "publish", actor=actor, act_date=published_on,
        kwargs={"published_on": published_on},
    )  # fmt: skip
    transaction.on_commit(lambda: notice_published.send(sender=Notice, notice_id=notice.pk))
    announce_public_change()
    return notice


@transaction.atomic
def notice_withdraw(*, actor, notice: Notice, reason: str) -> Notice:
    notice = pipeline.hold(NOTICES, notice.pk, actor)
    if actor is not None and not policy.may_manage_notices(actor, notice.village):
        raise NotAllowed("notice_forbidden", _(MSG_NOT_ALLOWED))
    reason = (reason or "").strip()
    if not reason:
        raise ProcedureError("withdraw_reason_required", _(MSG_REASON_REQUIRED))
    if notice.status not in (NoticeStatus.DRAFT, NoticeStatus.PUBLISHED):
        raise Conflict("notice_cannot_withdraw", _(MSG_CANNOT_WITHDRAW))
    today = timezone.localdate()
    pipeline.finish(
        NOTICES, notice, "withdraw", actor=actor, act_date=today, data={"reason": reason},
        kwargs={"withdrawn_on": today, "reason": reason[:300]},
    )  # fmt: skip
    announce_public_change()
    return notice


def notices_close_due(*, today: date | None = None) -> int:
    """Close every published notice whose period has ended. Idempotent; one row at a time so
    a long sweep never holds many locks."""
    today = today or timezone.localdate()
    closed = 0
    due = Notice.objects.filter(status=NoticeStatus.PUBLISHED, ends_on__lt=today)
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            notice = pipeline.hold(NOTICES, pk, None)
            if not notice.is_due_to_close(today):
                continue  # someone else closed or withdrew it meanwhile
            pipeline.finish(
                NOTICES, notice, "close", actor=None, act_date=today,
                kwargs={"closed_on": notice.ends_on + timedelta(days=1)},
            )  # fmt: skip
            announce_public_change()
            closed += 1
    return closed


def notice_gate(*, notice: Notice, citation=None, today: date | None = None) -> None:
    """Refuse (409) unless the step that needs this notice may go ahead. Only reads: a
    notice whose period is over counts as over on `today` even before the sweep closes it
    (closing notices, every one of them, is the sweep's job)."""
    notices.gate(
        notice, list(notice.objections.all()), citation=citation, on=today or timezone.localdate()
    )


@transaction.atomic
def objection_submit(
    *,
    notice_id: int,
    text: str,
    name: str = "",
    phone: str = "",
    client_key: str,
    network_key: str = "",
    now: datetime | None = None,
) -> Objection:
    now = now or timezone.now()
    text = _CONTROL_RE.sub("", text or "").strip()
    name = _CONTROL_RE.sub("", name or "").strip()
    phone = re.sub(r"[\s]", "", phone or "")
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise ProcedureError(
            "objection_text_length", _(MSG_TEXT_LENGTH) % {"min": TEXT_MIN, "max": TEXT_MAX}
        )
    if len(name) > NAME_MAX:
        raise ProcedureError("objection_name_length", _(MSG_NAME_LENGTH) % {"max": NAME_MAX})
    if phone and not _PHONE_RE.match(phone):
        raise ProcedureError("objection_phone", _(MSG_PHONE))
    # Count and store one request at a time per browser and per network: counted apart,
    # ten requests at once all saw four earlier ones and all went through.
    locks.hold(f"objection:client:{client_key}", f"objection:network:{network_key}")
    since = now - RATE_WINDOW
    by_client = Objection.objects.filter(client_key=client_key, received_at__gt=since)
    by_network = Objection.objects.filter(network_key=network_key, received_at__gt=since)
    if by_client.count() >= RATE_PER_CLIENT or (
        network_key and by_network.count() >= RATE_PER_NETWORK
    ):
        raise ProcedureError(
            "objection_rate_limited",
            _(MSG_RATE_LIMITED) % {"minutes": int(RATE_WINDOW.total_seconds() // 60)},
            status=429,
        )
    notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
    if notice is None or not notice.accepts_objections(timezone.localdate(now)):
        raise Conflict("objection_closed", _(MSG_CLOSED_FOR_OBJECTIONS))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                objection = Objection.objects.create(
                    notice=notice,
                    receipt=notices.new_receipt(),
                    text=text,
                    name=name,
                    phone=phone,
                    client_key=client_key,
                    network_key=network_key,
                    received_at=now,
                )
            break
        except IntegrityError:  # a receipt number drawn twice: draw again
            continue
    else:
        raise RuntimeError("could not draw a unique receipt number")
    pipeline.started(
        OBJECTIONS,
        objection,
        "receive",
        actor=None,
        act_date=timezone.localdate(now),
    )
    announce_public_change()
    return objection


def _locked_objection(objection: Objection) -> Objection:
    return pipeline.hold(OBJECTIONS, objection.pk, None)  # the verifier's check is the service's


@transaction.atomic
def objection_start_verification(*, actor, objection: Objection, note: str) -> Objection:
    objection = _locked_objection(objection)
    if actor is not None and not policy.may_verify_objections(actor, objection.notice.village):
        raise NotAllowed("objection_forbidden", _(MSG_NOT_VERIFIER))
    note = (note or "").strip()
    if not note:
        raise ProcedureError("verification_note_required", _(MSG_NOTE_REQUIRED))
    if objection.status != ObjectionStatus.RECEIVED:
        raise Conflict("objection_not_received", _(MSG_NOT_VERIFYING))
    pipeline.finish(
        OBJECTIONS,
        objection,
        "start_verification",
        actor=actor,
        act_date=timezone.localdate(),
        kwargs={"note": note},
    )
    announce_public_change()
    return objection


@transaction.atomic
def objection_resolve(
    *, actor, objection: Objection, finding: str, explanation: str, resolved_on: date | None = None
) -> Objection:
    objection = _locked_objection(objection)
    if actor is not None and not policy.may_verify_objections(actor, objection.notice.village):
        raise NotAllowed("objection_forbidden", _(MSG_NOT_VERIFIER))
    explanation = (explanation or "").strip()
    if finding not in Finding.values or not explanation:
        raise ProcedureError("finding_required", _(MSG_FINDING_REQUIRED))
    if objection.status == ObjectionStatus.RESOLVED:
        raise Conflict("objection_resolved", _(MSG_ALREADY_RESOLVED))
    resolved_on = resolved_on or timezone.localdate()
    pipeline.finish(
        OBJECTIONS,
        objection,
        "resolve",
        actor=actor,
        act_date=resolved_on,
        kwargs={"finding": finding, "explanation": explanation, "resolved_on": resolved_on},
        data={"finding": finding},
    )
    announce_public_change()
    if finding == Finding.UPHELD:
        notice = objection.notice
        transaction.on_commit(
            lambda: objection_upheld.send(
                sender=Notice,
                notice_id=notice.pk,
                subject_type_id=notice.subject_type_id,
                subject_id=notice.subject_id,
            )
        )
    return objection
