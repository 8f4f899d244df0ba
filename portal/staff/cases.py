"""Staff pages for member development beside its generic subject page (the case, its
steps, records and named forms: portal/staff/subjects.py): the inbox, the case list, and
viewflow's chart of the procedure."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from procedures.membership import flows, selectors
from procedures.membership.steps import STAGES, Status
from procedures.people.models import Organisation

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
def case_chart(request, pk: int):
    """viewflow's chart of the procedure, with this case's done and current steps marked."""
    from viewflow.workflow import chart

    case = selectors.case_for(user=request.user, pk=pk)
    grid = chart.calc_layout_data(flows.MemberDevelopmentFlow)
    process = flows.process_of(case)
    if process is not None:
        chart.calc_cell_status(flows.MemberDevelopmentFlow, grid, process.pk)
    return HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")
