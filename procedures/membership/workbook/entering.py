"""Entering one case from its rows: the case under way, then each act through the live step's
service (the declaration the staff form and the API use), a refusal reported on its row and
cell; and a case's acts as a comparable signature, the file's and the records', to leave one
entered the same as it is."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from procedures.people import identity
from procedures.people import workbook as people_book
from procedures.people.models import Person
from workflows import audit, inputs, pipeline
from workflows.errors import ProcedureError

from .. import deadlines, flows, services
from ..declaration import STEP_INPUTS
from ..models import NOT_STEPS, Case, StepRecord
from ..services.backfill import check_may_backfill
from ..services.base import CASES as CASE_STEPS
from ..services.base import _acted_by, _entered_by
from .columns import (
    _CASE_RULE_COLUMN,
    _FIELD_COLUMN,
    _RULE_COLUMN,
    CASES,
    HISTORY,
    HISTORY_LABELS,
    MATERIAL_KINDS,
    MSG_CHOICE,
    MSG_EXISTS_OTHERWISE,
    MSG_GROUP,
    MSG_LATER_UNCHECKED,
    MSG_MATERIAL,
    MSG_NAMESAKE,
    MSG_NOBODY,
    MSG_NUMBER,
    MSG_REQUIRED,
    MSG_TEXT_LONG,
    MSG_VOTE,
    OBSERVATION_ITEMS,
    CaseRow,
    Problem,
    Report,
    Row,
    _case_problem,
    _history_problem,
)

# Entering a case.


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def _enter(case: CaseRow, report: Report, *, actor) -> None:
    """The case and its acts, through the services, in a savepoint: a refusal is reported on
    its row and cell and leaves nothing of the case."""
    if any(p.sheet == CASES and p.row == case.number for p in report.problems):
        return
    if any(p.sheet == HISTORY and p.row in {r.number for r in case.acts} for p in report.problems):
        return
    if case.person is None or case.branch is None or case.applied_on is None:
        return
    existing = Case.objects.filter(person=case.person, applied_on=case.applied_on).first()
    if existing is not None:
        if _signature(existing) == _file_signature(case):
            report.unchanged += 1
        else:
            report.problems.append(
                _case_problem(case.number, "applied_on", _(MSG_EXISTS_OTHERWISE))
            )
        return
    importer = getattr(getattr(actor, "person", None), "name", None) or getattr(
        actor, "username", "系统"
    )
    token = _entered_by.set(importer)
    try:
        with transaction.atomic():
            _perform(case, actor)
    except _Refused as refused:
        report.problems.extend(refused.problems)
        return
    finally:
        _entered_by.reset(token)
    report.created += 1


def _perform(case: CaseRow, actor) -> None:

    check_may_backfill(actor, case.person, case.branch)
    # The case's deadlines and flow as its last act leaves them; its events written at once.
    with audit.batched(), deadlines.deferred(), flows.deferred(), pipeline.keeping():
        try:
            opened = services.case_open(
                actor=None, person=case.person, branch=case.branch, applied_on=case.applied_on
            )
        except ProcedureError as error:
            column = _CASE_RULE_COLUMN.get(error.code, "applied_on")
            raise _Refused([_case_problem(case.number, column, error.message)]) from None
        for index, row in enumerate(case.acts):
            token = _acted_by.set(people_book.cell_text(row.cells["actor"]) or None)
            try:
                _perform_act(opened.pk, row)
            except _Refused as refused:
                later = len(case.acts) - index - 1
                if later:
                    message = _(MSG_LATER_UNCHECKED) % {"row": row.number, "count": later}
                    refused.problems.append(_case_problem(case.number, "", message))
                raise
            finally:
                _acted_by.reset(token)


def _perform_act(case_id: int, row: Row) -> None:
    cells = row.cells
    try:
        if row.item == "observation":
            kind = OBSERVATION_ITEMS[people_book.cell_text(cells["item"])]
            summary = _text_cell(row, "note", 2000)
            services.case_observe(
                case_id=case_id, actor=None, kind=kind, on=row.on, summary=summary
            )
            return
        if row.item == "material":
            name = people_book.cell_text(cells["material"])
            if name not in MATERIAL_KINDS:
                raise _Refused(
                    [_history_problem(row.number, "material", _(MSG_MATERIAL) % {"name": name})]
                )
            step, kind = MATERIAL_KINDS[name]
            note = _text_cell(row, "note", 300)
            services.case_add_material(
                case_id=case_id, actor=None, step=step, kind=kind, title=name, reason=note
            )
            return
        declared = STEP_INPUTS[row.item]
        case = CASE_STEPS.lock(case_id)  # the case as the act before left it (pipeline.keeping)
        data = _step_data(declared, case, row)
        declared.perform(case, None, data)
    except ProcedureError as error:
        raise _Refused(_problems_of(error, row)) from None


def _problems_of(error: ProcedureError, row: Row) -> list[Problem]:
    found = []
    fields = (error.extra or {}).get("fields") or {}
    for name, messages in fields.items():
        column = _column_of(row.item, name)
        for message in messages if isinstance(messages, list) else [messages]:
            found.append(_history_problem(row.number, column, str(message)))
    if found:
        return found
    violations = (error.extra or {}).get("violations") or [
        {"code": error.code, "message": error.message}
    ]
    return [
        _history_problem(row.number, _RULE_COLUMN.get(v["code"], "item"), v["message"])
        for v in violations
    ]


def _column_of(step: str, name: str) -> str:
    if step in STEP_INPUTS:
        for f in STEP_INPUTS[step].fields:
            if f.name == name:
                return _column(f)
    return name if name in HISTORY_LABELS else "item"


def _column(f: inputs.Field) -> str:
    if f.name == "present":
        return "present" if f.kind == inputs.Kind.NUMBER else "people"
    if f.name in ("passed", "record_failure"):
        return "result"
    return _FIELD_COLUMN.get(f.name, f.name)


def _text_cell(row: Row, column: str, max_length: int) -> str:
    value = people_book.cell_text(row.cells[column])
    if len(value) > max_length or "\x00" in value:
        raise _Refused(
            [_history_problem(row.number, column, _(MSG_TEXT_LONG) % {"max": max_length})]
        )
    return value


def _step_data(declared: inputs.StepInput, case: Case, row: Row) -> dict:
    """The step's declared fields from the row's cells, as the service takes them; every
    bad cell reported at once."""
    data, problems = {}, []
    memo: dict = {}  # the act's options (the branch's voters that day), read once
    for f in declared.fields:
        column = _column(f)
        try:
            data[f.name] = _value(f, column, case, row, memo)
        except _Refused as refused:
            problems.extend(refused.problems)
    if problems:
        raise _Refused(problems)
    return data


def _value(f: inputs.Field, column: str, case: Case, row: Row, memo: dict):
    raw = row.cells[column]
    text = people_book.cell_text(raw)

    def refuse(message: str):
        raise _Refused([_history_problem(row.number, column, message)])

    if f.kind == inputs.Kind.DATE:
        return row.on
    if f.kind == inputs.Kind.FLAG:
        if f.name == "passed":
            return not row.outcome_failed
        if f.name == "record_failure":
            return row.outcome_failed
        return text in ("是", "1", "true", "True")
    if not text:
        if f.kind in (inputs.Kind.IDS, inputs.Kind.VOTES):
            return (
                {}
                if f.kind == inputs.Kind.VOTES
                else ([] if not f.required else refuse(_(MSG_REQUIRED)))
            )
        if not f.required:
            return f.default if f.default is not inputs.TODAY else row.on
        if f.kind == inputs.Kind.TEXT and f.blank:
            return ""
        refuse(_(MSG_REQUIRED))
    if f.kind == inputs.Kind.TEXT:
        return _text_cell(row, column, f.max_length or 2000)
    if f.kind == inputs.Kind.NUMBER:
        try:
            number = int(float(text))
        except (ValueError, OverflowError):  # not a number, or "1e400"
            number = -1
        if not 0 <= number <= f.maximum or float(text) != number:
            refuse(_(MSG_NUMBER) % {"max": f.maximum})
        return number
    if f.kind == inputs.Kind.CHOICE:
        for value, label in f.choices:
            if text in (str(label), value):
                return value
        refuse(_(MSG_CHOICE) % {"choices": "、".join(str(label) for _v, label in f.choices)})
    if f.kind in (inputs.Kind.ID, inputs.Kind.IDS, inputs.Kind.VOTES):
        if f.options not in memo:
            memo[f.options] = f.options(case, row.on) if f.options else []
        options = memo[f.options]
        if f.name == "group":
            for pk, name in options:
                if name == text:
                    return pk
            refuse(_(MSG_GROUP) % {"name": text})
        if ("people", f.options) not in memo:
            memo[("people", f.options)] = _People(options, row.on)
        people = memo[("people", f.options)]
        if f.kind == inputs.Kind.ID:
            return people.pk(text, refuse)
        if f.kind == inputs.Kind.IDS:
            return [people.pk(name, refuse) for name in _split(text)]
        votes = {}
        labels = {str(label): value for value, label in f.choices}
        for entry in _split(text, "；;，,、\n"):
            name, _sep, vote = entry.replace(":", "：").partition("：")
            if vote.strip() not in labels:
                refuse(_(MSG_VOTE))
            votes[people.pk(name.strip(), refuse)] = labels[vote.strip()]
        return votes
    refuse(_(MSG_REQUIRED))
    return None


def _split(text: str, separators: str = "、，,；;\n ") -> list[str]:
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    return [part.strip() for part in text.split(separators[0]) if part.strip()]


class _People:
    """Who a people cell may name: the step's options (the branch's voters on the act's
    day), by name or, for namesakes, by ID number."""

    def __init__(self, options: list[tuple[int, str]], on: date) -> None:
        self.on = on
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name in options:
            self.by_name[name].append(pk)
        self.keys = [pk for pk, _name in options]
        self._by_number: dict[str, int] | None = None

    def pk(self, text: str, refuse) -> int:
        if text not in self.by_name:  # an ID number, for namesakes (read when one comes)
            if self._by_number is None:
                self._by_number = dict(
                    Person.objects.filter(pk__in=self.keys).values_list("id_number", "pk")
                )
            number = identity.normalise(text)
            if number in self._by_number:
                return self._by_number[number]
        found = self.by_name.get(text, [])
        if len(found) > 1:
            refuse(_(MSG_NAMESAKE) % {"name": text})
        if not found:
            refuse(_(MSG_NOBODY) % {"name": text, "on": self.on})
        return found[0]


# A case's acts as a comparable signature: the file's, and the records'.


def _file_signature(case: CaseRow) -> tuple:
    steps = tuple((r.item, r.on, r.outcome_failed) for r in case.acts if r.item in STEP_INPUTS)
    observations = sorted(
        (OBSERVATION_ITEMS[people_book.cell_text(r.cells["item"])], r.on)
        for r in case.acts
        if r.item == "observation"
    )
    materials = sorted(
        MATERIAL_KINDS[people_book.cell_text(r.cells["material"])][1]
        for r in case.acts
        if r.item == "material" and people_book.cell_text(r.cells["material"]) in MATERIAL_KINDS
    )
    return steps, tuple(observations), tuple(materials)


def _standing_acts(case: Case) -> list[tuple]:
    """The case's acts that stand, with their dates as corrected: what a workbook lists
    (not the application, which is the case's row, nor the corrections and hand-offs)."""
    return [
        (row, act_date)
        for row, act_date in case._standing_rows
        if row.step not in NOT_STEPS and row.step != "apply"
    ]


def _signature(case: Case) -> tuple:
    steps = tuple(
        (row.step, act_date, row.outcome == StepRecord.Outcome.FAILED)
        for row, act_date in _standing_acts(case)
    )
    observations = tuple(sorted(case.observations.values_list("kind", "on")))
    materials = tuple(sorted(case.materials.values_list("kind", flat=True)))
    return steps, observations, materials
