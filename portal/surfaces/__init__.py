"""The portal's one generic adapter for a procedure's subject: a procedure registers, per
subject, how it is found in the user's scope, its declared inputs, its pipeline object and
how its page reads (title, facts, sections of rows); the portal makes from that the staff
page with the forms the user may take now, the form posts, the API's read and step
endpoints and their schema. A new procedure adds no view, template or URL of its own.

A page's rows may name records (a cell `(text, obj)`): the portal links them to the page
registered for the record's model (`notifications.links`), or leaves them as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from notifications import links
from workflows import may_act
from workflows.inputs import StepInput
from workflows.pipeline import Procedure
from workflows.printed import Document

from . import step_inputs


@dataclass(frozen=True)
class Surface:
    key: str  # the URL segment: /staff/s/<key>/<pk>/, /api/s/<key>/<pk>/
    prefix: str  # the schema's names of its inputs, e.g. BranchMeetingRecordInput
    label: str
    model: type
    find: Callable[[Any, int], Any]  # (user, pk) -> subject, NotFound outside his scope
    inputs: dict[str, StepInput]
    # (subject, user, query) -> {"title", "facts": [(label, value)], "sections": [{"title",
    # "columns", "rows": [[cell, ...]], "note"}]}
    page: Callable[[Any, Any, Any], dict]
    procedure: Procedure | None = None  # the pipeline's object, for the transitions offered
    # (user) -> [(label, subject)]: where the 工作台 links to, for a subject one starts from
    entries: Callable[[Any], list[tuple[str, Any]]] | None = None
    # (model, the field naming the subject): files kept with a subject, served to those who
    # see it (`file` the FileField, `name` the name to download under)
    attachments: tuple[type, str] | None = None
    # What its work is called where the 工作台 counts it (the label when none is given).
    work: str = ""
    # The key of the subject, found by a branch's id, that lists a branch's records of this
    # one (the branch's 工作手册): where the overview's cell for it links.
    listed_in: str = ""
    # Or, for a subject listed on a page of its own: (branch) -> that list's address.
    listing: Callable[[Any], str] | None = None
    # The page holds the forms of the inputs offered now (a case, a matter: one step after
    # another, each a tap away), rather than a link to each form's own page.
    inline: bool = False
    # Inputs offered apart, after the page (the side exits, corrections and hand-offs).
    side: frozenset[str] = frozenset()
    # (subject, code) -> {"citations": [text], "earliest": date | None}: what a form says of
    # its rules, and the earliest date its act may carry.
    hints: Callable[[Any, str], dict] | None = None
    # name -> workflows.printed.Document: what the portal prints from a record besides its
    # page (a 介绍信), each through the county's Word template "<key>-<name>".
    documents: dict[str, Document] = field(default_factory=dict)

    def template_key(self, name: str) -> str:
        """The county's Word template's key for the named document."""
        return self.documents[name].template_key or f"{self.key}-{name}"

    def template_keys(self) -> list[tuple[str, str]]:
        """(template key, what it prints) of each named document."""
        return [(self.template_key(name), doc.title) for name, doc in self.documents.items()]

    @property
    def listed_documents(self) -> list[tuple[str, Document]]:
        return [(name, doc) for name, doc in self.documents.items() if doc.listed]

    @property
    def table(self) -> step_inputs.Inputs:
        return step_inputs.table(self.prefix, self.inputs)


_surfaces: dict[str, Surface] = {}
# Sections one procedure adds to another's page, by that page's key: (subject, user) ->
# a section, or None (the branch's 主题党日 that carried a village matter's 民主议事).
_contributed: dict[str, list[Callable[[Any, Any], dict | None]]] = {}


def register(surface: Surface, *, page_name: str = "staff:subject") -> Surface:

    _surfaces[surface.key] = surface
    listing = surface.listing
    if surface.listed_in:

        def listing(branch, key=surface.listed_in):
            return reverse(page_name, args=[key, branch.pk])

    links.register(
        surface.model,
        lambda pk, key=surface.key: reverse(page_name, args=[key, pk]),
        surface.work or surface.label,
        listing,
    )
    if surface.attachments is not None:
        model, parent = surface.attachments

        def file_page(pk, key=surface.key, model=model, parent=parent):
            owner = model.objects.filter(pk=pk).values_list(f"{parent}_id", flat=True).first()
            return reverse("staff:subject_file", args=[key, owner, pk]) if owner else ""

        links.register(model, file_page)
    return surface


def contribute(key: str, section: Callable[[Any, Any], dict | None]) -> None:
    _contributed.setdefault(key, []).append(section)


def page_of(surface: Surface, subject, user, query) -> dict:
    """The subject's page as its procedure describes it, with the sections other procedures
    add to it."""
    page = surface.page(subject, user, query)
    added = [section(subject, user) for section in _contributed.get(surface.key, ())]
    return {**page, "sections": [*page["sections"], *(s for s in added if s)]}


def get(key: str) -> Surface | None:
    return _surfaces.get(key)


def all_surfaces() -> dict[str, Surface]:
    return dict(_surfaces)


def entries(user) -> list[dict]:
    """The 工作台's links to the subjects one starts from (a branch's 工作手册), of every
    registered subject that names them."""
    found = []
    for surface in _surfaces.values():
        if surface.entries is None:
            continue
        for label, subject in surface.entries(user):
            found.append({"label": label, "url": url_of(subject), "kind": surface.label})
    return found


def offered(surface: Surface, subject, user) -> list[tuple[str, str]]:
    """The inputs the user may take now, with their labels: the pipeline's answer for the
    transitions, each input's own `offered` for the others."""

    if surface.procedure is not None:
        return may_act.offered(surface.procedure, subject, surface.inputs, user)
    return [
        (code, str(label))
        for code, step in surface.inputs.items()
        if step.offered is not None and (label := step.offered(subject, user))
    ]


