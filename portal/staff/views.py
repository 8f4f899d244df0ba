"""Staff pages: parse input, call one selector or service, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from procedures.branchlife import standing
from procedures.people import roles, scopes, selectors
from procedures.people.models import Person

from .. import surfaces
from ..models import ImportRun
from ..surfaces.params import positive_int
from . import overview as overview_of
from . import workbench
from .imports import may_import


@login_required
def home(request):
    positions = scopes.current_positions(request.user)
    return render(
        request,
        "portal/staff_home.html",
        {
            "positions": positions,
            "roots": scopes.scope_roots(request.user),
            "is_superuser": request.user.is_superuser,
            "person_count": selectors.persons_list(user=request.user).count(),
            "entries": surfaces.entries(request.user),
            "today": workbench.today(request.user),
            # A township's or the county's cadre watches the villages.
            "oversees": any(role != "branch" for role, _p, _e in roles.acting_scopes(request.user)),
        },
    )


@login_required
def overview(request):
    kinds, rows = overview_of.villages(request.user)
    return render(request, "portal/staff/overview.html", {"kinds": kinds, "rows": rows})


@login_required
def overview_cell(request, pk: int):
    """One cell of 各村情况: exactly the overdue and due-soon items it counts."""
    found = overview_of.cell_items(request.user, pk, request.GET.get("kind", "")[:40])
    if found is None:
        raise Http404
    branch, items, listing = found
    context = {"branch": branch, "kind": request.GET["kind"], "items": items, "listing": listing}
    return render(request, "portal/staff/overview_cell.html", context)


@login_required
def people_list(request):
    standing = request.GET.get("standing") or None
    if standing not in Person.Standing.values:
        standing = None
    imported = None
    if request.GET.get("imported"):  # those the user's own import registered
        imported = (
            ImportRun.objects.filter(pk=positive_int(request.GET["imported"]), user=request.user)
            .defer("content")
            .first()
        )
        if imported is None:
            raise Http404
    persons = selectors.persons_list(
        user=request.user,
        organisation_id=positive_int(request.GET.get("organisation")),
        standing=standing,
        query=request.GET.get("q", "")[:50],
        among=imported.report.get("created_people", []) if imported else None,
    )
    page = Paginator(persons, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/people_list.html",
        {
            "page": page,
            "organisations": selectors.organisations_list(user=request.user),
            "standings": Person.Standing.choices,
            "filters": request.GET,
            "imported": imported,
            "may_import": may_import(request.user),
        },
    )


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    year = timezone.localdate().year
    return render(
        request,
        "portal/person_detail.html",
        {
            "person": person,
            "positions": person.positions.select_related("organisation"),
            "may_see_personal_data": request.user.has_perm("people.view_personal_data"),
            # 凡评必审: the member's organisational life this year, from the records.
            "life": standing.member_year(person, year),
            "year": year,
            **selectors.person_history(person),
        },
    )


@login_required
@require_http_methods(["POST"])
def person_personal_data(request, pk: int):
    person = selectors.person_personal_data(
        user=request.user, pk=pk, reason=request.POST.get("reason", "")
    )
    response = render(request, "portal/person_personal_data.html", {"person": person})
    response["Cache-Control"] = "no-store"
    return response
