"""A village matter as the portal's generic subject page and API show it: its key, how it
is found in the user's scope, its declared inputs (every step, the villagers' meeting
planned and announced, the households told, the exits and corrections), its page and its
pipeline object. The portal registers it (portal/apps.py) and makes every address."""

from __future__ import annotations

from . import declaration, pages, selectors
from .models import Matter
from .services.matters import MATTERS

SUBJECTS = (
    {
        "key": "matters",
        "work": "村级事务",
        "prefix": "Matter",
        "label": "村级事务",
        "model": Matter,
        "find": lambda user, pk: selectors.matter_for(user=user, pk=pk),
        "inputs": declaration.STEP_INPUTS,
        "page": pages.matter_page,
        "procedure": MATTERS,
        "inline": True,
        "side": pages.SIDE,
    },
)
