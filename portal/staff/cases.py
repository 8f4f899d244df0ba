"""Staff pages for member development beside its generic subject page (the case, its
steps and records: portal/staff/subjects.py): the inbox, the case list, the named forms
filled from a case, and viewflow's chart of the procedure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from procedures.membership import flows, selectors
from procedures.membership import forms as named_forms
from procedures.membership.steps import STAGES, Status, step_name
from procedures.people.models import Organisation

from .. import documents
from ..surfaces.params import positive_int


@login_required
def inbox(request):
    return render(request, "portal/staff/inbox.html", {"tasks": selectors.inbox(user=request.user)})


# A township holds hundreds of cases, a county thousands: the list shows them a page at a time.
CASES_PER_PAGE = 50


@login_required
def case_list(request):
    params = request.GET
    cases = selectors.cases_for(
        user=request.user,
        branch_id=positive_int(params.get("branch")),
        stage=positive_int(params.get("stage")),
        status=params.get("status"),
    )
    overdue = params.get("overdue") == "1"
    page = Paginator(selectors.overdue_only(cases) if overdue else cases, CASES_PER_PAGE).get_page(
        params.get("page")
    )
    rows = list(page)
    late = selectors.late_acts(case.pk for case in rows)
    pressed = selectors.pressed_counts(case.pk for case in rows)
    return render(
        request,
        "portal/staff/case_list.html",
        {
            "cases": [(case, late.get(case.pk, []), pressed.get(case.pk, 0)) for case in rows],
            "page": page,
            "stages": STAGES.items(),
            "statuses": Status.choices,
            "filters": params,
            "branches": Organisation.objects.filter(
                pk__in=selectors.cases_for(user=request.user).values("branch")
            ),
        },
    )


@login_required
def case_page(request, pk: int):
    """The address a case had before it was a generic subject page: bookmarks and older
    reminders still reach it."""
    selectors.case_for(user=request.user, pk=pk)  # out of his scope: refused, as its page is
    return redirect("staff:subject", key="cases", pk=pk, permanent=True)


@login_required
def case_form(request, pk: int, kind: str, fmt: str):
    """A named form of the case filled from its records, as A4 PDF or through the county's
    Word template, to print, sign, stamp and file back on its step."""
    case = selectors.case_for(user=request.user, pk=pk)
    form = named_forms.FORMS.get(kind)
    if form is None or fmt not in documents.FORMATS:
        raise Http404
    if not form.available(case):
        messages.error(
            request,
            _("《%(form)s》要在“%(step)s”办理后才能填写。")
            % {"form": form.title, "step": step_name(form.after)},
        )
        return redirect("staff:subject", key="cases", pk=pk)
    return documents.download(
        request,
        named_forms.page(form, case),
        fmt=fmt,
        template_key=documents.form_key(kind),
        back=reverse("staff:subject", args=["cases", pk]),
    )


@login_required
def case_chart(request, pk: int):
    """viewflow's chart of the procedure, with this case's done and current steps marked."""
    from viewflow.workflow import chart

    case = selectors.case_for(user=request.user, pk=pk)
    grid = chart.calc_layout_data(flows.MemberDevelopmentFlow)
    process = flows.process_of(case)
    if process is not None:
        chart.calc_cell_status(flows.MemberDevelopmentFlow, grid, process.pk)
    return HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")
