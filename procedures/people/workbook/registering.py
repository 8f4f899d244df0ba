"""Registering the sheet's people: every row checked through the same registration
as the staff pages, and written all or nothing, a person once (the ID number is the
natural key)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.errors import ProcedureError

from .. import identity, roles, scopes, services
from ..models import Organisation, Person
from .cells import _coded, _rows, cell_date, cell_text
from .columns import (
    COLUMNS,
    LABELS,
    MSG_DATE_FORM,
    MSG_HELD_FOR_COUNTY,
    MSG_REGISTERED_OTHERWISE,
    MSG_ROLL_DATE_NEEDED,
    MSG_STANDING_FROM_CASE,
    UNITS,
    Problem,
    Problems,
    Report,
)


def load(
    content: bytes, *, actor, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> Report:
    """Check every row (and, unless `dry_run` or a problem was found, write them all)."""
    rows, problems, opened = _rows(content)
    report = Report(rows=len(rows), problems=Problems(problems), opened=opened)
    if problems:
        return report
    with transaction.atomic():
        register_rows(rows, report, actor=actor, progress=progress)
        report.written = not dry_run and report.ok
        if not report.written:
            transaction.set_rollback(True)  # a dry run, or a problem: nothing is written
    return report


def register_rows(
    rows: list[tuple[int, dict]],
    report: Report,
    *,
    actor,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Register each row (inside the caller's transaction), each problem on its cell."""
    visible = scopes.visible_organisations(actor).filter(kind__in=UNITS)
    # The organisations the user may register people in, asked once each.
    by_name = {org.name: org for org in visible if may_register(actor, org)}
    numbers = [identity.normalise(cell_text(cells["id_number"])) for _number, cells in rows]
    registered = {
        p.id_number: p
        for p in Person.objects.filter(id_number__in=numbers).select_related("organisation")
    }
    seen: dict[str, int] = {}
    for done, (number, cells) in enumerate(rows, start=1):
        _one(report, number, cells, actor=actor, by_name=by_name, seen=seen, registered=registered)
        if progress is not None:
            progress(done, len(rows))


def _one(
    report: Report,
    number: int,
    cells: dict,
    *,
    actor,
    by_name: dict,
    seen: dict,
    registered: dict | None = None,
) -> None:
    def problem(column: str, message: str) -> None:
        report.problems.append(Problem(number, column, message))

    fields = {name: cell_text(cells[name]) for name, _label in COLUMNS}
    for name, value in fields.items():
        if "\x00" in value:
            return problem(name, _("含有无法保存的控制字符（NUL），请删除后重试。"))
    fields["id_number"] = identity.normalise(fields["id_number"])
    birth = cell_date(cells["birth_date"])
    if fields["birth_date"] and birth is None:
        return problem("birth_date", _(MSG_DATE_FORM))
    standing = _coded("standing", fields["standing"] or str(Person.Standing.MASSES.label))
    if standing not in (Person.Standing.MASSES, Person.Standing.FULL):
        return problem("standing", _(MSG_STANDING_FROM_CASE))
    member_since = cell_date(cells["full_member_since"])
    if fields["full_member_since"] and member_since is None:
        return problem("full_member_since", _(MSG_DATE_FORM))
    if standing == Person.Standing.FULL and member_since is None:
        return problem("full_member_since", _(MSG_ROLL_DATE_NEEDED))
    if standing != Person.Standing.FULL:
        member_since = None
    organisation = by_name.get(fields["organisation"])
    if organisation is None:
        return problem(
            "organisation",
            _("没有名为“%(name)s”的组织，或不在您的管理范围内。")
            % {"name": fields["organisation"]},
        )
    number_seen = seen.get(fields["id_number"])
    if fields["id_number"] and number_seen:
        return problem("id_number", _("与第%(row)s行的居民身份证号码重复。") % {"row": number_seen})
    seen[fields["id_number"]] = number
    values = {
        "name": fields["name"],
        "gender": _coded("gender", fields["gender"]),
        "ethnicity": _coded("ethnicity", fields["ethnicity"]),
        "birth_date": birth,
        "id_number": fields["id_number"],
        "education": _coded("education", fields["education"]),
        "occupation": _coded("occupation", fields["occupation"]),
        "phone": fields["phone"],
        "organisation": organisation,
    }
    if registered is None:  # one row alone
        found = Person.objects.filter(id_number=values["id_number"]).select_related("organisation")
        registered = {p.id_number: p for p in found}
    existing = registered.get(values["id_number"]) if values["id_number"] else None
    if existing is not None and not _sees(actor, existing):
        return problem("id_number", _(MSG_HELD_FOR_COUNTY))
    if existing is not None:
        values["standing"], values["full_member_since"] = standing, member_since
        if standing == Person.Standing.MASSES:  # his case, if any, made him what he is now
            values.pop("standing")
            values.pop("full_member_since")
        if all(getattr(existing, name) == value for name, value in values.items()):
            report.unchanged += 1
            return None
        return problem("id_number", _(MSG_REGISTERED_OTHERWISE))
    try:
        with transaction.atomic():
            person = services.person_register(actor=actor, full_member_since=member_since, **values)
    except ProcedureError as error:
        fields_found = (error.extra or {}).get("fields") or {}
        for name, messages in fields_found.items():
            column = name if name in LABELS else ""
            for message in messages:
                problem(column, str(message))
        if not fields_found:
            problem("", error.message)
        return None
    report.created += 1
    report.created_ids.append(person.pk)
    return None


def _sees(actor, person: Person) -> bool:
    """Whether the importer sees the person already registered under a row's number."""
    if actor is None or actor.is_superuser:
        return True
    return person.organisation_id is not None and roles.in_scope(actor, person.organisation)


def may_register(actor, organisation: Organisation) -> bool:
    """Those over the organisation: its township committee or the county."""
    return actor is None or actor.is_superuser or roles.holds(
        actor, organisation, roles.Role.TOWNSHIP
    ) or roles.holds(actor, organisation, roles.Role.COUNTY)  # fmt: skip
