"""What the engine's pipeline needs of a transfer (`workflows.pipeline`): who sees it,
who acts in each step, its rulebook, and its deadline rows, each on the side that must act:
the receiving township to accept within the letter's validity (the sender warned when it
runs out), the issuing township to get the 回执 back within the month."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_noop

from workflows import deadlines, pipeline
from workflows.rules import Rulebook, get_rulebook

from . import policy
from .models import Transfer
from .rulebooks import TRANSFER_2019
from .steps import BOOK, Status

MSG_NOT_FOUND = gettext_noop("没有找到该组织关系转接，或不在您的管理范围内。")
MSG_NOT_NOW = gettext_noop("该组织关系转接当前为“%(status)s”，现在不能%(step)s。")
MSG_FORBIDDEN = gettext_noop("%(step)s应由%(role)s办理。")


class TransferSteps(pipeline.Procedure):
    model = Transfer
    related = ("person", "from_branch", "to_branch", "issued_by")
    not_found = ("transfer_not_found", MSG_NOT_FOUND)
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN

    def step_label(self, verb: str) -> str:
        step = BOOK.by_code.get(verb)
        return str(step.label) if step else verb

    def role_words(self, verb: str) -> str:
        return policy.WORDS[BOOK.by_code[verb].role]

    def in_scope(self, subject, actor) -> bool:
        return policy.in_scope(subject, actor)

    def rulebook(self, subject) -> Rulebook:
        return get_rulebook(TRANSFER_2019)

    def role_label(self, subject, actor, verb: str) -> str:
        if actor is None:
            return "系统录入"
        step = BOOK.by_code.get(verb)
        position = policy.holding(actor, subject, step.role) if step else None
        if position is None:
            return "系统管理员" if actor.is_superuser else ""
        return f"{position.organisation.name}{position.get_title_display()}"

    def audit_payload(self, act: pipeline.Act) -> dict:
        return {"status": act.subject.status, "data": act.data, "late": act.late}

    def follow(self, act: pipeline.Act) -> None:
        sync(act.subject)


TRANSFERS = TransferSteps()


def sync(transfer: Transfer) -> None:
    """The transfer's open deadline rows, as its status wants them."""
    rulebook = get_rulebook(TRANSFER_2019)
    name = transfer.person.name

    def row(rule_id: str, due_on, title: str, side, audience: str = "township") -> dict:
        return {
            "due_on": due_on,
            "title": title,
            "audience": audience,
            "scope_path": side.path,
            "citation": rulebook.citation(rule_id),
            "rule_id": rule_id,
        }

    wanted: dict[str, dict] = {}
    if transfer.status == Status.ISSUED:
        letter = f"介绍信第{transfer.letter_number}号"
        until, sender, receiver = transfer.valid_until, transfer.from_branch, transfer.to_branch
        wanted["accept"] = row(
            "accept_within_validity",
            until,
            f"接收{name}的组织关系（{sender.name}转来，{letter}）",
            receiver,
        )
        wanted["expiry"] = row(
            "letter_validity",
            until,
            f"{name}的{letter}有效期届满，尚未在{receiver.name}接收",
            sender,
        )
        # Six months past the validity with no acceptance: the sending branch decides by
        # 党章第九条 (T7), and withdraws the transfer with that decision as its reason.
        months = rulebook.param("expired_unpresented", "months")
        wanted["lapse"] = row(
            "expired_unpresented",
            until + relativedelta(months=months),
            f"{name}的{letter}逾期未转入：请按党章第九条研究处理，并撤回本转接记明决定",
            sender,
            audience="branch",
        )
    elif transfer.status == Status.ACCEPTED:
        months = rulebook.param("receipt_within", "months")
        wanted["receipt"] = row(
            "receipt_within",
            transfer.accepted_on + relativedelta(months=months),
            f"{name}转入{transfer.to_branch.name}的回执待退回",
            transfer.from_branch,
        )
    deadlines.sync(transfer, wanted)
