"""The branch's records as the portal's generic subject pages and API show them: each with
its key, how it is found in the user's scope, its declared inputs, its page and its pipeline
object. The portal registers these (portal/apps.py) and makes every address."""

from __future__ import annotations

from . import declaration, pages, selectors
from .models import BranchLife, BranchMeeting, DuesPayment, MeetingAttachment, TownshipLife
from .services.dues import DUES
from .services.procedure import MEETINGS

SUBJECTS = (
    {
        "key": "township-life",
        "work": "组织生活",
        "prefix": "TownshipLife",
        "label": "乡镇党支部工作手册汇总",
        "model": TownshipLife,
        "find": lambda user, pk: selectors.township_for(user=user, pk=pk),
        "inputs": {},
        "page": pages.township_page,
        "entries": lambda user: selectors.townships(user=user),
    },
    {
        "key": "branch-life",
        "work": "组织生活",
        "listed_in": "branch-life",
        "prefix": "BranchLife",
        "label": "党支部工作手册",
        "model": BranchLife,
        "find": lambda user, pk: selectors.life_for(user=user, pk=pk),
        "inputs": declaration.BRANCH_INPUTS,
        "page": pages.ledger_page,
        "entries": lambda user: selectors.handbooks(user=user),
    },
    {
        "key": "branch-meetings",
        "work": "组织生活",
        "listed_in": "branch-life",
        "prefix": "BranchMeeting",
        "label": "组织生活记录",
        "model": BranchMeeting,
        "find": lambda user, pk: selectors.meeting_for(user=user, pk=pk),
        "inputs": declaration.MEETING_INPUTS,
        "page": pages.meeting_page,
        "procedure": MEETINGS,
        "attachments": (MeetingAttachment, "meeting"),
    },
    {
        "key": "branch-dues",
        "work": "组织生活",
        "listed_in": "branch-life",
        "prefix": "DuesPayment",
        "label": "党费交纳记录",
        "model": DuesPayment,
        "find": lambda user, pk: selectors.payment_for(user=user, pk=pk),
        "inputs": declaration.DUES_INPUTS,
        "page": pages.payment_page,
        "procedure": DUES,
    },
)

# What the branch adds to another procedure's page, by that page's key: the 主题党日 that
# carried a village matter's 民主议事 (the matter is named in `people.agenda`, never read).
SECTIONS = (("matters", pages.carried_section),)
