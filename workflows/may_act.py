"""Whether a step is open to an actor now, through django-fsm's public API only
(`can_proceed`, `has_transition_perm`, `get_all_status_transitions`): the step's transition
from the subject's status, its permission (the role), and its conditions, a condition that
enforces a rule refusing with that rule's citation. The pipeline's `begin` checks it; the
pages offer what `offered` finds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from .errors import Conflict, NotAllowed

if TYPE_CHECKING:
    from .pipeline import Procedure


def check_may_act(procedure: Procedure, subject, verb: str, actor) -> None:
    """The step must be open from the subject's status, the actor must hold the permission
    its transition declares, and its conditions must hold (a condition that enforces a
    rule refuses with that rule's citation). `actor=None` is the system itself (back-entry
    of history, the demo loader)."""
    method = getattr(subject, verb)

    def not_now() -> Conflict:
        return Conflict(
            "step_not_available",
            _(procedure.msg_not_now)
            % {"status": subject.get_status_display(), "step": procedure.step_label(verb)},
        )

    if not can_proceed(method, check_conditions=False):
        raise not_now()
    # One evaluation of the conditions on the way that succeeds (the public check reads
    # both); the refusals then say which of the two failed.
    if actor is not None and has_transition_perm(method, actor):
        return
    if not can_proceed(method):
        _require_guard_rules(procedure, subject, method)
        raise not_now()
    if actor is not None:
        raise NotAllowed(
            "step_forbidden",
            _(procedure.msg_forbidden)
            % {"step": procedure.step_label(verb), "role": procedure.role_words(verb)},
        )


def transition_of(subject, name: str):
    """The transition `name` from the subject's present status (django-fsm's public
    `get_all_status_transitions`, in its own order of precedence: the status itself, then
    any status `*`, then any other `+`), or None."""
    found = {}
    for transition in subject.get_all_status_transitions():
        if transition.name == name:
            found[transition.source] = transition
    other = found.get("+")
    if other is not None and other.target == subject.status:
        other = None
    return found.get(subject.status) or found.get("*") or other


def _require_guard_rules(procedure: Procedure, subject, method) -> None:
    """A condition carrying `.rule = (rule_id, facts)` refuses with that rule."""
    transition = transition_of(subject, method.__name__)
    rulebook = procedure.rulebook(subject)
    for condition in transition.conditions if transition else ():
        cited = getattr(condition, "rule", None)
        if cited is not None and rulebook is not None and not condition(subject):
            rule_id, facts = cited
            rulebook.require(rulebook.check(rule_id, **facts(subject)))


def offered(procedure: Procedure, subject, declared, user) -> list[tuple[str, str]]:
    """Of the procedure's declared inputs (`workflows.inputs.StepInput`, by code, in
    order), those the user may take now, with the label to offer them under: a transition
    when it is open from the status with its conditions met and his by its permission; any
    other input when its own `offered` says so. What a page offers is this, never a list
    of its own."""
    found = []
    for code, step in declared.items():
        if step.offered is not None:
            label = step.offered(subject, user)
            if label:
                found.append((code, str(label)))
            continue
        method = getattr(subject, code, None)
        if (
            transition_of(subject, code) is not None
            and can_proceed(method)
            and has_transition_perm(method, user)
        ):
            found.append((code, str(step.label)))
    return found
