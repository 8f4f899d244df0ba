from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("流程引擎")

    def ready(self) -> None:
        from . import db_roles, signals  # noqa: F401
