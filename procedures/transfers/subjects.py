"""A transfer and an organisation's transfer desk on the portal's generic page and API
(declared from the app's ready; the portal makes every address)."""

from __future__ import annotations

from . import declaration, letter, pages, selectors
from .models import Transfer, TransferDesk
from .procedure import TRANSFERS

SUBJECTS = (
    {
        "key": "transfer-desks",
        "work": "组织关系转接",
        "prefix": "TransferDesk",
        "label": "组织关系转接",
        "model": TransferDesk,
        "find": lambda user, pk: selectors.desk_for(user=user, pk=pk),
        "inputs": declaration.DESK_INPUTS,
        "page": pages.desk_page,
        "entries": lambda user: selectors.desks(user=user),
    },
    {
        "key": "transfers",
        "work": "组织关系转接",
        "listed_in": "transfer-desks",
        "prefix": "Transfer",
        "label": "组织关系转接",
        "model": Transfer,
        "find": lambda user, pk: selectors.transfer_for(user=user, pk=pk),
        "inputs": declaration.STEP_INPUTS,
        "page": pages.transfer_page,
        "procedure": TRANSFERS,
        "inline": True,
        "documents": {"letter": letter.LETTER},
    },
)
