"""Organisations, villages and households, persons and the positions they hold, and a
person's history: the organisations he belonged to, when he was not counted among those who
should attend, and the 党纪处分 he received."""

from .history import Discipline, Membership, NotCounted
from .meetings_held import MeetingHeld
from .organisations import Household, Organisation, Village, new_read_code
from .persons import Delegation, Person, Position

__all__ = [
    "Delegation",
    "Discipline",
    "Household",
    "MeetingHeld",
    "Membership",
    "NotCounted",
    "Organisation",
    "Person",
    "Position",
    "Village",
    "new_read_code",
]
