from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillageConfig(AppConfig):
    name = "procedures.village"
    label = "village"
    verbose_name = _("村级事务（三议一会一公开一知晓）")

    def ready(self) -> None:
        from django.core import checks as django_checks

        # Registers its rulebooks, its notices, and its matters as business of a branch
        # meeting; its lifecycle is held to its step records at start-up.
        from . import agenda, checks, notice_kinds, rulebooks  # noqa: F401

        django_checks.register(checks.lifecycle_agrees)

        # What a matter allows of corrections and hand-offs, on its pipeline object.
        from .services import corrections, matters

        matters.MATTERS.corrections = corrections.MatterCorrections()

        # A matter on the generic page and API (the portal makes them).
        from workflows import subjects

        from .subjects import SUBJECTS

        subjects.declare(*SUBJECTS)
