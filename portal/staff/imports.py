"""导入人员: the template workbook, a dry run reporting each problem on its row and cell (and the
workbook back with the problems marked), and the import, all or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from procedures.people import roles, scopes, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 10 * 1024 * 1024


def may_import(user) -> bool:
    """Those over a township or the county (who register people there)."""
    return user.is_superuser or any(
        roles.holds(user, org, roles.Role.TOWNSHIP) or roles.holds(user, org, roles.Role.COUNTY)
        for org in scopes.scope_roots(user)
    )


def _attachment(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def people_import(request):
    if not may_import(request.user):
        return render(request, "portal/staff/people_import.html", {"allowed": False}, status=403)
    if request.method == "GET" and request.GET.get("template"):
        return _attachment(workbook.template(), "people-template.xlsx")
    report = None
    if request.method == "POST":
        upload = request.FILES.get("workbook")
        action = request.POST.get("action", "check")
        if upload is None or upload.size > MAX_BYTES:
            messages.error(request, _("请选择不超过10MB的 Excel 文件（.xlsx）。"))
        else:
            content = upload.read()
            report = workbook.load(content, actor=request.user, dry_run=action != "import")
            if action == "annotate":
                return _attachment(workbook.annotated(content, report), "people-checked.xlsx")
            if report.written:
                messages.success(
                    request,
                    _("已导入%(created)s人；%(unchanged)s人此前已登记，未改动。")
                    % {"created": report.created, "unchanged": report.unchanged},
                )
            elif action == "import" and not report.ok:
                messages.error(request, _("有问题未改正，没有导入任何人员。请改正后重新导入。"))
    return render(request, "portal/staff/people_import.html", {"allowed": True, "report": report})
