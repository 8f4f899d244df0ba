from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from django.core import checks as django_checks

        from procedures.publicity.services import public_changed

        from . import checks

        django_checks.register(checks.pdf_fonts)

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

    def listing(name: str, param: str, field: str):
        return lambda branch: f"{reverse(name)}?{param}={getattr(branch, field)}"

    for model, name, kind, lists in (
        (Case, "staff:case", "发展党员", listing("staff:cases", "branch", "pk")),
        (Matter, "staff:matter", "村级事务", listing("staff:matters", "village", "village_id")),
        (Notice, "staff:notice", "公示", listing("staff:notices", "village", "village_id")),
    ):
        links.register(model, lambda pk, name=name: reverse(name, args=[pk]), kind, lists)
    _register_surfaces()


def _register_surfaces() -> None:
    """The subjects procedures show through the generic page and API (portal/surfaces.py):
    each procedure declares them; the portal only registers them here."""
    from procedures.branchlife.subjects import SUBJECTS as BRANCH_LIFE

    from . import surfaces

    for declared in BRANCH_LIFE:
        surfaces.register(surfaces.Surface(**declared))
