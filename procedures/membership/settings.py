"""Which rulebook and variant a county uses for new cases."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.models import Organisation
from workflows.errors import ProcedureError
from workflows.rules import get_rulebook

from .models import DevelopmentSettings
from .rulebooks import CPC_2014
from .steps import Variant

MSG_UNKNOWN_VARIANT = gettext_noop(
    "发展党员设置中的流程规程“%(key)s”不存在，请县委组织部在后台“发展党员设置”中重新选择。"
)


@dataclass(frozen=True)
class Choice:
    rulebook: str
    variant: str


DEFAULT = Choice(CPC_2014, Variant.STANDARD)


def development_settings_for(branch: Organisation) -> Choice:
    county_id = branch.county_id
    row = DevelopmentSettings.objects.filter(county_id=county_id).first()
    if row is None:
        return DEFAULT
    # A setting saved past the admin's choices (by hand, by an import): refuse new cases
    # with a message the county can act on, never start one under an unknown rulebook.
    get_rulebook(row.rulebook)
    if row.variant not in Variant.values:
        raise ProcedureError("unknown_variant", _(MSG_UNKNOWN_VARIANT) % {"key": row.variant[:20]})
    return Choice(row.rulebook, row.variant)
