"""A step's input as data. A procedure declares, for each step, the fields it takes and the
service that performs it; every surface (the staff form, the API body and its schema, the
back-dated import) is built from that one declaration, so they cannot disagree.

Kinds are the few shapes a step's input takes: a date, a text, a number, one or several
records picked from a list (people, groups, households), a yes/no, a choice, the written
votes of members who could not attend, and files uploaded with the act. A field that picks
records says where its options come from (`options(subject, on)`), so the staff form can
offer them without knowing the procedure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from enum import StrEnum
from typing import Any

# The largest key and count any input may carry: a bigger number is no record of ours (and
# would overflow the database's integer).
MAX_ID = 2**31 - 1
MAX_COUNT = 100_000

Options = Callable[[Any, Date], list[tuple[int, str]]]


class Kind(StrEnum):
    DATE = "date"
    TEXT = "text"
    NUMBER = "number"
    ID = "id"
    IDS = "ids"
    FLAG = "flag"
    CHOICE = "choice"
    CHOICES = "choices"
    VOTES = "votes"
    FILES = "files"


class _Today:
    def __repr__(self) -> str:
        return "TODAY"


TODAY = _Today()  # a date field's default: the day the step is entered
VOTES = (("yes", "同意"), ("no", "不同意"), ("abstain", "弃权"))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind
    required: bool = True
    default: Any = None
    max_length: int | None = None  # text; entries of a list or of votes
    blank: bool = False  # a text that may be empty (the service then says what is missing)
    maximum: int = MAX_COUNT  # numbers
    choices: tuple[tuple[str, str], ...] = ()
    options: Options | None = None  # what a record field may pick, for the staff form
    future: bool = False  # a date to come (a plan), not the date of an act
    invalid_choice: str = ""
    # An attendance list: how many of those who may be ticked must be (QUORUMS), for the
    # form's live count beside the list; the service's rule stays the one that decides.
    quorum: str = ""


def month_of(raw: str) -> Date | None:
    """A month typed as 2026-11 (or 2026-11-01), as its first day; None when it is no month
    of 2000 to 2100 (the procedure refuses it with its own words)."""
    parts = (raw or "").strip().split("-")
    if len(parts) in (2, 3) and all(part.isdigit() for part in parts):
        year, number = int(parts[0]), int(parts[1])
        if 2000 <= year <= 2100 and 1 <= number <= 12:
            return Date(year, number, 1)
    return None


def date(name: str, label: str, *, today: bool = False, future: bool = False, optional=False):
    """A date: an act's (today at the latest), or with `future` a planned one. `today`:
    entered as today when left out; `optional`: may be left out (None)."""
    if today:
        return Field(name, label, Kind.DATE, required=False, default=TODAY, future=future)
    return Field(name, label, Kind.DATE, required=not optional, future=future)


def text(name: str, label: str, max_length: int, *, optional=False, blank=False) -> Field:
    if optional:
        return Field(name, label, Kind.TEXT, False, "", max_length, blank=True)
    return Field(name, label, Kind.TEXT, max_length=max_length, blank=blank)


def number(name: str, label: str, maximum: int = MAX_COUNT, *, default: int | None = None):
    if default is None:
        return Field(name, label, Kind.NUMBER, maximum=maximum)
    return Field(name, label, Kind.NUMBER, False, default, maximum=maximum)


def optional_number(name: str, label: str, maximum: int = MAX_COUNT) -> Field:
    """A number that may be left out altogether (None: the step does without it)."""
    return Field(name, label, Kind.NUMBER, required=False, default=None, maximum=maximum)


def record(name: str, label: str, options: Options | None = None) -> Field:
    return Field(name, label, Kind.ID, options=options)


QUORUMS = ("more_than_half", "two_thirds")


def records(
    name: str, label: str, max_length: int, options=None, *, optional=False, quorum: str = ""
) -> Field:
    assert quorum in ("", *QUORUMS), quorum
    return Field(
        name, label, Kind.IDS, required=not optional, default=() if optional else None,
        max_length=max_length, options=options, quorum=quorum,
    )  # fmt: skip


def flag(name: str, label: str, *, default: bool | None = None) -> Field:
    """A yes/no; without a default it must be said (unticked on a form: no)."""
    if default is None:
        return Field(name, label, Kind.FLAG)
    return Field(name, label, Kind.FLAG, required=False, default=default)


def choice(name: str, label: str, choices, *, invalid: str = "", options=None) -> Field:
    """One of `choices`; `options(subject, on)`: those a form offers for this subject now
    (the service refuses any other with its reason)."""
    return Field(
        name, label, Kind.CHOICE, choices=tuple(choices), invalid_choice=invalid, options=options
    )


def choices(name: str, label: str, options, max_length: int) -> Field:
    """Several of a few fixed choices (say, the ways villagers were told)."""
    return Field(name, label, Kind.CHOICES, choices=tuple(options), max_length=max_length)


def votes(
    name: str, label: str, max_length: int, options: Options | None = None, *, invalid: str = ""
) -> Field:
    """Written votes sent before a meeting: {record id: yes/no/abstain}; `invalid`: what to
    say of a key that is no record's id."""
    return Field(
        name, label, Kind.VOTES, required=False, max_length=max_length,
        choices=VOTES, options=options, invalid_choice=invalid,
    )  # fmt: skip


def files(name: str, label: str, max_files: int) -> Field:
    """Files uploaded with the act (photos, a sign-in sheet): at most `max_files`, none
    required. The service says which kinds and sizes it takes."""
    return Field(name, label, Kind.FILES, required=False, default=(), max_length=max_files)


@dataclass(frozen=True)
class StepInput:
    """A step as a procedure declares it to the surfaces: its code and label, the fields
    it takes, and how the parsed input performs it: `perform(subject, actor, data)`.
    `offered(subject, user)`: for an input that is no transition of the lifecycle (a
    meeting planned, visits recorded), the label under which a page offers it now, or
    None; a transition is offered when the pipeline says the user may take it."""

    code: str
    label: str
    fields: tuple[Field, ...]
    perform: Callable[[Any, Any, dict], Any]
    offered: Callable[[Any, Any], str | None] | None = None

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)
