"""Who records the branch's organisational life: its leaders (the role 村党支部 of
`procedures.people.roles`: secretary, deputy, organisation member, first secretary).
Who sees it: anyone with a post over the branch (the township reads plans and outcomes)."""

from procedures.people import roles
from workflows import amend, pipeline


def may_act(meeting, user) -> bool:
    """The transitions' permission: the branch's own leaders."""
    if user is None:
        return True
    return roles.holds(user, meeting.branch, roles.Role.BRANCH, cache=meeting)


def permission_for(role: str):
    """The permission of a record's step taken in `role` (the step records ask): the branch's
    own leaders take every step of its records."""
    if role != roles.Role.BRANCH:
        raise ValueError(f"a branch record's step in role {role}")
    return may_act


def may_record(user, branch) -> bool:
    if user is None:
        return True
    return roles.holds(user, branch, roles.Role.BRANCH)


def in_scope(meeting, user) -> bool:
    return user is None or roles.in_scope(user, meeting.branch, cache=meeting)


def oversees(meeting, user) -> bool:
    """The township or the county: approves a correction of the branch's record, presses
    and copies it."""
    return user is not None and roles.holds(user, meeting.branch, roles.Role.UPPER, cache=meeting)


def may_take_back(meeting, user) -> bool:
    """撤回: only who recorded the meeting as held, while it is the record's last act."""
    return amend.may_take_back(pipeline.procedure_of(meeting), meeting, user)
