"""A person's party standing (政治面貌), changed here alone: by the step of a procedure that
gives it (发展党员's 申请, 确定, 接收, 转正, 停止培养, 取消预备党员资格; 处置 next), inside that
step's act on the pipeline, whose event on the procedure's stream says it (the standing is
what the act did, not an act of its own). A procedure never sets the fields itself."""

from __future__ import annotations

from datetime import date

from workflows import pipeline

from .models import Person
from .procedure import PEOPLE

S = Person.Standing

# The transitions a procedure's step may take (the standing each gives is the model's
# transition's target); not the roll's entry, nor a step back (`restore`).
GIVING = frozenset(
    {"apply", "make_activist", "make_candidate", "admit", "convert", "drop_out", "cancel_probation"}
)


def give(person_id: int, transition: str, on: date, *, held: Person | None = None) -> Person:
    """The standing `transition` gives, from `on` (转正: his 党龄 counts from `on`). `held`:
    the person as the caller has already locked him."""
    if transition not in GIVING:
        raise ValueError(f"no standing is given by {transition!r}")
    person = held if held is not None else pipeline.hold(PEOPLE, person_id, None)
    getattr(person, transition)()  # refused by the lifecycle from any other standing
    person.standing_since = on
    fields = ["standing", "standing_since"]
    if transition == "convert":
        person.full_member_since = on
        fields.append("full_member_since")
    person.save(update_fields=fields)
    return person


def restore(person_id: int, standing: str, since: date) -> Person | None:
    """Back to the standing the steps that still stand give him, from the day the last of
    them gave it (a step returned or taken back); None: he has it already."""
    person = pipeline.hold(PEOPLE, person_id, None)
    if person.standing == standing:
        return None
    person.step_back(standing)
    person.standing_since = since
    if standing != S.FULL:
        person.full_member_since = None
    person.save(update_fields=["standing", "standing_since", "full_member_since"])
    return person


def redate(person_id: int, standing: str, since: date) -> Person | None:
    """The day his present standing began, corrected (the step that gave it was dated
    wrong); None: his standing is another now, and the correction leaves it."""
    person = pipeline.hold(PEOPLE, person_id, None)
    if person.standing != standing:
        return None
    person.standing_since = since
    person.save(update_fields=["standing_since"])
    return person
