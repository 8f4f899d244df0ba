"""Who acts on a letter: the branch's leaders receive and answer it, the township or the
county closes it and presses or copies it; anyone with a post over the branch sees it."""

from __future__ import annotations

from procedures.people import roles


def permission_for(role: str):
    """The permission of a step taken in `role` (the step records ask)."""

    def may(letter, user) -> bool:
        return user is None or roles.holds(user, letter.branch, role, cache=letter)

    return may


def in_scope(letter, user) -> bool:
    return user is None or roles.in_scope(user, letter.branch, cache=letter)


def may_receive(user, branch) -> bool:
    return user is None or roles.holds(user, branch, roles.Role.BRANCH)


def oversees(letter, user) -> bool:
    return user is not None and roles.holds(user, letter.branch, roles.Role.UPPER, cache=letter)
