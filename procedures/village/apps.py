from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillageConfig(AppConfig):
    name = "procedures.village"
    label = "village"
    verbose_name = _("村级事务（三议一会一公开一知晓）")

    def ready(self) -> None:
        # registers its rulebooks, its notices, and its matters as business of a branch meeting
        from . import agenda, notice_kinds, rulebooks  # noqa: F401
