"""The letter's inputs as the surfaces take them: each step's fields and the service that
performs it, and the engine's 抄送 and 催办 (workflows.amend_inputs)."""

from __future__ import annotations

from workflows import amend_inputs
from workflows import inputs as i

from . import services
from .steps import BOOK

STEP_INPUTS: dict[str, i.StepInput] = {
    "answer": i.StepInput(
        "answer",
        str(BOOK.by_code["answer"].label),
        (i.date("on", "答复日期", today=True), i.text("reply", "答复内容", 2000, blank=True)),
        lambda letter, actor, d: services.letter_answer(
            letter_id=letter.pk, actor=actor, on=d["on"], reply=d["reply"]
        ),
    ),
    "close": i.StepInput(
        "close",
        str(BOOK.by_code["close"].label),
        (i.date("on", "办结日期", today=True),),
        lambda letter, actor, d: services.letter_close(
            letter_id=letter.pk, actor=actor, on=d["on"]
        ),
    ),
}
STEP_INPUTS.update(amend_inputs.declared(services.LETTERS, [], verbs=("copy",)))
