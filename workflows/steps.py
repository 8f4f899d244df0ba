"""One step, one record: what a procedure declares of each of its steps, once, and what the
engine makes of it.

A `Step` holds a step's code (its service verb and its transition's name), its label, the
role that takes it (the only place a role is written), the statuses it is taken from and
the status it reaches, and what else the procedure says of it: its number and stage on the
official path, the rules it checks, its timing (`workflows.timing`: deadlines it opens,
earliest days), the materials it leaves in the file, the fields it sets on the subject, the
earlier steps its taker may send the subject back to, and whether its actor may take it
back. A procedure's steps are a `StepBook`.

The book makes the lifecycle's transitions (`book.transition(code)`: the django-fsm
transition from the record's sources to its status, under the permission of the record's
role), and `check` holds a model's transitions to the book at start-up (a Django system
check each procedure registers): a disagreement is an error naming the step. Everything else
that speaks of a step (forms, API fields, hints, projection, deadline rows, corrections,
printed records) reads the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.checks import Error
from django_fsm import transition

from . import amend_inputs
from .timing import Timing

NO_TIMING = Timing()


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    role: str
    reached: str  # the status once done
    source: tuple[str, ...] = ()  # the statuses it is taken from; none: it opens the subject
    number: int = 0  # on the official path; 0: a point of a variant, or off the path
    stage: int = 0
    exit: bool = False  # off the path (a side exit, a return of the resolution)
    rules: tuple[str, ...] = ()  # the rules it checks (its timing's are added)
    timing: Timing = NO_TIMING
    materials: tuple[tuple[str, str], ...] = ()  # (kind, label) left in the file
    sets: tuple[str, ...] = ()  # the subject's fields it sets (cleared when undone)
    returns_to: tuple[str, ...] = ()  # the earlier steps its taker may send back to
    taken_back: bool = True  # its actor may take it back (撤回)
    # The inputs that take it, where it has no form of its own (a meeting that did not pass
    # is recorded with that meeting's form).
    taken_with: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def all_rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.rules, *self.timing.rules)))


class StepPermission:
    """A transition's permission, made from its step's record: whoever holds the record's
    role (as the procedure's `permission_for(role)` says). It keeps the role it was made
    with, so that `check` finds a record changed since."""

    def __init__(self, book: StepBook, code: str) -> None:
        self.book, self.code = book, code
        self.role = book.by_code[code].role

    def __call__(self, instance, user) -> bool:
        return self.book.permission_for(self.role)(instance, user)

    def __repr__(self) -> str:
        return f"<StepPermission {self.code} {self.role}>"


class StepBook:
    """A procedure's steps, in path order, its exits after them."""

    def __init__(
        self,
        steps: Iterable[Step],
        *,
        permission_for: Callable[[str], Callable],
        field_name: str = "status",
    ) -> None:
        self.steps = tuple(steps)
        self.by_code = {step.code: step for step in self.steps}
        if len(self.by_code) != len(self.steps):
            raise ValueError("two steps share a code")
        self.permission_for = permission_for
        self.field_name = field_name

    @property
    def path(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if not step.exit)

    @property
    def exits(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.exit)

    def __getitem__(self, code: str) -> Step:
        return self.by_code[code]

    def __contains__(self, code: str) -> bool:
        return code in self.by_code

    def transition(self, code: str, *, conditions=()):
        """The django-fsm transition of step `code`: from its record's sources to its
        record's status, under its record's role."""
        step = self.by_code[code]
        if not step.source:
            raise ValueError(f"step {code} opens its subject: it has no transition")
        return transition(
            self.field_name,
            source=list(step.source),
            target=step.reached,
            conditions=list(conditions),
            permission=StepPermission(self, code),
        )


def check(model, book: StepBook, *, prefix: str, corrections=()) -> list[Error]:
    """The model's transitions against the book: every transition is a step's (the
    corrections aside) and every step but those that open the subject has one; each goes
    from its record's sources to its record's status, under its record's role."""
    by_name: dict[str, list] = {}
    for item in model().get_all_status_transitions():
        by_name.setdefault(item.name, []).append(item)
    errors = []

    def said(step: Step) -> str:
        return f"步骤“{step.label}”（{step.code}）"

    for code in sorted(by_name):
        if code in corrections:
            continue
        step = book.by_code.get(code)
        if step is None:
            errors.append(Error(f"转换 {code} 没有对应的步骤记录", id=f"{prefix}.E001"))
            continue
        found = by_name[code]
        targets = {t.target for t in found}
        if targets != {step.reached}:
            errors.append(
                Error(
                    f"{said(step)}：转换到 {sorted(targets)}，步骤记录为 {step.reached}",
                    id=f"{prefix}.E002",
                )
            )
        permissions = {id(t.permission): t.permission for t in found}.values()
        if any(
            not isinstance(p, StepPermission) or p.code != code or p.role != step.role
            for p in permissions
        ):
            roles = sorted({getattr(p, "role", "?") for p in permissions})
            errors.append(
                Error(
                    f"{said(step)}：转换的权限（{'、'.join(roles)}）与步骤记录的角色"
                    f"（{step.role}）不一致",
                    id=f"{prefix}.E003",
                )
            )
        sources = {t.source for t in found}
        if sources != set(step.source):
            errors.append(
                Error(
                    f"{said(step)}：转换的起点与步骤记录不一致",
                    id=f"{prefix}.E005",
                )
            )
    for step in book.by_code.values():
        if step.source and step.code not in by_name:
            errors.append(Error(f"{said(step)}没有对应的转换", id=f"{prefix}.E004"))
    return errors


def check_inputs(book: StepBook, inputs: dict, *, prefix: str) -> list[Error]:
    """The declared inputs (`declaration.py`) against the book: every step taken from a
    status has its input, under its record's label (or is taken with the inputs its record
    names); every input that is a transition (no `offered` of its own) is a step of the book
    or one of the engine's corrections."""
    corrections = amend_inputs.ALL
    errors = []
    for step in book.by_code.values():
        declared = inputs.get(step.code)
        if step.taken_with:
            missing = [code for code in step.taken_with if code not in inputs]
            if missing:
                errors.append(
                    Error(
                        f"步骤“{step.label}”（{step.code}）所经的输入 {missing} 未声明",
                        id=f"{prefix}.E006",
                    )
                )
        elif step.source and declared is None:
            errors.append(
                Error(
                    f"步骤“{step.label}”（{step.code}）没有声明的输入（declaration.py）",
                    id=f"{prefix}.E006",
                )
            )
        elif declared is not None and str(declared.label) != str(step.label):
            errors.append(
                Error(
                    f"步骤“{step.label}”（{step.code}）的输入名为“{declared.label}”",
                    id=f"{prefix}.E008",
                )
            )
    for code, declared in inputs.items():
        if declared.offered is None and code not in book.by_code and code not in corrections:
            errors.append(Error(f"输入 {code} 不是任何步骤记录的步骤", id=f"{prefix}.E007"))
    return errors
