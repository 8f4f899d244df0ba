"""Who may act on a case, by the role a step needs. Denies by default.

- the village branch: its secretary, deputy secretary, organisation member, or the first
  secretary (who acts when the secretary is absent);
- the township committee (基层党委): its members and its organiser; never the village, and
  never a 包村领导/包村干部 through their village posts;
- the county organisation department: its staff and the county committee.
Nobody acts on his own case.
"""

from __future__ import annotations

from procedures.people import scopes
from procedures.people.models import Organisation, Position

from .steps import Role

Kind = Organisation.Kind
T = Position.Title

_BRANCH_TITLES = {T.SECRETARY, T.DEPUTY_SECRETARY, T.ORGANISATION_MEMBER, T.FIRST_SECRETARY}
_TOWNSHIP_TITLES = {
    T.SECRETARY,
    T.DEPUTY_SECRETARY,
    T.ORGANISATION_MEMBER,
    T.ORGANISER,
    T.COMMITTEE_MEMBER,
}
_COUNTY_KINDS = {Kind.ORG_DEPARTMENT, Kind.COUNTY_COMMITTEE}


def _is_own_case(case, user) -> bool:
    person = getattr(user, "person", None)
    return person is not None and person.pk == case.person_id


def acting_position(case, user, role: str) -> Position | None:
    """The position through which `user` may act on `case` in `role`, or None."""
    if user is None or not user.is_authenticated or _is_own_case(case, user):
        return None
    # A step asks twice (may he act? in which role?): the positions are read once per case
    # object, which a service loads afresh under its lock.
    known = case.__dict__.setdefault("_positions_over", {})
    key = (user.pk, case.branch_id)
    if key not in known:
        known[key] = list(scopes.positions_over(user, case.branch))
    for position in known[key]:
        kind = position.organisation.kind
        if role == Role.BRANCH and position.organisation_id == case.branch_id:
            if position.title in _BRANCH_TITLES:
                return position
        elif role == Role.TOWNSHIP and kind == Kind.TOWNSHIP_COMMITTEE:
            if position.title in _TOWNSHIP_TITLES:
                return position
        elif role == Role.COUNTY and kind in _COUNTY_KINDS:
            return position
    return None


def may_act(case, user, role: str) -> bool:
    if user is not None and user.is_superuser and not _is_own_case(case, user):
        return True
    return acting_position(case, user, role) is not None


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
