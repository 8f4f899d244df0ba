"""撤回, 更正, 催办 and 抄送 of the branch's meeting records (`workflows.amend`).

The branch's records have no step that approves them, so nothing is returned (退回). Who
recorded a meeting as held takes it back (撤回) within the county's days: the record stays,
marked 已撤回, and counts nowhere. A meeting's date is corrected (更正) with the township's
or the county's approval by a new record that names the one it corrects, after the
record's own rules (who should attend that day, the quorum, the chair) are checked again on
the corrected date; the corrected record stays, marked 已更正, and counts nowhere. The
township presses a plan not recorded by its day (催办), and copies a record to others (抄送).
"""

from __future__ import annotations

from datetime import date

from procedures.people import roles
from workflows import amend, pipeline
from workflows.audit import stream_of
from workflows.corrections import Corrections
from workflows.models import AuditEvent

from .. import policy
from ..models import BranchMeeting, MeetingAttachment
from ..steps import Presence, Status
from .meetings import Minutes, _check_minutes, _save_rows, _write
from .procedure import MEETINGS

# The acts that record a meeting as held: what 撤回 takes back.
RECORDING = ("hold", "record")


def last_act(meeting: BranchMeeting) -> amend.LastAct | None:
    if meeting.status != Status.HELD:
        return None
    event = (
        AuditEvent.objects.filter(stream=stream_of(meeting))
        .order_by("-sequence")
        .only("action", "actor_id", "recorded_at")
        .first()
    )
    if event is None or event.action not in RECORDING:
        return None
    return amend.LastAct(event.action, event.actor_id, event.recorded_at, meeting.pk)


def rewind(meeting: BranchMeeting, step: str) -> amend.Rewound:
    """A meeting taken back is withdrawn whole: its record stays, marked 已撤回."""
    return amend.Rewound(Status.WITHDRAWN, (step,), (meeting.pk,))


def correctable(meeting: BranchMeeting) -> dict[int, amend.Correctable]:
    if meeting.status != Status.HELD:
        return {}
    label = f"{meeting.get_kind_display()}（召开日期）"
    approver = str(roles.Role.UPPER.label)
    return {meeting.pk: amend.Correctable(meeting.pk, "record", label, meeting.held_on, approver)}


def _minutes(meeting: BranchMeeting, held_on: date) -> Minutes:
    """The meeting's record as it stands, on another day."""
    rows = list(meeting.attendance.all())
    return Minutes(
        held_on=held_on,
        topic=meeting.topic,
        summary=meeting.summary,
        place=meeting.place,
        chair_id=meeting.chair_id,
        recorder_id=meeting.recorder_id,
        present_ids=[r.person_id for r in rows if r.presence == Presence.PRESENT],
        leave={r.person_id: r.reason for r in rows if r.presence == Presence.LEAVE},
        decisions=meeting.decisions,
        grades={r.person_id: r.grade for r in rows if r.grade},
        group_id=meeting.group_id,
        matter_id=meeting.carried_id,
    )


def correct(meeting: BranchMeeting, target: amend.Correctable, new_date: date) -> None:
    """The record's own rules on the corrected day (who should attend, the quorum, the
    chair): a refusal cites the rule. The record is then superseded by its correction."""
    minutes = _minutes(meeting, new_date)
    expected, group = _check_minutes(meeting.branch, meeting.kind, minutes)
    meeting._correction = (minutes, expected, group)
    meeting.supersede()


def record_correction(act: pipeline.Act) -> BranchMeeting:
    """The correcting record: the same minutes and attendance on the corrected day, with
    the same attachments; its own stream starts with the correction."""
    wrong = act.subject
    minutes, expected, group = wrong._correction
    right = BranchMeeting(
        branch=wrong.branch,
        kind=wrong.kind,
        status=Status.HELD,
        planned_on=wrong.planned_on,
        corrects=wrong,
    )
    data = _write(right, minutes, expected, group, wrong.recorded_by)
    right.save()
    data = _save_rows(right, data, [], wrong.recorded_by)
    kept = list(wrong.attachments.all())
    MeetingAttachment.objects.bulk_create(
        MeetingAttachment(
            meeting=right,
            name=a.name,
            file=a.file.name,
            content_type=a.content_type,
            sha256=a.sha256,
            uploaded_by_id=a.uploaded_by_id,
        )
        for a in kept
    )
    data["attachments"] = [{"name": a.name, "sha256": a.sha256} for a in kept]
    pipeline.started(
        MEETINGS,
        right,
        "corrected",
        actor=act.actor,
        act_date=minutes.held_on,
        data={**data, "corrects": wrong.pk, "reason": act.data["reason"]},
    )
    return right


def pending(meeting: BranchMeeting) -> amend.Pending | None:
    """A plan waits to be recorded by its day."""
    if meeting.status != Status.PLANNED or meeting.planned_on is None:
        return None
    return amend.Pending("record", "登记召开情况", meeting.planned_on, meeting.branch_id, "branch")


class MeetingCorrections(Corrections):
    """What a meeting's record allows of corrections and hand-offs (set on `MEETINGS` in the
    app's ready)."""

    def rewind(self, subject: BranchMeeting, to_step: str):
        return rewind(subject, to_step)

    def last_act(self, subject: BranchMeeting):
        return last_act(subject)

    def previous_act_on(self, subject: BranchMeeting):
        return subject.held_on

    def correctable(self, subject: BranchMeeting) -> dict:
        return correctable(subject)

    def correct(self, subject: BranchMeeting, target, new_date: date) -> None:
        correct(subject, target, new_date)

    def record_correction(self, act) -> BranchMeeting:
        return record_correction(act)

    def approver_of(self, subject: BranchMeeting, target, actor) -> bool:
        return policy.oversees(subject, actor)

    def pending(self, subject: BranchMeeting):
        return pending(subject)

    def oversees(self, subject: BranchMeeting, actor) -> bool:
        return policy.oversees(subject, actor)

    def staff(self, subject: BranchMeeting) -> list:
        return roles.staff_over(subject.branch)
