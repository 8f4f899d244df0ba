from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from procedures.publicity.services import public_changed

        from .public.cache import forget_all

        public_changed.connect(forget_all, dispatch_uid="portal.public.cache.forget_all")
        _register_pages()


def _register_pages() -> None:
    """The staff page of each record a deadline may be about: reminders link to it."""
    from django.urls import reverse

    from notifications import links
    from procedures.membership.models import Case
    from procedures.publicity.models import Notice
    from procedures.village.models import Matter

    for model, name in ((Case, "staff:case"), (Matter, "staff:matter"), (Notice, "staff:notice")):
        links.register(model, lambda pk, name=name: reverse(name, args=[pk]))
    _register_surfaces()


def _register_surfaces() -> None:
    """The subjects shown through the generic page and API (portal/surfaces.py): one entry
    per subject, all else comes from the procedure's declaration and pages."""
    from procedures.branchlife import declaration as life
    from procedures.branchlife import pages as life_pages
    from procedures.branchlife import selectors as life_selectors
    from procedures.branchlife.models import BranchLife, BranchMeeting, DuesPayment
    from procedures.branchlife.services.dues import DUES
    from procedures.branchlife.services.meetings import MEETINGS

    from . import surfaces

    surfaces.register(
        surfaces.Surface(
            key="branch-life",
            prefix="BranchLife",
            label="党支部工作手册",
            model=BranchLife,
            find=lambda user, pk: life_selectors.life_for(user=user, pk=pk),
            inputs=life.BRANCH_INPUTS,
            page=life_pages.ledger_page,
        )
    )
    surfaces.register(
        surfaces.Surface(
            key="branch-meetings",
            prefix="BranchMeeting",
            label="组织生活记录",
            model=BranchMeeting,
            find=lambda user, pk: life_selectors.meeting_for(user=user, pk=pk),
            inputs=life.MEETING_INPUTS,
            page=life_pages.meeting_page,
            procedure=MEETINGS,
        )
    )
    surfaces.register(
        surfaces.Surface(
            key="branch-dues",
            prefix="DuesPayment",
            label="党费交纳记录",
            model=DuesPayment,
            find=lambda user, pk: life_selectors.payment_for(user=user, pk=pk),
            inputs=life.DUES_INPUTS,
            page=life_pages.payment_page,
            procedure=DUES,
        )
    )
