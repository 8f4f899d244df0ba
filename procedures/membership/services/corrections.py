"""退回, 撤回, 更正, 催办 and 抄送 of a case (`workflows.amend`): what member development
allows of them, and the services that perform them. The engine does the rest, in the
pipeline's order; nothing recorded is edited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import roles
from procedures.people import standing as people_standing
from procedures.people.models import Person
from workflows import amend, timing
from workflows.corrections import Corrections
from workflows.errors import ProcedureError

from .. import permissions, projection
from ..models import Case
from ..steps import (
    BY_CODE,
    RETURNABLE,
    SETS,
    STANDINGS,
    TIMING,
    Role,
    Status,
)
from .base import CASES, rulebook_of

MSG_BEFORE_PREVIOUS = gettext_noop("更正后的日期不能早于上一步骤“%(step)s”的日期（%(date)s）。")
MSG_AFTER_NEXT = gettext_noop("更正后的日期不能晚于下一步骤“%(step)s”的日期（%(date)s）。")
MSG_BREAKS_RULE = gettext_noop(
    "更正后，“%(step)s”（%(date)s）将早于规则允许的最早日期（%(earliest)s）：%(rule)s。"
)

# Who approves a correction of an act: the level above who acted.
APPROVER = {Role.BRANCH: Role.TOWNSHIP, Role.TOWNSHIP: Role.COUNTY, Role.COUNTY: Role.COUNTY}


def _path(case: Case) -> list[str]:
    return [step.code for step in case.path()]


def returns(case: Case) -> tuple[str, ...]:
    pending = case.pending_step()
    path = _path(case)
    return tuple(step for step in RETURNABLE.get(pending, ()) if step in path)


def rewind(case: Case, to_step: str) -> amend.Rewound:
    """Undo `to_step` and the steps after it that stand: clear the dates they set, put
    the person back in the standing the steps still standing give him."""
    path = _path(case)
    later = path[path.index(to_step) :]
    acts = case.acts
    undone = tuple(step for step in later if step in acts)
    records = tuple(
        row.pk for row, _on in case._standing_rows if row.step in later and row.outcome == "done"
    )
    for step in undone:
        case.forget(step)
    before = path[path.index(to_step) - 1]
    _restore_standing(case, {step: on for step, on in acts.items() if step not in undone})
    return amend.Rewound(BY_CODE[before].reached, undone, records)


def _restore_standing(case: Case, standing_acts: dict[str, date]) -> None:
    standing, since = Person.Standing.APPLICANT, case.applied_on
    for step, given in STANDINGS:
        if step in standing_acts:
            standing, since = given, standing_acts[step]
            break
    person = people_standing.restore(case.person_id, standing, since)
    if person is not None:
        case.person = person


def last_act(case: Case) -> amend.LastAct | None:
    last = case.last_act
    if last is None:
        return None
    return amend.LastAct(last.step, last.actor_id, last.entered_at, last.pk)


def correctable(case: Case) -> dict[int, amend.Correctable]:
    """The path's acts that stand, each under its record, with its corrected date."""
    found = {}
    for row, on in case._standing_rows:
        step = BY_CODE.get(row.step)
        if step is None or step.code == "apply":
            continue
        approver = APPROVER[Role(step.role)]
        found[row.pk] = amend.Correctable(
            row.pk, step.code, str(step.label), on, str(Role(approver).label)
        )
    return found


def approver_of(case: Case, target: amend.Correctable, actor) -> bool:
    return permissions.may_act(case, actor, APPROVER[Role(BY_CODE[target.step].role)])


def correct(case: Case, target: amend.Correctable, new_date: date) -> None:
    """Set the corrected date where the case keeps it, after checking that the path's
    order and every later step's rules still hold on the corrected facts."""
    if target.step not in case.acts:  # a failed act: its date moves nothing else
        return
    path = _path(case)
    acts = dict(case.acts)
    index = path.index(target.step)
    before = [(step, acts[step]) for step in path[:index] if step in acts]
    after = [(step, acts[step]) for step in path[index + 1 :] if step in acts]
    if before and new_date < before[-1][1]:
        step, on = before[-1]
        raise ProcedureError(
            "correction_before_previous",
            _(MSG_BEFORE_PREVIOUS) % {"step": BY_CODE[step].label, "date": on},
        )
    if after and new_date > after[0][1]:
        step, on = after[0]
        raise ProcedureError(
            "correction_after_next",
            _(MSG_AFTER_NEXT) % {"step": BY_CODE[step].label, "date": on},
        )
    old = acts[target.step]
    fields = SETS.get(target.step, ())
    if fields:
        setattr(case, fields[0], new_date)
    if target.step == "branch_admit" and case.probation_ends_on:
        case.probation_ends_on = case.probation_ends_on + (new_date - old)
    acts[target.step] = new_date
    _check_later_rules(case, acts, path[index:])
    _move_standing_since(case, target.step, new_date)


