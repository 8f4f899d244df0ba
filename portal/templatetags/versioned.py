"""`{% versioned_static "portal/staff.css" %}`: a static URL that changes with the file's
content, so browsers may cache it for good. With a hashing storage (production's manifest
storage) the storage's own hashed name is used."""

import hashlib
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static

register = template.Library()


@lru_cache(maxsize=64)
def _digest(path: str) -> str:
    found = finders.find(path)
    if not found:
        return ""
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


@register.simple_tag
def versioned_static(path: str) -> str:
    if hasattr(staticfiles_storage, "hashed_name"):
        return static(path)
    digest = _digest(path)
    return f"{static(path)}?v={digest}" if digest else static(path)
