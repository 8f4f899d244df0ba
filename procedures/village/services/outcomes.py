"""What follows the decision: 公开 of the resolution, the progress of its 实施, the 结果公开 and its
知晓, the 归档, and the matter's exits (不予受理, 撤回)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.publicity import services as publicity
from procedures.publicity.kinds import chinese_date
from workflows import calendar, pipeline
from workflows.errors import ProcedureError

from .. import deadlines as matter_deadlines
from ..models import (
    Acknowledgement,
    Matter,
    MatterMeeting,
    Progress,
)
from ..steps import (
    Step,
)
from . import corrections
from .matters import (
    MATTERS,
    MSG_CHANNELS,
    MSG_COMPLETED_LATER,
    MSG_NOTHING,
    MSG_REASON,
    _check_date,
)


def _resolution_meeting(matter: Matter) -> MatterMeeting:
    """The 决议 that stands (not undone by a return or withdrawal)."""
    return corrections.acts(matter)[Step.RESOLVE].meeting


@transaction.atomic
def matter_publish_resolution(*, matter_id: int, actor, published_on: date | None = None):
    """一公开: the decision published in full on the village board (and the portal)."""
    matter = pipeline.begin(MATTERS, matter_id, "publish_resolution", actor)
    published_on = published_on or timezone.localdate()
    _check_date(published_on)
    meeting = _resolution_meeting(matter)
    rulebook = matter_deadlines.rulebook_of(matter)
    days = rulebook.param("publish_promptly", "days")
    due = calendar.add_workdays(matter.decided_on, days, count_start=False).value
    late = rulebook.require(rulebook.check("publish_promptly", late=published_on > due))
    notice = publicity.notice_draft(
        actor=None,
        village=matter.village,
        kind="resolution",
        subject=matter,
        issuer=f"{matter.village.name}村民委员会",
        title=f"{matter.village.name}关于{matter.title}的决议公开",
        fields={
            "matter": matter.title,
            "meeting": meeting.get_kind_display(),
            "decided_on": chinese_date(matter.decided_on),
            "attendance": f"应到{meeting.should_attend}人，实到{meeting.attended}人",
            "votes": f"同意{meeting.yes}，不同意{meeting.no}，弃权{meeting.abstain}",
            "decision": matter.decision or meeting.outcome,
        },
    )
    publicity.notice_publish(actor=None, notice=notice, published_on=published_on)
    pipeline.finish(
        MATTERS,
        matter,
        "publish_resolution",
        actor=actor,
        act_date=published_on,
        data={"notice": notice.pk, "late": [v.as_dict() for v in late]},
    )
    return matter


@transaction.atomic
def matter_record_progress(*, matter_id: int, actor, on: date, text: str) -> Matter:
    """实施: how the implementation goes."""
    matter = pipeline.begin(MATTERS, matter_id, "record_progress", actor)
    _check_date(on)
    if not (text or "").strip():
        raise ProcedureError("text_required", _(MSG_NOTHING))
    Progress.objects.create(
        matter=matter,
        on=on,
        text=text.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    pipeline.finish(
        MATTERS, matter, "record_progress", actor=actor, act_date=on, data={"text": text.strip()}
    )
    return matter


@transaction.atomic
def matter_publish_result(
    *, matter_id: int, actor, completed_on: date, result: str, published_on: date | None = None
) -> Matter:
    """结果公开: the result of the implementation made public."""
    matter = pipeline.begin(MATTERS, matter_id, "publish_result", actor)
    published_on = published_on or timezone.localdate()
    _check_date(published_on)
    if completed_on > published_on:
        raise ProcedureError("completed_after_publication", _(MSG_COMPLETED_LATER))
    if not (result or "").strip():
        raise ProcedureError("text_required", _(MSG_NOTHING))
    matter.result, matter.completed_on = result.strip(), completed_on
    notice = publicity.notice_draft(
        actor=None,
        village=matter.village,
        kind="result",
        subject=matter,
        issuer=f"{matter.village.name}村民委员会",
        title=f"{matter.village.name}关于{matter.title}的结果公开",
        fields={
            "matter": matter.title,
            "implementation": "；".join(p.text for p in matter.progress.all())[:500],
            "result": matter.result,
            "completed_on": chinese_date(completed_on),
        },
    )
    publicity.notice_publish(actor=None, notice=notice, published_on=published_on)
    pipeline.finish(
        MATTERS,
        matter,
        "publish_result",
        actor=actor,
        act_date=published_on,
        data={"notice": notice.pk, "completed_on": completed_on, "result": matter.result},
    )
    return matter


@transaction.atomic
def matter_acknowledge(
    *, matter_id: int, actor, on: date, channels: list[str], note: str = ""
) -> Matter:
    """一知晓: how the villagers were told the result (广播, 公开栏, 微信群, 入户)."""
    matter = pipeline.begin(MATTERS, matter_id, "acknowledge", actor)
    _check_date(on)
    chosen = [c for c in dict.fromkeys(channels) if c in Acknowledgement.Channel.values]
    if not chosen:
        raise ProcedureError("channels_required", _(MSG_CHANNELS))
    for channel in chosen:
        Acknowledgement.objects.create(matter=matter, channel=channel, on=on, note=note[:300])
    pipeline.finish(
        MATTERS, matter, "acknowledge", actor=actor, act_date=on, data={"channels": chosen}
    )
    return matter


@transaction.atomic
def matter_archive(*, matter_id: int, actor, on: date | None = None) -> Matter:
    matter = pipeline.begin(MATTERS, matter_id, "archive", actor)
    on = on or timezone.localdate()
    _check_date(on)
    pipeline.finish(MATTERS, matter, "archive", actor=actor, act_date=on, data={})
    return matter


def _exit(matter_id, actor, verb, reason, on) -> Matter:
    matter = pipeline.begin(MATTERS, matter_id, verb, actor)
    if not (reason or "").strip():
        raise ProcedureError("reason_required", _(MSG_REASON))
    matter.closed_reason = reason.strip()[:300]
    pipeline.finish(
        MATTERS,
        matter,
        verb,
        actor=actor,
        act_date=on or timezone.localdate(),
        data={"reason": matter.closed_reason},
    )
    return matter


@transaction.atomic
def matter_decline(*, matter_id: int, actor, reason: str, on: date | None = None) -> Matter:
    """不予提议."""
    return _exit(matter_id, actor, "decline", reason, on)


@transaction.atomic
def matter_withdraw(*, matter_id: int, actor, reason: str, on: date | None = None) -> Matter:
    """撤回 before the decision."""
    return _exit(matter_id, actor, "withdraw", reason, on)
