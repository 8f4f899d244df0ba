"""导入人员和在途案卷: the template workbooks, a dry run reporting each problem on its row and
cell (and the workbook back with the problems marked), the import, all or nothing; and the
export of the same shapes (people with their ID numbers: for those who may see them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.membership import workbook as case_book
from procedures.people import roles, scopes, workbook
from workflows.audit import record_event

from ..documents import spreadsheets
from ..models import ImportRun
from ..surfaces.params import positive_int
from . import import_runs

MAX_BYTES = 20 * 1024 * 1024


def may_import(user) -> bool:
    """Those over a township or the county (who register people and enter cases there)."""
    return user.is_superuser or any(
        roles.holds(user, org, roles.Role.TOWNSHIP) or roles.holds(user, org, roles.Role.COUNTY)
        for org in scopes.scope_roots(user)
    )


def _export(request):
    """The people and cases of the user's scope as a workbook the import reads: ID numbers
    and phones in it, so only for those who may see personal data; the export is audited."""
    if not request.user.has_perm("people.view_personal_data"):
        messages.error(request, _("导出含居民身份证号码和电话，须有查看个人信息的权限。"))
        return None
    body = case_book.export(request.user)
    record_event(
        stream=f"auth.user:{request.user.pk}",
        action="workbook_exported",
        actor=request.user,
        payload={"roots": [org.pk for org in scopes.scope_roots(request.user)]},
    )
    today = timezone.localdate()
    named = _("人员和在途案卷（%(day)s导出）") % {
        "day": f"{today.year}年{today.month}月{today.day}日"
    }
    return spreadsheets.attachment(body, named)


@login_required
def people_import(request):
    if not may_import(request.user):
        return render(request, "portal/staff/people_import.html", {"allowed": False}, status=403)
    if request.method == "GET" and request.GET.get("template") == "cases":
        return spreadsheets.attachment(case_book.template(), _("人员和在途案卷导入模板"))
    if request.method == "GET" and request.GET.get("template"):
        return spreadsheets.attachment(workbook.template(), _("人员导入模板"))
    if request.method == "GET" and request.GET.get("export"):
        response = _export(request)
        if response is not None:
            return response
    if request.method == "POST" and request.POST.get("from_run"):
        # The workbook a check passed, imported as it was: no need to choose the file again.
        checked = ImportRun.objects.filter(
            pk=positive_int(request.POST["from_run"]), user=request.user,
            action=ImportRun.Action.CHECK, status=ImportRun.Status.DONE,
        ).first()  # fmt: skip
        if checked is None or not checked.report.get("ok"):
            raise Http404
        run = import_runs.start(
            user=request.user, filename=checked.filename, content=bytes(checked.content),
            action=ImportRun.Action.IMPORT,
        )  # fmt: skip
        return redirect(f"{request.path}?run={run.pk}")
    if request.method == "POST":
        upload = request.FILES.get("workbook")
        action = request.POST.get("action", "check")
        if upload is None or upload.size > MAX_BYTES:
            messages.error(request, _("请选择不超过20MB的 Excel 文件（.xlsx）。"))
        else:
            run = import_runs.start(
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                action=ImportRun.Action.IMPORT if action == "import" else ImportRun.Action.CHECK,
            )
            return redirect(f"{request.path}?run={run.pk}")
    run = _run(request)
    if run is not None and request.GET.get("format") == "json":
        return JsonResponse(import_runs.progress(run))
    if run is not None and request.GET.get("annotated"):
        if run.status != ImportRun.Status.DONE or not run.report.get("annotatable", True):
            raise Http404  # nothing to mark: the file could not be read
        stem = run.filename.rsplit(".", 1)[0]
        named = _("校验结果（%(file)s）") % {"file": stem}
        return spreadsheets.attachment(import_runs.annotated(run), named)
    context = {
        "allowed": True,
        "run": run,
        "progress": import_runs.progress(run) if run is not None else None,
        "report": run.report if run is not None and run.status == ImportRun.Status.DONE else None,
        "may_export": request.user.has_perm("people.view_personal_data"),
    }
    return render(request, "portal/staff/people_import.html", context)


def _run(request) -> ImportRun | None:
    """The user's own run named in the address (another's is not found)."""
    number = positive_int(request.GET.get("run"))
    if number is None:
        return None
    run = ImportRun.objects.filter(pk=number, user=request.user).defer("content").first()
    if run is None:
        raise Http404
    return run
