"""Who may record a village's matters: its branch leaders, its committee director and clerk,
its village-liaison cadres, and the township. Denies by default."""

from procedures.people import scopes
from procedures.people.models import Organisation, Position, Village

T = Position.Title
_VILLAGE_TITLES = {
    T.SECRETARY,
    T.DEPUTY_SECRETARY,
    T.FIRST_SECRETARY,
    T.ORGANISATION_MEMBER,
    T.COMMITTEE_DIRECTOR,
    T.VILLAGE_CLERK,
    T.LIAISON_CADRE,
    T.LIAISON_LEADER,
}
_UPPER = {
    Organisation.Kind.TOWNSHIP_COMMITTEE,
    Organisation.Kind.COUNTY_COMMITTEE,
    Organisation.Kind.ORG_DEPARTMENT,
}


def may_record(user, village: Village) -> bool:
    if user is None:
        return True  # the system itself (demo loader)
    if user.is_superuser:
        return True
    return any(
        position.title in _VILLAGE_TITLES or position.organisation.kind in _UPPER
        for position in scopes.positions_over(user, scopes.branch_of(village))
    )
