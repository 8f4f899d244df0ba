"""What a procedure allows of corrections and hand-offs (`workflows.amend`: 退回, 撤回, 更正,
催办, 抄送), in one object of its own: a procedure's `Procedure.corrections`. The defaults
allow none of them; a procedure that allows them subclasses this in its corrections module
and sets it on its `Procedure` in its `AppConfig.ready`."""

from __future__ import annotations

from datetime import date
from typing import Any


class Corrections:
    def returns(self, subject) -> tuple[str, ...]:
        """The earlier steps the subject may be returned to now (退回), in path order."""
        return ()

    def rewind(self, subject, to_step: str):
        """Undo `to_step` and every step after it that stands: clear what they set on the
        subject; an `amend.Rewound` (the status to go back to, the records undone)."""
        raise NotImplementedError

    def last_act(self, subject):
        """The last act that stands (an `amend.LastAct`), for 撤回; None: nothing to take
        back."""
        return None

    def previous_act_on(self, subject) -> date | None:
        """The date of the last act that stands: a new act is not dated before it."""
        return None

    def correctable(self, subject) -> dict:
        """The recorded acts whose date may be corrected: {key: `amend.Correctable`}."""
        return {}

    def correct(self, subject, target, new_date: date) -> None:
        """Set the corrected date on the subject, having run the rules again on it (a
        refusal cites the rule the correction would break)."""
        raise NotImplementedError

    def record_correction(self, act) -> Any:
        """The correction's own record (the pipeline's `record` of a 更正), if it keeps one."""
        return None

    def approver_of(self, subject, target, actor) -> bool:
        """The actor may approve a correction of `target` (the level above who acted)."""
        return False

    def staff(self, subject) -> list:
        """(user, position) of those who may see the subject: whom it may be copied to."""
        return []

    def oversees(self, subject, actor) -> bool:
        """The actor presses and copies the subject's steps (the township, the county)."""
        return False

    def pending(self, subject):
        """The step the subject waits for (an `amend.Pending`) or None."""
        return None
