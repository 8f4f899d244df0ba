"""The letter's steps on the engine's pipeline: its `Procedure` (who sees it, as whom one
acts, its corrections) and one service per step: lock, check, transition, record, audit."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import roles
from procedures.people.models import Organisation
from workflows import corrections, pipeline
from workflows.errors import NotAllowed, ProcedureError

from . import policy
from .models import Letter
from .steps import BOOK

MSG_NOT_FOUND = gettext_noop("没有找到该来信，或不在您的管理范围内。")
MSG_NOT_NOW = gettext_noop("该来信当前为“%(status)s”，现在不能%(step)s。")
MSG_FORBIDDEN = gettext_noop("%(step)s应由%(role)s办理。")
MSG_TITLE = gettext_noop("请填写来信事由。")
MSG_REPLY = gettext_noop("请填写答复内容。")
MSG_FUTURE = gettext_noop("日期不能晚于今天。")
MSG_BEFORE = gettext_noop("答复日期不能早于收到来信的日期。")
MSG_RECEIVE_FORBIDDEN = gettext_noop("只有本支部书记、副书记、组织委员或第一书记可以登记来信。")


class LetterCorrections(corrections.Corrections):
    """The township and the county copy a letter to those over its branch."""

    def oversees(self, subject, actor) -> bool:
        return policy.oversees(subject, actor)

    def staff(self, subject) -> list:
        return roles.staff_over(subject.branch)


class LetterSteps(pipeline.Procedure):
    model = Letter
    related = ("branch",)
    not_found = ("letter_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN
    corrections = LetterCorrections()

    def step_label(self, verb: str) -> str:
        step = BOOK.by_code.get(verb)
        return str(step.label) if step else verb

    def role_words(self, verb: str) -> str:
        return str(roles.Role(BOOK.by_code[verb].role).label)

    def in_scope(self, subject, actor) -> bool:
        return policy.in_scope(subject, actor)

    def role_label(self, subject, actor, verb: str) -> str:
        if actor is None:
            return "系统录入"
        role = BOOK.by_code[verb].role if verb in BOOK.by_code else roles.Role.UPPER
        position = roles.position_for(actor, subject.branch, role, cache=subject)
        if position is None:
            return "系统管理员" if actor.is_superuser else ""
        return f"{position.organisation.name}{position.get_title_display()}"

    def audit_payload(self, act: pipeline.Act) -> dict:
        return {"status": act.subject.status, **act.data}


LETTERS = LetterSteps()


def _require(ok: bool, code: str, message: str) -> None:
    if not ok:
        raise ProcedureError(code, _(message))


@transaction.atomic
def letter_receive(*, actor, branch: Organisation, title: str, received_on: date) -> Letter:
    if not policy.may_receive(actor, branch):
        raise NotAllowed("receive_forbidden", _(MSG_RECEIVE_FORBIDDEN))
    _require(bool(title.strip()), "title_required", MSG_TITLE)
    _require(received_on <= timezone.localdate(), "future_date", MSG_FUTURE)
    letter = Letter.objects.create(branch=branch, title=title.strip(), received_on=received_on)
    pipeline.started(
        LETTERS, letter, "receive", actor=actor, act_date=received_on, data={"title": title}
    )
    return letter


@transaction.atomic
def letter_answer(*, letter_id: int, actor, on: date, reply: str) -> Letter:
    letter = pipeline.begin(LETTERS, letter_id, "answer", actor)
    _require(bool(reply.strip()), "reply_required", MSG_REPLY)
    _require(on <= timezone.localdate(), "future_date", MSG_FUTURE)
    _require(on >= letter.received_on, "before_received", MSG_BEFORE)
    pipeline.finish(
        LETTERS, letter, "answer", actor=actor, act_date=on, data={"reply": reply},
        changes={"answered_on": on, "reply": reply},
    )  # fmt: skip
    return letter


@transaction.atomic
def letter_close(*, letter_id: int, actor, on: date) -> Letter:
    letter = pipeline.begin(LETTERS, letter_id, "close", actor)
    _require(on <= timezone.localdate(), "future_date", MSG_FUTURE)
    pipeline.finish(LETTERS, letter, "close", actor=actor, act_date=on)
    return letter
