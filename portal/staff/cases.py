"""Staff pages for member development: inbox, case list, case page, step forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from procedures.membership import declaration, permissions, projection, selectors, services
from procedures.membership import forms as named_forms
from procedures.membership.models import Observation
from procedures.membership.services.base import CASES
from procedures.membership.steps import (
    AMENDS,
    CHECKLIST,
    EXITS,
    STAGES,
    STEP_RULES,
    Role,
    Status,
    applicable_steps,
    step_name,
)
from procedures.people.models import Organisation
from workflows import may_act
from workflows.errors import ProcedureError
from workflows.rules import get_rulebook

from .. import case_steps, documents, errors, step_inputs, workbench
from ..params import positive_int

# The side exits, and the corrections and hand-offs: offered apart from the next step.
SIDE = {*EXITS, *AMENDS}


def _earliest_act(case):
    """The earliest date the next step's act may carry. The projection plans from today; an
    act is often entered days after it happened, so here it is counted from the last act."""
    projected = projection.project(case, today=case.last_act_on or case.applied_on, limit=1)
    return projected[0].earliest if projected else None


def _fields(case, step: str, earliest) -> list[dict]:
    return step_inputs.form_fields(declaration.STEP_INPUTS[step], case, earliest=earliest)


def _citations(case, step: str) -> list[str]:
    rulebook = get_rulebook(case.rulebook)
    out = []
    for rule_id in STEP_RULES.get(step, ()):
        if rule_id in rulebook and rulebook.rule(rule_id).enabled:
            rule = rulebook.rule(rule_id)
            text = rule.message.split("，")[0].split("（")[0]
            out.append(f"{text.format_map(_Blank(rule.params))}（{rule.citation(rulebook.key)}）")
    return out


class _Blank(dict):
    def __missing__(self, key):
        return "…"


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
def case_detail(request, pk: int):
    case = selectors.case_for(user=request.user, pk=pk)
    upcoming = projection.project(case)
    steps = applicable_steps(
        variant=case.variant,
        candidate_notice="propose_candidate" in {p.code for p in upcoming}
        or case.records.filter(step="propose_candidate").exists(),
    )
    done = set(case.acts)  # returned or taken back: to be done again
    current = upcoming[0].code if upcoming else None
    # What the page offers is what the user may take now: the pipeline's answer over the
    # declared steps (open from the status, conditions met, his by the permission).
    offered = may_act.offered(CASES, case, declaration.STEP_INPUTS, request.user)
    forms, exits = [], []
    for code, label in offered:
        form = {
            "step": code,
            "name": label,
            "fields": _fields(case, code, None if code in SIDE else _earliest_act(case)),
            "citations": _citations(case, code),
        }
        if code in SIDE:
            exits.append(form)
        else:
            forms.append(form)
    materials = list(case.materials.select_related("replaces").order_by("step", "kind", "pk"))
    replaced = {m.replaces_id for m in materials if m.replaces_id}
    present_kinds = {m.kind for m in materials}
    checklist = [
        {
            "step": step_code,
            "step_name": step_name(step_code),
            "kind": kind,
            "label": label,
            "present": kind in present_kinds,
            "form": kind in named_forms.FORMS and named_forms.FORMS[kind].available(case),
        }
        for step_code, items in CHECKLIST.items()
        for kind, label in items
    ]
    return render(
        request,
        "portal/staff/case_detail.html",
        {
            "case": case,
            "stage": selectors.stage_of(case.status),
            "stages": STAGES,
            "chart": [
                {"step": s, "done": s.code in done, "current": s.code == current} for s in steps
            ],
            "timeline": selectors.timeline(case),
            "due": workbench.due_for(case),
            "projection": upcoming,
            "forms": forms,
            "exits": exits,
            "checklist": checklist,
            "materials": [
                {
                    "material": m,
                    "step_name": step_name(m.step),
                    "reviewed_at": step_name(m.reviewed_at) if m.reviewed_at else "",
                    "replaced": m.pk in replaced,
                }
                for m in materials
            ],
            "may_act_branch": permissions.may_act(case, request.user, Role.BRANCH),
            "rulebook": get_rulebook(case.rulebook),
            "observation_kinds": Observation.Kind.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def case_step(request, pk: int, step: str):
    case = selectors.case_for(user=request.user, pk=pk)
    if step not in case_steps.STEP_INPUTS:
        return redirect("staff:case", pk=pk)
    try:
        case_steps.perform(
            case,
            step,
            request.user,
            step_inputs.form_data(request, case_steps.STEP_INPUTS[step][0]),
        )
    except ProcedureError as error:  # refused: say why, change nothing, keep the page
        errors.flash(request, error)
        return redirect("staff:case", pk=pk)
    messages.success(request, _("已办理：%(step)s。") % {"step": step_name(step)})
    return redirect("staff:case", pk=pk)


@login_required
@require_POST
def case_material(request, pk: int):
    case = selectors.case_for(user=request.user, pk=pk)
    data = request.POST.copy()
    data.update(request.FILES)
    parsed = case_steps.MaterialInput(data=data)
    try:
        if not parsed.is_valid():
            raise step_inputs.invalid_input(parsed)
        services.case_add_material(case_id=case.pk, actor=request.user, **parsed.validated_data)
    except ProcedureError as error:
        errors.flash(request, error)
        return redirect("staff:case", pk=pk)
    messages.success(request, _("材料已存入档案。"))
    return redirect("staff:case", pk=pk)


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
        return redirect("staff:case", pk=pk)
    return documents.download(
        request,
        named_forms.page(form, case),
        fmt=fmt,
        template_key=documents.form_key(kind),
        back=reverse("staff:case", args=[pk]),
    )


@login_required
@require_POST
def case_observation(request, pk: int):
    case = selectors.case_for(user=request.user, pk=pk)
    parsed = case_steps.ObservationInput(data=request.POST)
    try:
        if not parsed.is_valid():
            raise step_inputs.invalid_input(parsed)
        services.case_observe(case_id=case.pk, actor=request.user, **parsed.validated_data)
    except ProcedureError as error:  # refused: say why, change nothing, keep the page
        errors.flash(request, error)
        return redirect("staff:case", pk=pk)
    messages.success(request, _("已登记。"))
    return redirect("staff:case", pk=pk)


@login_required
def case_chart(request, pk: int):
    """viewflow's chart of the procedure, with this case's done and current steps marked."""
    from django.http import HttpResponse
    from viewflow.workflow import chart

    from procedures.membership import flows

    case = selectors.case_for(user=request.user, pk=pk)
    grid = chart.calc_layout_data(flows.MemberDevelopmentFlow)
    process = flows.process_of(case)
    if process is not None:
        chart.calc_cell_status(flows.MemberDevelopmentFlow, grid, process.pk)
    return HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")
