"""Whole public pages kept in the cache for JICENG_PUBLIC_CACHE_SECONDS.

Villagers' pages are the same for everyone (no login, nothing personal), so a page is
rendered once and served from the cache to the next thousand readers. The key holds the host
and full path (the page prints its own address), the elder-mode cookie, and a version that
every change of what public pages show moves (`publicity.services.public_changed`): with a
shared cache (CACHE_URL, Redis in production) a change shows at once everywhere; with the
per-process default it shows in the process that made it at once and elsewhere within the
cache time. Per-visitor parts (the client cookie) are added to each answer, cached or not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from ..context import ELDER_COOKIE

VERSION_KEY = "public-pages:version"


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def forget_all(**_kwargs) -> None:
    """Every cached public page is out of date (a receiver of `public_changed`)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (evicted, or a new cache): start a version afresh
        cache.set(VERSION_KEY, 2, timeout=None)


def _key(request: HttpRequest) -> str:
    parts = "|".join(
        (
            request.get_host(),
            request.get_full_path(),
            "elder" if request.COOKIES.get(ELDER_COOKIE) == "1" else "",
            "https" if request.is_secure() else "http",
            str(version()),
        )
    )
    return "public-page:" + hashlib.sha256(parts.encode()).hexdigest()


def public_page(*, per_visitor: Callable[[HttpRequest, HttpResponse], None] | None = None):
    """Cache a public GET page's 200 answer; `per_visitor` adds what is each visitor's own."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            seconds = settings.JICENG_PUBLIC_CACHE_SECONDS
            if request.method not in ("GET", "HEAD") or seconds <= 0:
                response = view(request, *args, **kwargs)
            else:
                key = _key(request)
                cached = cache.get(key)
                if cached is not None:
                    content, content_type = cached
                    response = HttpResponse(content, content_type=content_type)
                else:
                    response = view(request, *args, **kwargs)
                    if response.status_code == 200 and not response.streaming:
                        cache.set(key, (response.content, response["Content-Type"]), seconds)
            if per_visitor is not None and response.status_code == 200:
                per_visitor(request, response)
            return response

        return wrapper

    return decorate
