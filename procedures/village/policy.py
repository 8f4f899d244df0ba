"""Who may record a village's matters: the role 村级事务 of `procedures.people.roles` (its
branch leaders, its committee director and clerk, its village-liaison cadres, and the
township or county). Denies by default."""

from procedures.people import roles, scopes
from procedures.people.models import Village
from workflows import amend, pipeline


def may_record(user, village: Village) -> bool:
    if user is None:
        return True  # the system itself (demo loader)
    return roles.holds(user, scopes.branch_of(village), roles.Role.VILLAGE_AFFAIRS)


def may_read_codes(user, village: Village) -> bool:
    """The households' codes (户码): the village's own staff only (roles.HOUSEHOLD_CODES), not
    the township or the county, not a superuser without such a post."""
    if user is None:
        return True  # the system itself (demo loader)
    found = roles.position_for(user, scopes.branch_of(village), roles.Role.HOUSEHOLD_CODES)
    return found is not None


def may_act(matter, user) -> bool:
    """A matter's transitions' permission: its village's 村级事务 role."""
    if user is None:
        return True
    return roles.holds(user, matter.branch, roles.Role.VILLAGE_AFFAIRS, cache=matter)


def permission_for(role: str):
    """The permission of a matter's step taken in `role` (the step records ask): every step
    of a matter is its village's 村级事务 role's."""
    if role != roles.Role.VILLAGE_AFFAIRS:
        raise ValueError(f"a village matter's step in role {role}")
    return may_act


def in_scope(matter, user) -> bool:
    return user is None or roles.in_scope(user, matter.branch, cache=matter)


def may_send_back(matter, user) -> bool:
    """退回: the township or the county, while the matter has a meeting to return to."""
    return (
        user is not None
        and roles.holds(user, matter.branch, roles.Role.UPPER, cache=matter)
        and bool(pipeline.procedure_of(matter).corrections.returns(matter))
    )


def may_take_back(matter, user) -> bool:
    """撤回: only who recorded the last meeting, while nothing came after it."""
    return amend.may_take_back(pipeline.procedure_of(matter), matter, user)
