"""退回, 撤回, 更正, 催办 and 抄送 of a village matter (`workflows.amend`): what a matter
allows of them, and the services that perform them.

A matter's records are its meetings (提议, 商议, 审议, 决议). Before the decision is published,
the township or the county may return the matter to one of the meetings that stand, and
who recorded the last meeting may take it back; the meetings undone stay, marked 已退回 or
已撤回. A meeting's date is corrected by a `MeetingCorrection` naming it, approved by the
township or the county, after the order of the meetings, the chair's and recorder's posts
on the corrected day and the villagers' meeting's notice are checked again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import roles
from workflows import amend
from workflows.audit import stream_of
from workflows.corrections import Corrections
from workflows.errors import ProcedureError
from workflows.models import AuditEvent

from ..models import Matter, MatterMeeting, MeetingCorrection
from ..progress import next_step
from ..steps import BEFORE_STEP, MEETING_STEPS, REACHED_BY, RETURNABLE_FROM, Step
from .matters import MATTERS, MeetingInput
from .meetings import _check_chair_and_recorder

MSG_BEFORE_PREVIOUS = gettext_noop("更正后的日期不能早于“%(step)s”的日期（%(date)s）。")
MSG_AFTER_NEXT = gettext_noop("更正后的日期不能晚于“%(step)s”的日期（%(date)s）。")

# The acts after the meetings, by the date they were recorded on: a meeting is not
# corrected to a day after them.
LATER_ACTS = ("publish_resolution", "record_progress", "publish_result", "acknowledge", "archive")


@dataclass(frozen=True)
class Held:
    """A meeting as it stands: its date as corrected, whether a return or withdrawal undid
    it (amend.RETURNED / WITHDRAWN, or ""), and its corrections, oldest first."""

    meeting: MatterMeeting
    held_on: date
    mark: str = ""
    corrections: list[MeetingCorrection] = field(default_factory=list)

    @property
    def step(self) -> str:
        return self.meeting.step

    @property
    def label(self) -> str:
        return f"{Step(self.step).label}（{self.meeting.get_kind_display()}）"


def _marks(matter: Matter) -> dict[int, str]:
    rows = AuditEvent.objects.filter(
        stream=stream_of(matter), action__in=("send_back", "take_back")
    ).values_list("pk", "action", "payload")
    return amend.undone_records(rows)


def meetings(matter: Matter) -> list[Held]:
    """Every meeting of the matter, in the order held, as it stands."""
    marks = _marks(matter)
    rows = list(matter.meetings.select_related("chair", "recorder").order_by("held_on", "pk"))
    fixes: dict[int, list[MeetingCorrection]] = {}
    for row in MeetingCorrection.objects.filter(meeting__matter=matter).select_related(
        "approved_by"
    ):
        fixes.setdefault(row.meeting_id, []).append(row)
    held = [
        Held(
            row,
            fixes[row.pk][-1].held_on if row.pk in fixes else row.held_on,
            marks.get(row.pk, ""),
            fixes.get(row.pk, []),
        )
        for row in rows
    ]
    return sorted(held, key=lambda h: (h.held_on, h.meeting.pk))


def acts(matter: Matter, held: list[Held] | None = None) -> dict[str, Held]:
    """The meetings that stand (passed, not undone), by step, in path order."""
    standing = {
        h.step: h for h in (held if held is not None else meetings(matter))
        if h.meeting.passed and not h.mark
    }  # fmt: skip
    return {step: standing[step] for step in MEETING_STEPS if step in standing}


def returns(matter: Matter) -> tuple[str, ...]:
    if matter.status not in RETURNABLE_FROM:
        return ()
    return tuple(acts(matter))


def rewind(matter: Matter, to_step: str) -> amend.Rewound:
    """Undo the meeting of `to_step` and those after it: the decision they took is cleared."""
    standing = acts(matter)
    order = list(standing)
    later = order[order.index(to_step) :]
    if Step.RESOLVE in later:
        matter.decided_on, matter.decision = None, ""
    return amend.Rewound(
        BEFORE_STEP[to_step], tuple(later), tuple(standing[s].meeting.pk for s in later)
    )


def last_act(matter: Matter) -> amend.LastAct | None:
    """The last meeting that stands, while the matter is where that meeting brought it."""
    if matter.status not in RETURNABLE_FROM:
        return None
    standing = acts(matter)
    if not standing:
        return None
    step, held = list(standing.items())[-1]
    if REACHED_BY[step] != matter.status:
        return None
    row = held.meeting
    return amend.LastAct(step, row.recorded_by_id, row.recorded_at, row.pk)


def previous_act_on(matter: Matter) -> date | None:
    standing = acts(matter)
    return max((held.held_on for held in standing.values()), default=None)


def correctable(matter: Matter) -> dict[int, amend.Correctable]:
    """Every meeting not undone, under its id, with its date as corrected."""
    approver = str(roles.Role.UPPER.label)
    return {
        h.meeting.pk: amend.Correctable(h.meeting.pk, h.step, h.label, h.held_on, approver)
        for h in meetings(matter)
        if not h.mark
    }


def approver_of(matter: Matter, target: amend.Correctable, actor) -> bool:
    return roles.holds(actor, matter.branch, roles.Role.UPPER, cache=matter)


def _later_acts(matter: Matter) -> list[tuple[str, date]]:
    rows = AuditEvent.objects.filter(stream=stream_of(matter), action__in=LATER_ACTS)
    return [
        (action, on) for action, on in rows.order_by("sequence").values_list("action", "act_date")
    ]


def correct(matter: Matter, target: amend.Correctable, new_date: date) -> None:
    """Check the meetings' order and the rules that read the meeting's day on the corrected
    date; a standing 决议 moves the matter's decision date with it."""
    held = meetings(matter)
    this = next(h for h in held if h.meeting.pk == target.key)
    standing = acts(matter, held)
    if this.step in standing and standing[this.step].meeting.pk == target.key:
        order = list(standing)
        index = order.index(this.step)
        before = [(s, standing[s].held_on) for s in order[:index]]
        after = [(s, standing[s].held_on) for s in order[index + 1 :]]
        after += _later_acts(matter)[:1]
        if before and new_date < before[-1][1]:
            step, on = before[-1]
            raise ProcedureError(
                "correction_before_previous",
                _(MSG_BEFORE_PREVIOUS) % {"step": MATTERS.step_label(step), "date": on},
            )
        if after and new_date > after[0][1]:
            step, on = after[0]
            raise ProcedureError(
                "correction_after_next",
                _(MSG_AFTER_NEXT) % {"step": MATTERS.step_label(step), "date": on},
            )
        if this.step == Step.RESOLVE:
            matter.decided_on = new_date
    row = this.meeting
    # Who chaired and recorded must have held their posts on the corrected day.
    _check_chair_and_recorder(
        matter,
        row.step,
        MeetingInput(
            held_on=new_date,
            place=row.place,
            chair_id=row.chair_id,
            recorder_id=row.recorder_id,
        ),
    )
    announced_on = (row.data or {}).get("announced_on")
    if row.kind == MatterMeeting.Kind.VILLAGERS and announced_on:
        rulebook = MATTERS.rulebook(matter)
        given = (new_date - date.fromisoformat(str(announced_on))).days
        rulebook.require(rulebook.check("villagers_meeting_notice", given=given))


