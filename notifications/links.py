"""Where a reminder points: the page of the deadline's subject. Neither the procedures nor
the notifications know the staff pages' addresses; the portal registers, per model, how the
page of one of its records is reached (portal/apps.py), and a reminder asks here."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

_pages: dict[str, Callable[[int], str]] = {}


def register(model, page: Callable[[int], str]) -> None:
    """`page(pk)`: the address of the page of a `model` record."""
    _pages[model._meta.label_lower] = page


def link(subject_type_id: int | None, subject_id: int | None) -> str:
    """The page of a deadline's subject, or "" for a subject no page was registered for."""
    if subject_type_id is None or subject_id is None:
        return ""
    model = ContentType.objects.get_for_id(subject_type_id).model_class()
    page = _pages.get(model._meta.label_lower) if model is not None else None
    return page(subject_id) if page else ""
