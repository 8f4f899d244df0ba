"""Which rulebook and variant a county uses for new cases."""

from dataclasses import dataclass

from procedures.people.models import Organisation

from .models import DevelopmentSettings
from .rulebooks import CPC_2014
from .steps import Variant


@dataclass(frozen=True)
class Choice:
    rulebook: str
    variant: str


DEFAULT = Choice(CPC_2014, Variant.STANDARD)


def development_settings_for(branch: Organisation) -> Choice:
    county_id = int(branch.path.strip("/").split("/")[0])
    row = DevelopmentSettings.objects.filter(county_id=county_id).first()
    return Choice(row.rulebook, row.variant) if row else DEFAULT
