from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "procedures.transfers"
    label = "transfers"
    verbose_name = _("组织关系转接")

    def ready(self) -> None:
        from django.core import checks as django_checks

        # The rulebook, and the lifecycle held to its step records.
        from . import checks, rulebooks  # noqa: F401

        django_checks.register(checks.lifecycle_agrees)

        # The transfer and the desks on the generic page and API.
        from workflows import subjects

        from .subjects import SUBJECTS

        subjects.declare(*SUBJECTS)
