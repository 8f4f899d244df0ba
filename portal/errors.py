"""The one place where a refused action becomes an HTTP answer.

API: JSON `{code, message, citation}` with the error's status (400/403/404/409).
Pages: the same message rendered in a page with that status.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler

from workflows.errors import ProcedureError

logger = logging.getLogger(__name__)

MSG_NOT_AUTHENTICATED = gettext_noop("请先登录。")
MSG_FORBIDDEN = gettext_noop("您没有执行此操作的权限。")
MSG_NOT_FOUND = gettext_noop("没有找到该记录，或不在您的管理范围内。")
MSG_INVALID = gettext_noop("提交的数据有误。")
MSG_METHOD = gettext_noop("不支持该请求方式。")
MSG_THROTTLED = gettext_noop("请求过于频繁，请稍后再试。")
MSG_SERVER = gettext_noop("服务器内部错误，请稍后再试。")
MSG_NUL = gettext_noop("提交的内容含有无法保存的控制字符（NUL），请删除后重试。")


def _from_drf(exc: Exception) -> ProcedureError | None:
    if isinstance(exc, ProcedureError):
        return exc
    if isinstance(exc, drf_exceptions.NotAuthenticated | drf_exceptions.AuthenticationFailed):
        return ProcedureError("not_authenticated", _(MSG_NOT_AUTHENTICATED), status=401)
    if isinstance(exc, drf_exceptions.PermissionDenied | DjangoPermissionDenied):
        return ProcedureError("forbidden", _(MSG_FORBIDDEN), status=403)
    if isinstance(exc, drf_exceptions.NotFound | Http404):
        return ProcedureError("not_found", _(MSG_NOT_FOUND), status=404)
    if isinstance(exc, drf_exceptions.ValidationError | drf_exceptions.ParseError):
        detail = exc.detail if isinstance(exc, drf_exceptions.ValidationError) else str(exc.detail)
        return ProcedureError("invalid", _(MSG_INVALID), extra={"fields": detail}, status=400)
    if isinstance(exc, drf_exceptions.MethodNotAllowed):
        return ProcedureError("method_not_allowed", _(MSG_METHOD), status=405)
    if isinstance(exc, drf_exceptions.Throttled):
        return ProcedureError("throttled", _(MSG_THROTTLED), status=429)
    return None


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    error = _from_drf(exc)
    if error is None:
        response = drf_default_handler(exc, context)
        if response is not None:
            return response
        logger.exception("unhandled API error")
        error = ProcedureError("server_error", _(MSG_SERVER), status=500)
    return Response(error.as_dict(), status=error.status)


def flash(request: HttpRequest, error: ProcedureError) -> None:
    """A refusal kept on the staff page it came from: the message and the rule's source."""
    text = error.message
    if error.uncited_source is not None:
        text = _("%(message)s（依据：%(citation)s）") % {
            "message": text,
            "citation": error.uncited_source,
        }
    messages.error(request, text)


def error_page(request: HttpRequest, error: ProcedureError) -> HttpResponse:
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.path.startswith("/api/") or wants_json or request.content_type == "application/json":
        return JsonResponse(error.as_dict(), status=error.status)
    staff = request.path.startswith(("/staff/", "/admin/"))
    template = "portal/error.html" if staff else "portal/public/error.html"
    return render(request, template, {"error": error}, status=error.status)


class ProcedureErrorMiddleware:
    """Turns a ProcedureError raised by a page view into a page with the right status."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, ProcedureError):
            return error_page(request, exception)
        return None


def _has_nul(request: HttpRequest) -> bool:
    for values in (request.GET, *(() if _is_json(request) else (request.POST,))):
        for key, items in values.lists():
            if "\x00" in key or any("\x00" in item for item in items):
                return True
    return _is_json(request) and (b"\\u0000" in request.body or b"\x00" in request.body)


def _is_json(request: HttpRequest) -> bool:
    return request.method in ("POST", "PUT", "PATCH") and "json" in (request.content_type or "")


class RejectNulMiddleware:
    """A NUL byte can be neither stored (PostgreSQL text refuses it) nor meant: a request
    carrying one anywhere, a form field, a query parameter or a JSON body, is refused
    with 400 before any view reads it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return error_page(request, ProcedureError("nul_byte", _(MSG_NUL), status=400))
        return self.get_response(request)
