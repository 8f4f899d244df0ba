"""What every response says about itself beyond its content, and who the client is: the
browser features pages may use, the login lockout's answer, the client's address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows.errors import ProcedureError

from .errors import error_page

# Nothing here films, listens, locates, pays or talks to devices.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)
MSG_LOCKED_OUT = gettext_noop(
    "该账号密码错误次数过多，已暂时锁定，请%(minutes)d分钟后再试；如忘记密码，请联系县委组织部重置。"
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_address(request: HttpRequest) -> str:
    """The client's address as our proxy saw it. A header like X-Forwarded-For is a list
    each proxy appends to: its first entries are whatever the client sent, so the address is
    the one our own proxy (the last of JICENG_TRUSTED_PROXIES) added."""
    header = settings.JICENG_CLIENT_IP_HEADER
    chain = [part.strip() for part in request.META.get(header, "").split(",")] if header else []
    chain = [part for part in chain if part]
    if not chain:
        return request.META.get("REMOTE_ADDR", "")
    return chain[-min(settings.JICENG_TRUSTED_PROXIES, len(chain))]


def login_locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked account: a Chinese page (or JSON), status 429."""

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    error = ProcedureError("login_locked", _(MSG_LOCKED_OUT) % {"minutes": minutes}, status=429)
    return error_page(request, error)


def name_download(response: HttpResponse, name: str, *, inline: bool = False) -> HttpResponse:
    """The file's name as a user would call it (Chinese, RFC 5987 `filename*`), without path
    separators or control characters; shown in the browser (`inline`) or saved."""

    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '/\\:*?"<>|')
    stem, dot, extension = cleaned.rpartition(".")
    if dot and len(stem) > 80:
        cleaned = f"{stem[:80]}.{extension}"
    response["Content-Disposition"] = content_disposition_header(not inline, cleaned or "文件")
    return response
