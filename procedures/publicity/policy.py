"""Who may do what with a village's notices (who holds which role: `procedures.people.roles`).
Denies by default."""

from __future__ import annotations

from procedures.people import roles, scopes
from procedures.people.models import Village


def may_manage_notices(user, village: Village) -> bool:
    """The branch's leaders, or the township or county."""
    return roles.holds_any(user, scopes.branch_of(village), roles.NOTICE_MANAGERS)


def may_verify_objections(user, village: Village) -> bool:
    """Objections are verified by the township (or the county), never by the village."""
    return roles.holds(user, scopes.branch_of(village), roles.Role.UPPER)


def may_see_objector_contact(user, village: Village) -> bool:
    return may_verify_objections(user, village) and user.has_perm("people.view_personal_data")
