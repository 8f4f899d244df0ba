"""Who acts on a transfer, by side: the sending branch's leaders propose it, its township
issues the letter and records the receipt; the township (or county) over the receiving
branch accepts, refuses or returns it; either level of the sending side may withdraw it
before acceptance. Anyone with a post over either branch sees it; the other side's people
are never shown (pages.py shows the letter's fields only)."""

from __future__ import annotations

from procedures.people import roles
from procedures.people.models import Organisation

FROM_BRANCH = "from:branch"
FROM_TOWNSHIP = "from:township"
FROM_SIDE = "from:any"
TO_TOWNSHIP = "to:township"

# Each role word: which side's branch, and which `roles` roles hold it there.
SIDES = {
    FROM_BRANCH: ("from_branch", (roles.Role.BRANCH,)),
    FROM_TOWNSHIP: ("from_branch", (roles.Role.UPPER,)),
    FROM_SIDE: ("from_branch", (roles.Role.BRANCH, roles.Role.UPPER)),
    TO_TOWNSHIP: ("to_branch", (roles.Role.UPPER,)),
}
WORDS = {
    FROM_BRANCH: "转出党支部",
    FROM_TOWNSHIP: "转出地乡镇党委",
    FROM_SIDE: "转出党支部或乡镇党委",
    TO_TOWNSHIP: "转入地乡镇党委",
}


def holds(user, transfer, role: str) -> bool:
    side, held = SIDES[role]
    return any(roles.holds(user, getattr(transfer, side), one, cache=transfer) for one in held)


def holding(user, transfer, role: str):
    """The position through which `user` acts in `role` on `transfer`, or None."""
    side, held = SIDES[role]
    branch = getattr(transfer, side)
    for one in held:
        position = roles.position_for(user, branch, one, cache=transfer)
        if position is not None:
            return position
    return None


def permission_for(role: str):
    """The permission of a transfer's step taken in `role` (the step records ask)."""
    if role not in SIDES:
        raise ValueError(f"a transfer's step in role {role}")

    def may(transfer, user) -> bool:
        return user is None or holds(user, transfer, role)

    return may


def in_scope(transfer, user) -> bool:
    if user is None:
        return True
    return any(
        roles.in_scope(user, branch, cache=transfer)
        for branch in (transfer.from_branch, transfer.to_branch)
    )


def sending_side(transfer, user) -> bool:
    return user is None or roles.in_scope(user, transfer.from_branch, cache=transfer)


def may_propose(user, branch: Organisation) -> bool:
    return user is None or roles.holds(user, branch, roles.Role.BRANCH)
