from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "procedures.membership"
    label = "membership"
    verbose_name = _("发展党员")

    def ready(self) -> None:
        from django.core import checks as django_checks

        # Registers the rulebooks, the notice kinds and the listeners.
        from . import checks, notice_kinds, rulebooks, subscribers  # noqa: F401

        django_checks.register(checks.lifecycle_agrees)

        # What a case allows of corrections and hand-offs, on its pipeline object.
        from .services import base, corrections

        base.CASES.corrections = corrections.CaseCorrections()

        # A case follows its person when he moves to another branch; a probation run out
        # is decided by its branch before he may move.
        from procedures.people.history import moved, moving
        from procedures.people.models import Person

        from .services import moves

        moved.connect(moves.follow_moves, sender=Person, dispatch_uid="membership.cases_follow")
        moving.connect(
            moves.probation_decided_first, sender=Person, dispatch_uid="membership.probation"
        )

        # A case on the generic page and API (the portal makes them).
        from workflows import subjects

        from .subjects import SUBJECTS

        subjects.declare(*SUBJECTS)
