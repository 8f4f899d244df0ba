"""The letter on the portal's generic page and API (found by the portal at start)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from workflows.errors import NotFound

from . import declaration, pages, policy
from .models import Letter
from .services import LETTERS, MSG_NOT_FOUND


def find(user, pk: int) -> Letter:
    letter = Letter.objects.select_related("branch").filter(pk=pk).first()
    if letter is None or not policy.in_scope(letter, user):
        raise NotFound("letter_not_found", _(MSG_NOT_FOUND))
    return letter


SUBJECTS = (
    {
        "key": "letters",
        "work": "群众来信",
        "prefix": "Letter",
        "label": "群众来信",
        "model": Letter,
        "find": find,
        "inputs": declaration.STEP_INPUTS,
        "page": pages.letter_page,
        "procedure": LETTERS,
        "inline": True,
    },
)
