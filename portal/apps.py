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
    """The staff page of each record a deadline may be about: reminders link to it. Every
    procedure's records are the generic page's (portal/surfaces/): each procedure declares
    them from its own `AppConfig.ready` (`workflows.subjects`), and the portal registers
    each as it is declared. A notice keeps its own page."""
    from django.urls import reverse

    from notifications import links
    from procedures.publicity.models import Notice
    from workflows import subjects

    from . import surfaces

    def listing(name: str, param: str, field: str):
        return lambda branch: f"{reverse(name)}?{param}={getattr(branch, field)}"

    # A case and a matter are listed on a page of their own (filtered by branch, by village).
    lists = {
        "cases": listing("staff:cases", "branch", "pk"),
        "matters": listing("staff:matters", "village", "village_id"),
    }

    def register(declared: dict) -> None:
        listed = {"listing": lists[declared["key"]]} if declared["key"] in lists else {}
        surfaces.register(surfaces.Surface(**declared, **listed))

    links.register(
        Notice,
        lambda pk: reverse("staff:notice", args=[pk]),
        "公示",
        listing("staff:notices", "village", "village_id"),
    )
    subjects.listen(register, surfaces.contribute)