def _check_later_rules(case: Case, acts: dict[str, date], steps: list[str]) -> None:
    """Every done step from the corrected one on must still be on or after the earliest
    day its rules' spans give (the cultivation year, the probation)."""
    rulebook = rulebook_of(case)

    def fact(name: str):
        return acts.get(name[5:]) if name.startswith("step:") else getattr(case, name)

    for step in steps:
        if step not in acts:
            continue
        for span in TIMING.get(step, timing.Timing()).earliest:
            if not isinstance(span, timing.Span):
                continue
            bound = timing.span_end(rulebook, span, fact, acts[step])
            if bound is None or bound.day <= acts[step]:
                continue
            rule = rulebook.rule(span.rule)
            raise ProcedureError(
                "correction_breaks_rule",
                _(MSG_BREAKS_RULE)
                % {
                    "step": BY_CODE[step].label,
                    "date": acts[step],
                    "earliest": bound.day,
                    "rule": rule.message.format_map(_Blank(rule.params)),
                },
                rulebook.citation(span.rule),
            )


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _move_standing_since(case: Case, step: str, new_date: date) -> None:
    standing = {"choose_activist": "activist", "choose_candidate": "candidate"}.get(step)
    if standing is None or case.person.standing != standing:
        return
    person = people_standing.redate(case.person_id, standing, new_date)
    if person is not None:
        case.person = person


def pending(case: Case) -> amend.Pending | None:

    step = case.pending_step()
    if step is None or case.status in (Status.STOPPED, Status.CANCELLED):
        return None
    upcoming = projection.project(case, limit=1)
    deadline = upcoming[0].deadline if upcoming and upcoming[0].code == step else None
    return amend.Pending(
        step, str(BY_CODE[step].label), deadline, case.branch_id, BY_CODE[step].role
    )


def oversees(case: Case, actor) -> bool:
    return permissions.may_act(case, actor, Role.TOWNSHIP) or permissions.may_act(
        case, actor, Role.COUNTY
    )


# The services.


@transaction.atomic
def case_send_back(*, case_id: int, actor, to_step: str, reason: str, decided_on: date) -> Case:
    """退回: the township (or the county) sends the case back to an earlier step."""
    return amend.send_back(
        CASES, case_id, actor=actor, to_step=to_step, reason=reason, act_date=decided_on
    )


@transaction.atomic
def case_take_back(*, case_id: int, actor, reason: str) -> Case:
    """撤回: who recorded the last act takes it back."""
    return amend.take_back(CASES, case_id, actor=actor, reason=reason)


@transaction.atomic
def case_correct(
    *, case_id: int, actor, record: int, new_date: date, reason: str, requested_by: str = ""
) -> Case:
    """更正: the date of a recorded act, approved by the level above who acted."""
    return amend.correct(
        CASES,
        case_id,
        actor=actor,
        record=record,
        new_date=new_date,
        reason=reason,
        requested_by=requested_by,
    )


@transaction.atomic
def case_press(*, case_id: int, actor, note: str) -> Case:
    """催办: the overdue step the case waits for, pressed by the township or the county."""
    return amend.press(CASES, case_id, actor=actor, note=note)


@transaction.atomic
def case_copy(*, case_id: int, actor, users: list, note: str = "") -> Case:
    """抄送: the case's progress to others who may see it."""
    return amend.copy(CASES, case_id, actor=actor, users=users, note=note)


class CaseCorrections(Corrections):
    """What a case allows of corrections and hand-offs (set on `CASES` in the app's ready)."""

    def returns(self, subject: Case):
        return returns(subject)

    def rewind(self, subject: Case, to_step: str):
        return rewind(subject, to_step)

    def last_act(self, subject: Case):
        return last_act(subject)

    def previous_act_on(self, subject: Case):
        return subject.last_act_on

    def correctable(self, subject: Case):
        return correctable(subject)

    def correct(self, subject: Case, target, new_date):
        correct(subject, target, new_date)

    def approver_of(self, subject: Case, target, actor) -> bool:
        return approver_of(subject, target, actor)

    def pending(self, subject: Case):
        return pending(subject)

    def oversees(self, subject: Case, actor) -> bool:
        return oversees(subject, actor)

    def staff(self, subject: Case) -> list:
        return roles.staff_over(subject.branch)
