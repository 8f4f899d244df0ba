"""Where a reminder points: the page of the deadline's subject. Neither the procedures nor
the notifications know the staff pages' addresses; the portal registers, per model, how the
page of one of its records is reached (portal/apps.py), and a reminder asks here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType

_pages: dict[str, Callable[[int], str]] = {}
_kinds: dict[str, str] = {}
_lists: dict[str, Callable[[Any], str]] = {}


def register(
    model, page: Callable[[int], str], kind: str = "", listing: Callable[[Any], str] | None = None
) -> None:
    """`page(pk)`: the address of the page of a `model` record; `kind`: what its work is
    called where the 工作台 counts it (发展党员, 村级事务, ...); `listing(branch)`: the
    address of the list of a branch's records of that kind (the overview's cells)."""
    _pages[model._meta.label_lower] = page
    if kind:
        _kinds[model._meta.label_lower] = kind
    if listing is not None:
        _lists[model._meta.label_lower] = listing


def kinds() -> list[str]:
    """Every kind of work registered, in the order first registered."""
    return list(dict.fromkeys(_kinds.values()))


def listing(kind: str, branch) -> str:
    """The list of `branch`'s records of a kind of work, or ""."""
    for label, named in _kinds.items():
        if named == kind and label in _lists:
            return _lists[label](branch)
    return ""


def kind_of(subject_type_id: int) -> str:
    """What a deadline's subject's work is called (its model's name when none was given)."""
    model = ContentType.objects.get_for_id(subject_type_id).model_class()
    if model is None:
        return ""
    return _kinds.get(model._meta.label_lower) or str(model._meta.verbose_name)


def link(subject_type_id: int | None, subject_id: int | None) -> str:
    """The page of a deadline's subject, or "" for a subject no page was registered for."""
    if subject_type_id is None or subject_id is None:
        return ""
    model = ContentType.objects.get_for_id(subject_type_id).model_class()
    page = _pages.get(model._meta.label_lower) if model is not None else None
    return page(subject_id) if page else ""