def url_of(record) -> str:
    if record is None or getattr(record, "pk", None) is None:
        return ""
    # A proxy (a township's roll-up over its organisation) has a page of its own.
    content_type = ContentType.objects.get_for_model(type(record), for_concrete_model=False)
    return links.link(content_type.pk, record.pk)


def cell(value) -> dict:
    """A row's cell for a template or the API: its text and, for a record, its page (or,
    given as a text, the address it links to: a form of the record to print)."""
    if isinstance(value, tuple) and len(value) == 2:
        text, record = value
        url = record if isinstance(record, str) else url_of(record)
        return {"text": "" if text is None else str(text), "url": url}
    return {"text": "" if value is None else str(value), "url": ""}


def _columns(section: dict, row: list) -> list:
    """Each cell's column name (a phone shows it beside the value); a row of another width
    (a note spanning the table) names none."""
    columns = list(section["columns"])
    return columns if len(row) == len(columns) else [""] * len(row)


def rendered(page: dict) -> dict:
    return {
        "title": page["title"],
        "facts": [{"label": label, **cell(value)} for label, value in page["facts"]],
        "sections": [
            {
                "title": section["title"],
                "note": section.get("note", ""),
                # A section richer than its rows (a chart, a timeline with its corrections)
                # names how the staff page shows it (the portal's template
                # portal/staff/sections/<name>.html) and what that reads; its rows stay what
                # the API and the printed page give.
                "template": f"portal/staff/sections/{section['template']}.html"
                if section.get("template")
                else "",
                "context": section.get("context", {}),
                "fold": section.get("fold", False),
                # (text, query): the same page asked differently (e.g. every row)
                "more": dict(zip(("text", "query"), section["more"], strict=True))
                if section.get("more")
                else None,
                "columns": list(section["columns"]),
                "rows": [
                    [
                        {**cell(value), "label": str(column)}
                        for value, column in zip(row, _columns(section, row), strict=False)
                    ]
                    for row in section["rows"]
                ],
            }
            for section in page["sections"]
        ],
    }
