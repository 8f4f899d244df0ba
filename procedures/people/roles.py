"""Who holds which role, for every procedure: one table of position titles and the kinds of
organisation they are held in. Member development, village matters, notices, the reminders'
recipients and the staff pages all ask here; none keeps a list of titles of its own.

- 村党支部 (`BRANCH`): the branch's secretary, deputy secretary, organisation member, or the
  first secretary (who acts when the secretary is absent), holding the post in that branch;
- 乡镇党委 (`TOWNSHIP`): its secretary, deputies, organisation member, organiser and committee
  members; never a 包村领导/包村干部 through their village posts;
- 县委组织部 (`COUNTY`): anyone holding a post in the county committee or its organisation
  department;
- 村级事务 (`VILLAGE_AFFAIRS`): who records a village's matters: the branch's leaders, the
  villagers' committee's director and clerk, the village-liaison leader and cadre;
- 上级党委 (`UPPER`): the township or the county, any post (the verifiers of objections).
- 本村户码 (`HOUSEHOLD_CODES`): the village's own 村级事务 staff, posts held in the village
  (its branch, groups, villagers' committee): who print the 明白纸 with each household's code.

A position counts for a role over an organisation when the organisation lies in the
position's scope (`scopes.positions_over`); `own` roles need the post in that very
organisation. Denies by default.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scopes
from .models import Organisation, Position

Kind = Organisation.Kind
T = Position.Title


class Role(models.TextChoices):
    BRANCH = "branch", _("村党支部")
    TOWNSHIP = "township", _("乡镇党委")
    COUNTY = "county", _("县委组织部")
    VILLAGE_AFFAIRS = "village_affairs", _("村级事务经办人")
    HOUSEHOLD_CODES = "household_codes", _("本村户码经办人")
    UPPER = "upper", _("乡镇党委或县委")


@dataclass(frozen=True)
class Holders:
    """The positions that hold a role: their titles (None: any) held in organisations of
    `kinds` (None: any kind within the scope); `own`: in the organisation acted on itself."""

    titles: frozenset[str] | None
    kinds: frozenset[str] | None = None
    own: bool = False

    def hold(self, position: Position, organisation: Organisation) -> bool:
        if self.own and position.organisation_id != organisation.pk:
            return False
        if self.kinds is not None and position.organisation.kind not in self.kinds:
            return False
        return self.titles is None or position.title in self.titles


# A party committee's members (条例 第十二条; a township's committee likewise): who sit in its
# committee meeting (支委会, 党委会). The one place these titles are written.
COMMITTEE_TITLES = frozenset(
    {T.SECRETARY, T.DEPUTY_SECRETARY, T.ORGANISATION_MEMBER, T.COMMITTEE_MEMBER}
)
BRANCH_LEADERS = frozenset(
    {T.SECRETARY, T.DEPUTY_SECRETARY, T.ORGANISATION_MEMBER, T.FIRST_SECRETARY}
)
TOWNSHIP_TITLES = frozenset(
    {T.SECRETARY, T.DEPUTY_SECRETARY, T.ORGANISATION_MEMBER, T.ORGANISER, T.COMMITTEE_MEMBER}
)
COUNTY_KINDS = frozenset({Kind.ORG_DEPARTMENT, Kind.COUNTY_COMMITTEE})
UPPER_KINDS = frozenset({Kind.TOWNSHIP_COMMITTEE, *COUNTY_KINDS})
VILLAGE_KINDS = frozenset({Kind.VILLAGE_BRANCH, Kind.PARTY_GROUP, Kind.VILLAGERS_COMMITTEE})
VILLAGE_AFFAIRS_TITLES = BRANCH_LEADERS | {
    T.COMMITTEE_DIRECTOR,
    T.VILLAGE_CLERK,
    T.LIAISON_CADRE,
    T.LIAISON_LEADER,
}

# Each role: one or more ways of holding it (any of them will do).
HOLDERS: dict[str, tuple[Holders, ...]] = {
    Role.BRANCH: (Holders(BRANCH_LEADERS, frozenset({Kind.VILLAGE_BRANCH}), own=True),),
    Role.TOWNSHIP: (Holders(TOWNSHIP_TITLES, frozenset({Kind.TOWNSHIP_COMMITTEE})),),
    Role.COUNTY: (Holders(None, COUNTY_KINDS),),
    Role.UPPER: (Holders(None, UPPER_KINDS),),
    Role.VILLAGE_AFFAIRS: (Holders(VILLAGE_AFFAIRS_TITLES), Holders(None, UPPER_KINDS)),
    # Who reads the households' codes (户码, printed on the 明白纸): the village's own staff
    # who record its matters, never the levels above (they may have a code made anew).
    Role.HOUSEHOLD_CODES: (Holders(VILLAGE_AFFAIRS_TITLES, VILLAGE_KINDS),),
}
# Who publishes and withdraws a village's notices: its branch's leaders, or the levels above.
NOTICE_MANAGERS = (Holders(BRANCH_LEADERS), Holders(None, UPPER_KINDS))


def positions_over(user, organisation: Organisation, *, cache: object | None = None) -> list:
    """The user's current positions over `organisation`, read once per `cache` object (a
    case or matter a service has just locked: a step asks more than once)."""
    if cache is None:
        return scopes.positions_over(user, organisation)
    known = cache.__dict__.setdefault("_positions_over", {})
    key = (user.pk, organisation.pk)
    if key not in known:
        # The user's positions of the day, read once per cache object, whatever the
        # organisation (a page listing many cases passes one object for all of them).
        held = cache.__dict__.setdefault("_positions_held", {})
        if user.pk not in held:
            held[user.pk] = scopes.positions_over(user, None)
        known[key] = [
            position for position in held[user.pk] if scopes.covers(position, organisation)
        ]
    return known[key]


def position_for(
    user, organisation: Organisation, role: str, *, cache: object | None = None
) -> Position | None:
    """The position through which `user` holds `role` over `organisation`, or None."""
    if user is None or not user.is_authenticated:
        return None
    holders = HOLDERS[role]
    for position in positions_over(user, organisation, cache=cache):
        if any(holder.hold(position, organisation) for holder in holders):
            return position
    return None


def holds(user, organisation: Organisation, role: str, *, cache: object | None = None) -> bool:
    if user is not None and user.is_superuser:
        return True
    return position_for(user, organisation, role, cache=cache) is not None


def holds_any(user, organisation: Organisation, holders, *, cache: object | None = None) -> bool:
    if user is not None and user.is_superuser:
        return True
    if user is None or not user.is_authenticated:
        return False
    return any(
        holder.hold(position, organisation)
        for position in positions_over(user, organisation, cache=cache)
        for holder in holders
    )


def in_scope(user, organisation: Organisation, *, cache: object | None = None) -> bool:
    """The user sees `organisation` (a post over it), whatever he may do there."""
    if user is not None and user.is_superuser:
        return True
    if user is None or not user.is_authenticated:
        return False
    return bool(positions_over(user, organisation, cache=cache))


def recipient_holds(position: Position, role: str, organisation: Organisation) -> bool:
    """For the reminders: whether a position (read with its organisation) holds `role`
    over the organisation a deadline concerns."""
    return any(holder.hold(position, organisation) for holder in HOLDERS[role])


def staff_over(organisation: Organisation, *, on=None) -> list:
    """The users who hold a current post over `organisation` (its own, those above it, the
    county's organisation department): whom a step's result may be copied to (抄送)."""

    day = on or timezone.localdate()
    ids = [int(part) for part in organisation.path.strip("/").split("/") if part]
    positions = (
        Position.objects.filter(
            Q(organisation_id__in=ids)
            | Q(organisation__kind=Kind.ORG_DEPARTMENT, organisation__parent_id=ids[0]),
            start_date__lte=day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("organisation", "person__user")
        .order_by("organisation__path", "title", "pk")
    )
    found = {}
    for position in positions:
        user = getattr(position.person, "user", None)
        if user is not None and user.is_active and user.pk not in found:
            found[user.pk] = (user, position)
    return list(found.values())


# The roles deadline rows name as their audience (who must act).
ACTING_ROLES = (Role.BRANCH, Role.TOWNSHIP, Role.COUNTY)


def acting_scopes(user) -> list[tuple[str, str, bool]]:
    """(role, organisation path, exact) for each role the user's current posts hold: a
    deadline row whose audience is the role, and whose scope path is that path (exact) or
    lies below it, is his to act on. A superuser acts everywhere."""
    if user is not None and user.is_superuser:
        return [(role, "/", False) for role in ACTING_ROLES]
    found = []
    for position in scopes.current_positions(user):
        root = scopes.scope_root(position.organisation)
        for role in ACTING_ROLES:
            for holder in HOLDERS[role]:
                if holder.hold(position, position.organisation):
                    found.append((role, root.path, holder.own))
    return list(dict.fromkeys(found))
