"""Who may act on a case, by the role a step needs (who holds a role is
`procedures.people.roles`, for every procedure). Denies by default; nobody acts on his own
case."""

from __future__ import annotations

from procedures.people import roles
from procedures.people.models import Position

Role = roles.Role


def _is_own_case(case, user) -> bool:
    person = getattr(user, "person", None)
    return person is not None and person.pk == case.person_id


def acting_position(case, user, role: str, *, cache=None) -> Position | None:
    """The position through which `user` may act on `case` in `role`, or None (the roles'
    one table: `procedures.people.roles`). A step asks more than once (may he act? in which
    role?): the positions are read once per case object, which a service loads afresh
    under its lock."""
    if user is None or not user.is_authenticated or _is_own_case(case, user):
        return None
    return roles.position_for(user, case.branch, role, cache=cache or case)


def in_scope(case, user) -> bool:
    """The user sees the case's branch at all (else the case is, to him, not found)."""
    return user is None or roles.in_scope(user, case.branch, cache=case)


def may_act(case, user, role: str, *, cache=None) -> bool:
    """`cache`: the object the user's positions are read once on (default: the case; a
    page of many cases passes one for all)."""
    if user is not None and user.is_superuser and not _is_own_case(case, user):
        return True
    return acting_position(case, user, role, cache=cache) is not None


def role_label(case, user, role: str) -> str:
    position = acting_position(case, user, role)
    if position is None:
        return "系统管理员" if getattr(user, "is_superuser", False) else ""
    return f"{position.organisation.name}{position.get_title_display()}"


def is_mentor(case, user) -> bool:
    """培养联系人 record the observations of the person they mentor."""
    person = getattr(user, "person", None) if user is not None else None
    return person is not None and case.mentors.filter(pk=person.pk).exists()


def branch(case, user) -> bool:
    return may_act(case, user, Role.BRANCH)


def township(case, user) -> bool:
    return may_act(case, user, Role.TOWNSHIP)


def county(case, user) -> bool:
    return may_act(case, user, Role.COUNTY)


def of_role(role: str):
    """The permission of a step taken in `role` (the step records' `StepBook` asks)."""
    return {Role.BRANCH: branch, Role.TOWNSHIP: township, Role.COUNTY: county}[role]


def may_observe(case, user) -> bool:
    """Who records a thought report or an assessment: the branch, or the person's mentor."""
    return branch(case, user) or is_mentor(case, user)


def may_file(case, user) -> bool:
    """Who puts documents in the personal file: the branch, or the township."""
    return may_act(case, user, Role.BRANCH) or may_act(case, user, Role.TOWNSHIP)
