"""长期不发展党员预警 (reported local practice, domain/member-development.md): a branch that
has admitted no new member for two consecutive years is flagged for the township committee,
three years for the county committee; the flag is cleared once it admits one."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from procedures.membership.models import Case
from procedures.people import scopes
from procedures.people.models import Organisation
from workflows.audit import stream_of
from workflows.models import AuditEvent

from .models import StagnationWarning

Level = StagnationWarning.Level
YEARS = {Level.TOWNSHIP: 2, Level.COUNTY: 3}


def last_admissions() -> dict[int, date | None]:
    """The last day each village branch admitted a probationary member (审批), if ever."""
    branches = Organisation.objects.filter(kind=Organisation.Kind.VILLAGE_BRANCH)
    latest = dict(
        Case.objects.filter(approved_on__isnull=False)
        .values("branch_id")
        .annotate(last=Max("approved_on"))
        .values_list("branch_id", "last")
    )
    return {branch.pk: latest.get(branch.pk) for branch in branches}


def since(branch: Organisation, last: date | None) -> date:
    """From when the branch counts as not developing: its last admission, or, with none on
    record, the day the branch was entered in Jiceng (no branch is flagged on adoption)."""
    if last is not None:
        return last
    created = AuditEvent.objects.filter(
        stream=stream_of(branch), action="organisation_created"
    ).first()
    return created.act_date if created else timezone.localdate()


@transaction.atomic
def sweep(*, today: date) -> dict[str, int]:
    raised = cleared = 0
    for branch_id, last in last_admissions().items():
        branch = Organisation.objects.get(pk=branch_id)
        start = since(branch, last)
        for level, years in YEARS.items():
            due = start + relativedelta(years=years)
            open_warning = StagnationWarning.objects.filter(
                branch=branch, level=level, cleared_on__isnull=True
            ).first()
            if today >= due and open_warning is None:
                StagnationWarning.objects.create(
                    branch=branch, level=level, last_admission=last, raised_on=today
                )
                raised += 1
            elif today < due and open_warning is not None:
                open_warning.cleared_on = today
                open_warning.save(update_fields=["cleared_on"])
                cleared += 1
    return {"raised": raised, "cleared": cleared}


def visible_to(user):
    """Shown to the levels that manage them: a township committee sees its branches'
    warnings; the county sees the county-level ones. A branch does not see its own."""

    warnings = StagnationWarning.objects.filter(cleared_on__isnull=True).select_related(
        "branch", "branch__parent"
    )
    if user.is_superuser:
        return warnings
    condition = Q(pk__in=[])
    for root in scopes.scope_roots(user):
        if root.kind == Organisation.Kind.TOWNSHIP_COMMITTEE:
            condition |= Q(branch__path__startswith=root.path)
        elif root.kind == Organisation.Kind.COUNTY_COMMITTEE:
            condition |= Q(branch__path__startswith=root.path, level=Level.COUNTY)
    return warnings.filter(condition)
