"""The villagers' portal: no login, public fields only, small pages."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date as date_
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from procedures.publicity import selectors, services
from procedures.village import selectors as village_selectors
from procedures.village import services as village_services
from procedures.village.models import Matter
from procedures.village.selectors import read_counts
from workflows import publication
from workflows.errors import ProcedureError
from workflows.notices import grouped_receipt

from ..headers import client_address, name_download
from . import pdf, qr
from .cache import public_page
from .texts import board_badge, period_text, status_text

CLIENT_COOKIE = "jc_cid"
MSG_FORM_ONLY = gettext_noop("请通过页面上的表单提交。")
MSG_NOT_A_RESULT = gettext_noop("这不是村级事务的结果公开。")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _keyed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _client_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """An anonymous id per browser, with the address the key of the objection rate limit."""
    if CLIENT_COOKIE not in request.COOKIES:
        response.set_cookie(
            CLIENT_COOKIE,
            secrets.token_urlsafe(16),
            max_age=365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


def _absolute(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


@require_GET
def healthz(request):
    """For a load balancer's health check (and the portal benchmark's floor): the smallest
    answer the whole middleware stack can give, touching no database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_GET
@public_page()
def home(request):
    query = request.GET.get("q", "")[:20]
    context = {
        "townships": selectors.townships_public(),
        "query": query,
        "results": selectors.villages_public(query=query) if query.strip() else None,
    }
    return render(request, "portal/public/home.html", context)


@require_GET
@public_page()
def township(request, pk: int):
    township = selectors.township_public(pk=pk)
    villages = selectors.villages_public(township_id=township.pk)
    return render(
        request, "portal/public/township.html", {"township": township, "villages": villages}
    )


@require_GET
@public_page()
def village(request, pk: int):
    village = selectors.village_public(pk=pk)
    board = selectors.village_board(village=village)
    today = timezone.localdate()
    return render(
        request,
        "portal/public/village.html",
        {
            "village": village,
            "current": [(notice, board_badge(notice, today)) for notice in board.current],
            "archived": [(notice, board_badge(notice, today)) for notice in board.archived],
            "provisional": any(notice.provisional for notice in board.current),
            "page_url": _absolute(request, "public:village", pk),
        },
    )


@require_GET
@public_page(per_visitor=_client_cookie)
def notice(request, pk: int):
    notice = selectors.notice_public(pk=pk)
    today = timezone.localdate()
    acknowledgeable = _matter_of(notice) if notice.kind == "result" else None
    response = render(
        request,
        "portal/public/notice.html",
        {
            "notice": notice,
            "period_text": period_text(notice),
            "status_text": status_text(notice, today),
            "not_started": notice.published_on is not None and today < notice.published_on,
            "summary": selectors.objections_public_summary(notice=notice),
            "accepts_objections": notice.accepts_objections(today),
            "page_url": _absolute(request, "public:notice", pk),
            "limits": {"min": services.TEXT_MIN, "max": services.TEXT_MAX},
            "acknowledgeable": acknowledgeable,
            "read_counts": read_counts(acknowledgeable) if acknowledgeable else [],
        },
    )
    return response


