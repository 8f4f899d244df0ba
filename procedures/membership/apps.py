from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "procedures.membership"
    label = "membership"
    verbose_name = _("发展党员")

    def ready(self) -> None:
        # Registers the rulebooks, the notice kinds and the listeners.
        from . import notice_kinds, rulebooks, subscribers  # noqa: F401
