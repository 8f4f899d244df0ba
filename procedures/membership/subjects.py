"""A case as the portal's generic subject page and API show it: its key, how it is found in
the user's scope, its declared inputs (every step and side exit, and the records a case
keeps besides), its page and its pipeline object. The portal registers it (portal/apps.py)
and makes every address."""

from __future__ import annotations

from . import declaration, forms, pages, selectors
from .models import Case
from .services.base import CASES

SUBJECTS = (
    {
        "key": "cases",
        "work": "发展党员",
        "prefix": "Case",
        "label": "发展党员案卷",
        "model": Case,
        "find": lambda user, pk: selectors.case_for(user=user, pk=pk),
        "inputs": {**declaration.STEP_INPUTS, **declaration.RECORD_INPUTS},
        "page": pages.case_page,
        "procedure": CASES,
        "inline": True,
        # After the page: the side exits, the corrections, and the records kept besides.
        "side": pages.SIDE | set(declaration.RECORD_INPUTS),
        "hints": pages.hints,
        # The named forms, filled from the case (printed from its file's checklist).
        "documents": forms.DOCUMENTS,
    },
)
