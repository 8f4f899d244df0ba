from django.apps import AppConfig


class ExampleProcedureConfig(AppConfig):
    """The example procedure: its own package and its line in INSTALLED_APPS, nothing
    else (docs/procedures.md)."""

    name = "tests.example_procedure"
    label = "example_procedure"
    verbose_name = "群众来信（示例流程）"

    def ready(self) -> None:
        from django.core import checks as django_checks

        from . import checks

        django_checks.register(checks.lifecycle_agrees)

        # The letter on the generic page and API (the portal makes them).
        from workflows import subjects

        from .subjects import SUBJECTS

        subjects.declare(*SUBJECTS)
