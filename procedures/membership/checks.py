"""Start-up check: the lifecycle's transitions (lifecycle.py) agree with the step records
(steps.py) that the pages, the API, the workbook and the projection read: each step that is a
transition reaches the status its record says, under the permission of its record's role. The
role is written in both places today (issue 32 makes the record the only one); until then a
disagreement stops the start with the step's name, instead of a page offering what the
lifecycle refuses."""

from __future__ import annotations

from django.core.checks import Error

# The corrections (退回, 撤回) are no step of the path: their own permissions decide.
CORRECTIONS = frozenset({"send_back", "take_back"})


def lifecycle_agrees(app_configs=None, **kwargs) -> list[Error]:
    from . import permissions
    from .models import Case
    from .steps import ANY_STEP, Role

    by_role = {
        Role.BRANCH: permissions.branch,
        Role.TOWNSHIP: permissions.township,
        Role.COUNTY: permissions.county,
    }
    transitions = {t.name: t for t in Case().get_all_status_transitions()}
    errors = []
    for code, transition in sorted(transitions.items()):
        if code in CORRECTIONS:
            continue
        step = ANY_STEP.get(code)
        if step is None:
            errors.append(
                Error(f"转换 {code} 没有对应的步骤记录（steps.py）", id="membership.E001")
            )
            continue
        said = f"步骤“{step.name}”（{code}）"
        if transition.target != step.reached:
            errors.append(
                Error(
                    f"{said}：转换到 {transition.target}，步骤记录为 {step.reached}",
                    id="membership.E002",
                )
            )
        if transition.permission is not by_role.get(step.role):
            errors.append(
                Error(
                    f"{said}：转换的权限与步骤记录的角色（{step.role}）不一致",
                    id="membership.E003",
                )
            )
    for code, step in ANY_STEP.items():
        if code not in transitions and code != "apply":  # apply opens the case: no transition
            errors.append(
                Error(
                    f"步骤“{step.name}”（{code}）没有对应的转换（lifecycle.py）",
                    id="membership.E004",
                )
            )
    return errors
