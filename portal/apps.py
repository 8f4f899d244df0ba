from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from procedures.publicity.services import public_changed

        from .public.cache import forget_all

        public_changed.connect(forget_all, dispatch_uid="portal.public.cache.forget_all")
