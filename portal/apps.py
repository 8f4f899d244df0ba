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

    for model, name, kind in (
        (Case, "staff:case", "发展党员"),
        (Matter, "staff:matter", "村级事务"),
        (Notice, "staff:notice", "公示"),
    ):
        links.register(model, lambda pk, name=name: reverse(name, args=[pk]), kind)
    _register_surfaces()


def _register_surfaces() -> None:
    """The subjects procedures show through the generic page and API (portal/surfaces.py):
    each procedure declares them; the portal only registers them here."""
    from procedures.branchlife.subjects import SUBJECTS as BRANCH_LIFE

    from . import surfaces

    for declared in BRANCH_LIFE:
        surfaces.register(surfaces.Surface(**declared))
