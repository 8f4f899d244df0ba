from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchLifeConfig(AppConfig):
    name = "procedures.branchlife"
    label = "branchlife"
    verbose_name = _("党支部工作手册（三会一课、主题党日、组织生活会、民主评议）")

    def ready(self) -> None:
        from django.core import checks as django_checks

        # The rulebook, the listeners, and the records' lifecycles held to their steps.
        from . import checks, rulebooks, subscribers  # noqa: F401

        django_checks.register(checks.lifecycles_agree)

        # What a meeting's record allows of corrections and hand-offs, on its pipeline object.
        from .services import corrections, procedure

        procedure.MEETINGS.corrections = corrections.MeetingCorrections()

        # Its records on the generic page and API, and what it adds to a matter's page.
        from workflows import subjects

        from .subjects import SECTIONS, SUBJECTS

        subjects.declare(*SUBJECTS, sections=SECTIONS)
