"""The 介绍信 printed in its three parts (组通字〔2006〕45号's form, T5): the 存根 the issuing
committee keeps (ten years, T6), the letter the member carries, and the 回执 the receiving
committee returns. Its validity in capital numerals. Printed by the sending side once the
letter is issued, and again whenever needed; the full ID number only for one who may read
it, and that read is recorded (people's access log)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people.selectors import person_personal_data
from workflows.errors import NotAllowed, NotFound
from workflows.printed import Document, section, text

from . import policy
from .models import Transfer
from .pages import capital, letter_number

MSG_NOT_ISSUED = gettext_noop("介绍信开具后才能打印。")
MSG_NOT_SENDER = gettext_noop("介绍信由转出地党委开具和打印，转入方以收到的原件为准。")
MEMBERS = (Transfer.MemberKind.FULL, Transfer.MemberKind.PROBATIONARY)


def refusal(transfer: Transfer, user) -> str:
    if not transfer.letter_number:
        return _(MSG_NOT_ISSUED)
    if not policy.sending_side(transfer, user):
        return _(MSG_NOT_SENDER)
    return ""


def _id_number(transfer: Transfer, user) -> str:
    """The full number for one who may read it (the read recorded), else masked."""
    person = transfer.person
    if user is None or not user.has_perm("people.view_personal_data"):
        return person.masked_id_number
    try:
        return person_personal_data(user=user, pk=person.pk, reason="打印组织关系介绍信").id_number
    except (NotFound, NotAllowed):  # no longer in his scope (received elsewhere since)
        return person.masked_id_number


def build(transfer: Transfer, user) -> dict:
    person, committee = transfer.person, transfer.issued_by
    member = transfer.member_kind in MEMBERS
    kind = (
        f"中共{transfer.get_member_kind_display()}"
        if member
        else (transfer.get_member_kind_display())
    )
    relation = "党员组织关系" if member else "组织关系（培养档案）"
    who = (
        f"{person.name}同志（{person.get_gender_display()}，{person.age_on(transfer.issued_on)}岁，"
        f"{person.ethnicity}，系{kind}，身份证号码{_id_number(transfer, user)}）"
    )
    moves = f"由{transfer.from_branch.name}转到{transfer.to_branch.name}"
    dues = f"{transfer.dues_paid_to.year}年{transfer.dues_paid_to.month}月"
    validity = f"有效期{capital(transfer.valid_days)}天"
    receiving = transfer.to_branch.parent.name if transfer.to_branch.parent_id else ""
    issued = text(transfer.issued_on)
    number = letter_number(transfer)
    return {
        "title": "中国共产党组织关系介绍信",
        "subtitle": number,
        "facts": [],
        "sections": [
            section(
                "第一联　存根（开具党委留存，保存十年）",
                [number],
                [
                    [f"{who}的{relation}{moves}。"],
                    [f"党费交到{dues}。{validity}（至{text(transfer.valid_until)}）。"],
                    [f"转接原因：{transfer.reason}"],
                    [f"开具：{committee.name}　{issued}"],
                ],
            ),
            section(
                "第二联　介绍信（交转入地党委）",
                [number],
                [
                    [f"{receiving}："],
                    [f"兹介绍{who}的{relation}{moves}，请接洽。"],
                    [f"该同志党费已交到{dues}。"],
                    [f"（{validity}）"],
                    [f"{committee.name}（盖章）　{issued}"],
                ],
            ),
            section(
                "第三联　回执（转入地党委填写后退回）",
                [number],
                [
                    [f"{committee.name}："],
                    [f"{person.name}同志的{relation}已转达我处，特此回执。"],
                    ["接收党委（盖章）　　　　年　　月　　日"],
                ],
            ),
        ],
    }


LETTER = Document(title="组织关系介绍信", build=build, refusal=refusal)
