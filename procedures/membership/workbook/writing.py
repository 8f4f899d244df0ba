"""Writing the same shapes from the records: the people, the cases and every act, so that a
workbook exported and imported gives the same cases."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from procedures.people import scopes
from procedures.people import workbook as people_book
from procedures.people.models import Organisation, Person
from workflows import inputs

from ..declaration import STEP_INPUTS
from ..models import Case, Observation, StepRecord
from ..steps import CHECKLIST, Variant
from .columns import HISTORY_COLUMNS, MATERIAL_ITEM, STEP_ITEMS, _case_sheets
from .entering import _column, _standing_acts

# Writing: the same shapes from the records.


def export(actor, *, cases=None) -> bytes:
    """The people and the cases in the user's scope (of `cases` only, if given), as the
    import reads them."""
    visible = scopes.visible_organisations(actor)
    cases = list(
        (cases if cases is not None else Case.objects.all())
        .filter(branch__in=visible.filter(kind=Organisation.Kind.VILLAGE_BRANCH))
        .select_related("person", "branch")
        .order_by("pk")
    )
    with_case = {case.person_id for case in cases}
    book = Workbook()
    book.active.title = people_book.SHEET
    persons = (
        Person.objects.filter(organisation__in=visible.filter(kind__in=people_book.UNITS))
        .select_related("organisation")
        .order_by("pk")
    )
    people_book.add_sheet(
        book,
        people_book.SHEET,
        people_book.COLUMNS,
        people_book.CHOICES,
        [_person_row(person, person.pk in with_case) for person in persons],
    )
    case_rows, history = [], []
    rolls: dict[int, _Roll] = {}
    for number, case in enumerate(cases, start=1):
        key = str(number)
        case_rows.append(
            [key, case.person.name, case.person.id_number, case.branch.name, case.applied_on,
             str(Variant(case.variant).label)]
        )  # fmt: skip
        if case.branch_id not in rolls:
            rolls[case.branch_id] = _Roll(case.branch)
        history.extend(_history_rows(case, key, rolls[case.branch_id]))
    _case_sheets(book, case_rows, history)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _person_row(person: Person, has_case: bool) -> list:
    labels = {name: dict(choices) for name, choices in people_book.CHOICES.items()}
    full = person.standing == Person.Standing.FULL and not has_case
    standing = Person.Standing.FULL if full else Person.Standing.MASSES
    return [
        person.name,
        str(labels["gender"].get(person.gender, person.gender)),
        str(labels["ethnicity"].get(person.ethnicity, person.ethnicity)),
        person.birth_date,
        person.id_number,
        str(labels["education"].get(person.education, person.education)),
        str(labels["occupation"].get(person.occupation, person.occupation)),
        person.phone,
        person.organisation.name,
        str(labels["standing"][standing]),
        person.full_member_since if full else None,
    ]


def _history_rows(case: Case, key: str, roll: _Roll) -> list[list]:
    """The case's acts in the order they can be entered again: by date; on one day a step
    that opens a period of observations before them, the observations before the other
    steps (those counting them); each material after the step entered before it."""
    opens = {"assign_mentors", "take_oath", "extend_probation"}
    rows = _standing_acts(case)
    records = case.records.in_bulk([row.pk for row, _act_date in rows])
    items: list[tuple[tuple, list]] = []
    for row, act_date in rows:
        rank = 0 if row.step in opens else 2
        line = _step_row(key, row, act_date, records[row.pk], roll)
        items.append(((act_date, rank, row.entered_at, 0), line))
    for observation in case.observations.order_by("on", "pk"):
        label = str(Observation.Kind(observation.kind).label)
        line = _line(key, label, observation.on, note=observation.summary)
        items.append(((observation.on, 1, _EARLIEST, observation.pk), line))
    entered = sorted(((row.entered_at, act_date, row.step) for row, act_date in rows))
    for material in case.materials.order_by("uploaded_at", "pk"):
        before = [item for item in entered if item[0] <= material.uploaded_at]
        act_date, entered_at = (
            (before[-1][1], before[-1][0]) if before else (case.applied_on, material.uploaded_at)
        )
        rank = 0 if before and before[-1][2] in opens else 2
        label = dict(CHECKLIST[material.step])[material.kind]
        uploaded_on = timezone.localtime(material.uploaded_at).date()
        line = _line(key, _(MATERIAL_ITEM), uploaded_on, note=material.reason, material=str(label))
        items.append(((act_date, rank, entered_at, 1 + material.pk), line))
    items.sort(key=lambda item: item[0])
    return [line for _key, line in items]


_EARLIEST = datetime.min.replace(tzinfo=timezone.get_fixed_timezone(0))


_INDEX = {name: index for index, (name, _label) in enumerate(HISTORY_COLUMNS)}


def _line(key: str, item: str, on: date, **columns) -> list:
    """A row of 办理记录: its case, 事项 and date, and the other columns given."""
    line = [""] * len(HISTORY_COLUMNS)
    for column, value in {"key": key, "item": item, "on": on, **columns}.items():
        line[_INDEX[column]] = value
    return line


def _step_row(key: str, row, act_date: date, record: StepRecord, roll) -> list:
    failed = row.outcome == StepRecord.Outcome.FAILED
    line = _line(
        key, STEP_ITEMS[row.step], act_date, result=_("未通过") if failed else "",
        actor=record.actor_name,
    )  # fmt: skip
    data = record.data or {}
    for f in STEP_INPUTS[row.step].fields:
        column = _column(f)
        if column in ("on", "result"):
            continue
        value = _exported(f, data, record, roll)
        if value not in (None, ""):
            line[_INDEX[column]] = value
    return line


class _Roll:
    """A branch's people as a cell names them: by name, or by ID number where the branch has
    namesakes (read once a branch, for all its cases)."""

    def __init__(self, branch: Organisation) -> None:
        rows = list(
            # Everyone who ever belonged to it: a record names those who have left since.
            Person.objects.filter(memberships__organisation__path__startswith=branch.path)
            .distinct()
            .values_list("pk", "name", "id_number")
        )
        counts = Counter(name for _pk, name, _number in rows)
        self.by_pk = {pk: number if counts[name] > 1 else name for pk, name, number in rows}
        self.by_name: dict[str, str] = {}
        for _pk, name, number in rows:  # a record that kept only a name: its first holder
            self.by_name.setdefault(name, number if counts[name] > 1 else name)

    def of_key(self, pk) -> str:
        if pk is None:
            return ""
        if pk not in self.by_pk:  # one who has left the branch since
            person = Person.objects.filter(pk=pk).values_list("name", flat=True).first()
            self.by_pk[pk] = person or ""
        return self.by_pk[pk]

    def of_names(self, names: list[str]) -> str:
        return "、".join(self.by_name.get(name, name) for name in names)


def _exported(f: inputs.Field, data: dict, record: StepRecord, roll: _Roll):
    name = f.name
    if f.kind == inputs.Kind.FLAG:
        return None
    if name == "note":
        return record.note or data.get("note", "")
    if name == "present" and f.kind == inputs.Kind.IDS:
        return "、".join(roll.of_key(pk) for pk in data.get("attended", ()))
    if name in ("chair", "recorder"):
        return roll.of_key(data.get(name))
    if name == "written":
        labels = dict(f.choices)
        return "；".join(
            f"{roll.of_key(int(k))}：{labels[v]}" for k, v in (data.get("written") or {}).items()
        )
    if name == "people":
        listed = data.get("mentors") or data.get("sponsors") or []
        return roll.of_names(listed)
    if name == "group":
        return data.get("group", "")
    if name == "recommendation":
        return str(dict(f.choices).get(data.get(name), ""))
    if name == "talker":
        return data.get("talker", "")
    value = data.get(name)
    return value if value is not None else None