def record_correction(act) -> MeetingCorrection:
    """The correction's own record (the pipeline's `record` of a 更正)."""
    data = act.data
    return MeetingCorrection.objects.create(
        meeting_id=data["record"],
        original=data["old"],
        held_on=data["new"],
        reason=data["reason"],
        requested_by=data["requested_by"],
        approved_by=act.actor if getattr(act.actor, "pk", None) else None,
        approver=act.role[:100],
    )


def pending(matter: Matter) -> amend.Pending | None:
    upcoming = next_step(matter)
    if upcoming.step is None:
        return None
    return amend.Pending(upcoming.step, upcoming.label, upcoming.due, matter.branch.pk, "branch")


def oversees(matter: Matter, actor) -> bool:
    return roles.holds(actor, matter.branch, roles.Role.UPPER, cache=matter)


class MatterCorrections(Corrections):
    """What a matter allows of corrections and hand-offs (set on `MATTERS` in the app's
    ready)."""

    def returns(self, subject: Matter):
        return returns(subject)

    def rewind(self, subject: Matter, to_step: str):
        return rewind(subject, to_step)

    def last_act(self, subject: Matter):
        return last_act(subject)

    def previous_act_on(self, subject: Matter):
        return previous_act_on(subject)

    def correctable(self, subject: Matter) -> dict:
        return correctable(subject)

    def correct(self, subject: Matter, target, new_date: date) -> None:
        correct(subject, target, new_date)

    def record_correction(self, act) -> MeetingCorrection:
        return record_correction(act)

    def approver_of(self, subject: Matter, target, actor) -> bool:
        return approver_of(subject, target, actor)

    def pending(self, subject: Matter):
        return pending(subject)

    def oversees(self, subject: Matter, actor) -> bool:
        return oversees(subject, actor)

    def staff(self, subject: Matter) -> list:
        return roles.staff_over(subject.branch)