@require_GET
@cache_control(max_age=300)
def notice_pdf(request, pk: int):
    notice = selectors.notice_public(pk=pk)
    url = _absolute(request, "public:notice", pk)
    # A published notice's content never changes; only its status does. Rendering embeds a
    # CJK font subset (a few hundred ms), so the bytes are cached per status and address.
    key = "notice-pdf:" + hashlib.sha256(f"{pk}|{notice.status}|{url}".encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = pdf.notice_pdf(notice, url=url)
        cache.set(key, body, 3600)
    response = HttpResponse(body, content_type="application/pdf")
    return name_download(response, f"{notice.title}.pdf", inline=True)


# The two forms of a notice page are anonymous: no session, no login, no authority that a
# forged request could borrow, which is what CSRF protection guards. Without a per-visitor
# token the page is the same for everyone and is served from the cache; submissions stay
# validated and rate-limited per client and per network.
@csrf_exempt
@require_POST
def concern(request, pk: int):
    content_type = request.content_type or ""
    if content_type not in _FORM_TYPES:
        raise ProcedureError("unsupported_content_type", _(MSG_FORM_ONLY), status=415)
    address = client_address(request)
    objection = services.objection_submit(
        notice_id=pk,
        text=request.POST.get("text", ""),
        name=request.POST.get("name", ""),
        phone=request.POST.get("phone", ""),
        client_key=_keyed(f"{address}|{request.COOKIES.get(CLIENT_COOKIE, '')}"),
        network_key=_keyed(address),
    )
    return _receipt_page(request, objection, new=True)


@require_GET
def receipt(request):
    number = request.GET.get("no", "")
    if not number:
        return render(request, "portal/public/receipt_lookup.html", {})
    objection = selectors.objection_by_receipt(receipt=number)
    return _receipt_page(request, objection, new=False)


def _receipt_page(request, objection, *, new: bool):
    """The receipt says its number as it is read aloud, and who checks the concern and by
    when: the township committee, by the day the notice's period has run out."""
    notice = objection.notice
    return render(
        request,
        "portal/public/receipt.html",
        {
            "objection": objection,
            "new": new,
            "number": grouped_receipt(objection.receipt),
            "checker": notice.village.township.name,
            "due": notice.ends_on + timedelta(days=1) if notice.ends_on else None,
        },
    )


@require_GET
@cache_control(max_age=86400)
def qr_village(request, pk: int):
    selectors.village_public(pk=pk)
    return HttpResponse(
        qr.svg(_absolute(request, "public:village", pk)), content_type="image/svg+xml"
    )


@require_GET
@cache_control(max_age=86400)
def qr_notice(request, pk: int):
    selectors.notice_public(pk=pk)
    return HttpResponse(
        qr.svg(_absolute(request, "public:notice", pk)), content_type="image/svg+xml"
    )


@require_GET
def elder_mode(request, state: str):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    if state == "on":
        response.set_cookie("jc_elder", "1", max_age=365 * 86400, samesite="Lax")
    else:
        response.delete_cookie("jc_elder")
    return response


def _matter_of(notice):
    """The village matter a result notice is about, if any."""

    if notice.subject_type_id is None or notice.subject_type.model_class() is not Matter:
        return None
    return Matter.objects.filter(pk=notice.subject_id).first()


@csrf_exempt  # anonymous, like `concern`
@require_POST
def read(request, pk: int):
    """A household says it has read the result (一知晓)."""
    notice = selectors.notice_public(pk=pk)
    matter = _matter_of(notice)
    if matter is None:
        raise ProcedureError("not_a_result", _(MSG_NOT_A_RESULT), status=404)
    address = client_address(request)
    receipt = village_services.matter_read(
        matter_id=matter.pk,
        household_number=request.POST.get("household", ""),
        code=request.POST.get("code", ""),
        client_key=_keyed(f"{address}|{request.COOKIES.get(CLIENT_COOKIE, '')}"),
        network_key=_keyed(address),
    )
    return render(
        request,
        "portal/public/read.html",
        {"notice": notice, "receipt": receipt, "known": village_selectors.read_counts(matter)},
    )


@require_GET
def audit_heads(request):
    """每日公布的审计链头: anyone may keep a copy; a rewritten record then shows."""

    return render(
        request,
        "portal/public/audit_heads.html",
        {
            "publications": list(reversed(publication.publications())),
            "public_key": publication.public_key_text(),
        },
    )


@require_GET
def audit_heads_file(request, day: str):

    try:
        date_.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    path = publication.directory() / f"{day}.json"
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="application/json")
    return name_download(response, f"审计链公布值（{day}）.json")
