"""The staff page and form posts of any registered subject (portal/surfaces/): its title,
facts and sections as the procedure describes them, and the forms the user may take now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from workflows import files
from workflows.errors import ProcedureError

from .. import documents, errors, surfaces
from ..surfaces import step_inputs
from . import workbench


def _surface(key: str) -> surfaces.Surface:
    surface = surfaces.get(key)
    if surface is None:
        raise Http404
    return surface


def _form(surface, subject, code: str, label: str) -> dict:
    hints = surface.hints(subject, code) if surface.hints else {}
    return {
        "step": code,
        "name": label,
        "fields": step_inputs.form_fields(
            surface.inputs[code], subject, earliest=hints.get("earliest")
        ),
        "citations": hints.get("citations", ()),
    }


@login_required
def subject_detail(request, key: str, pk: int):
    """The subject's page: its facts, its open deadlines and sections, and what the user may
    take now: for a subject taken one step after another (a case, a matter) the forms
    themselves, the side exits and corrections after the page; otherwise a link to each
    form's own page (a branch's 工作手册 with every member in its forms would not stay
    small on a phone's connection)."""
    surface = _surface(key)
    subject = surface.find(request.user, pk)
    page = surfaces.page_of(surface, subject, request.user, request.GET)
    actions = surfaces.offered(surface, subject, request.user)
    forms, side = [], []
    if surface.inline:
        for code, label in actions:
            form = _form(surface, subject, code, label)
            (side if code in surface.side else forms).append(form)
        actions = []
    return render(
        request,
        "portal/staff/subject.html",
        {
            "surface": surface,
            "subject": subject,
            "page": surfaces.rendered(page),
            "due": workbench.due_for(subject),
            "actions": actions,
            "forms": forms,
            "side": side,
            # The named documents the page lists, those the user may print now.
            "documents": [
                (name, document)
                for name, document in surface.listed_documents
                if not document.refusal(subject, request.user)
            ],
        },
    )


@login_required
def subject_step(request, key: str, pk: int, step: str):
    """GET: the step's form, if the user may take it now. POST: take it; a refusal comes
    back to the form with the reason, and what was typed is put back (step_forms.js)."""
    surface = _surface(key)
    subject = surface.find(request.user, pk)
    table = surface.table
    if step not in table:
        return redirect("staff:subject", key=key, pk=pk)
    if request.method == "GET":
        label = dict(surfaces.offered(surface, subject, request.user)).get(step)
        if label is None:
            messages.error(request, _("您现在不能办理这一步骤。"))
            return redirect("staff:subject", key=key, pk=pk)
        return render(
            request,
            "portal/staff/subject_form.html",
            {"surface": surface, "subject": subject, "form": _form(surface, subject, step, label)},
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        result = step_inputs.run(
            table, subject, step, request.user, step_inputs.form_data(request, table[step][0])
        )
    except ProcedureError as error:  # refused: say why, change nothing, keep the form
        errors.flash(request, error)
        # An inline form is on the subject's page: back there, where it was typed.
        if surface.inline:
            return redirect("staff:subject", key=key, pk=pk)
        return redirect("staff:subject_step", key=key, pk=pk, step=step)
    messages.success(request, _("已办理：%(step)s。") % {"step": surface.inputs[step].label})
    # An input that made a new record (a meeting planned) goes on to its page.
    made = surfaces.url_of(result) if result is not None and result != subject else ""
    return redirect(made or "staff:subject", **({} if made else {"key": key, "pk": pk}))


@login_required
def subject_document(request, key: str, pk: int, fmt: str):
    """The page printed: A4 PDF, or Word through the county's template (or the default);
    or as an Excel workbook. Each row naming a record links to its page."""
    surface = _surface(key)
    if fmt not in documents.PAGE_FORMATS:
        raise Http404
    subject = surface.find(request.user, pk)
    return documents.download(
        request,
        surfaces.rendered(surfaces.page_of(surface, subject, request.user, request.GET)),
        fmt=fmt,
        template_key=key,
        back=reverse("staff:subject", kwargs={"key": key, "pk": pk}),
    )


@login_required
def subject_named_document(request, key: str, pk: int, name: str, fmt: str):
    """A document the subject's procedure prints from it (a 介绍信): A4 PDF, or Word through
    the county's template (`Surface.template_key`); one it may not print yet sends the user back
    to the record with why."""
    surface = _surface(key)
    document = surface.documents.get(name)
    if document is None or fmt not in documents.FORMATS:
        raise Http404
    subject = surface.find(request.user, pk)
    back = reverse("staff:subject", kwargs={"key": key, "pk": pk})
    refusal = document.refusal(subject, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    page = document.build(subject, request.user)
    return documents.download(
        request, page, fmt=fmt, template_key=surface.template_key(name), back=back
    )


@login_required
def subject_file(request, key: str, pk: int, file_id: int):
    """A file kept with a subject, to those who see the subject; always a download, never
    shown inline (its type is what its bytes were when it was received)."""
    surface = _surface(key)
    if surface.attachments is None:
        raise Http404
    subject = surface.find(request.user, pk)
    model, parent = surface.attachments
    row = model.objects.filter(pk=file_id, **{parent: subject}).first()
    if row is None:
        raise Http404
    kind = getattr(row, "content_type", "application/octet-stream")
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        # the extension of what its bytes are, whatever name it came with (older rows too)
        filename=files.named_for(row.name, kind) if kind in files.EXTENSIONS else row.name,
        content_type=kind,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
