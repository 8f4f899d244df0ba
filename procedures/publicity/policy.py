"""Who may do what with a village's notices. Denies by default."""

from __future__ import annotations

from procedures.people import scopes
from procedures.people.models import Organisation, Position, Village

Kind = Organisation.Kind
T = Position.Title

# In the village branch, those who lead it may publish or withdraw its notices.
_BRANCH_PUBLISHERS = {T.SECRETARY, T.DEPUTY_SECRETARY, T.FIRST_SECRETARY, T.ORGANISATION_MEMBER}
_UPPER_LEVELS = {Kind.TOWNSHIP_COMMITTEE, Kind.COUNTY_COMMITTEE, Kind.ORG_DEPARTMENT}


def _positions(user, village: Village) -> list[Position]:
    return scopes.positions_over(user, scopes.branch_of(village))


def may_manage_notices(user, village: Village) -> bool:
    if user.is_superuser:
        return True
    return any(
        position.organisation.kind in _UPPER_LEVELS or position.title in _BRANCH_PUBLISHERS
        for position in _positions(user, village)
    )


def may_verify_objections(user, village: Village) -> bool:
    """Objections are verified by the township (or the county), never by the village."""
    if user.is_superuser:
        return True
    return any(
        position.organisation.kind in _UPPER_LEVELS for position in _positions(user, village)
    )


def may_see_objector_contact(user, village: Village) -> bool:
    return may_verify_objections(user, village) and user.has_perm("people.view_personal_data")
