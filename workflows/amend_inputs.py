"""The corrections and hand-offs of `workflows.amend` as every procedure's surfaces take
them: declared once, as step inputs (`workflows.inputs`), so the staff form, the API body
and its schema come from the one adapter like any step's."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from . import amend
from . import inputs as i

REASON_RETURN = i.text("reason", "退回理由", 300, blank=True)
REASON_TAKE_BACK = i.text("reason", "撤回理由", 300, blank=True)


ALL = ("send_back", "take_back", "correct", "press", "copy")


def declared(
    procedure, steps: list[tuple[str, str]], verbs: tuple[str, ...] = ALL
) -> dict[str, i.StepInput]:
    """Of 退回, 撤回, 更正, 催办, 抄送, those of `verbs` for `procedure`, whose steps (code,
    label) a return may name. 退回 and 撤回 are transitions (offered when the lifecycle
    admits them); the others say themselves when a page offers them. A procedure without
    a step that approves (the branch's own records) declares no 退回."""

    def returnable(subject, on):
        return [
            (code, procedure.step_label(code)) for code in procedure.corrections.returns(subject)
        ]

    def records(subject, on):
        return [
            (key, f"{target.label}（{target.act_date:%Y-%m-%d}）")
            for key, target in procedure.corrections.correctable(subject).items()
        ]

    def staff(subject, on):
        return [
            (
                user.pk,
                f"{amend.user_name(user)}（{_post(position)}）",
            )
            for user, position in procedure.corrections.staff(subject)
        ]

    def may_correct(subject, user):
        targets = procedure.corrections.correctable(subject).values()
        return (
            "更正"
            if any(procedure.corrections.approver_of(subject, t, user) for t in targets)
            else None
        )

    def may_press(subject, user):
        if not procedure.corrections.oversees(subject, user):
            return None
        pending = procedure.corrections.pending(subject)
        return "催办" if pending is not None and pending.overdue else None

    def may_copy(subject, user):
        return "抄送" if procedure.corrections.oversees(subject, user) else None

    @transaction.atomic
    def send_back(subject, actor, data):
        return amend.send_back(
            procedure, subject.pk, actor=actor, to_step=data["to"], reason=data["reason"],
            act_date=data["on"],
        )  # fmt: skip

    @transaction.atomic
    def take_back(subject, actor, data):
        return amend.take_back(procedure, subject.pk, actor=actor, reason=data["reason"])

    @transaction.atomic
    def correct(subject, actor, data):
        return amend.correct(
            procedure, subject.pk, actor=actor, record=data["record"],
            new_date=data["new_date"], reason=data["reason"],
            requested_by=data["requested_by"],
        )  # fmt: skip

    @transaction.atomic
    def press(subject, actor, data):
        return amend.press(procedure, subject.pk, actor=actor, note=data["note"])

    @transaction.atomic
    def copy(subject, actor, data):

        users = list(get_user_model().objects.filter(pk__in=data["users"]))
        if len(users) != len(set(data["users"])):
            missing = set(data["users"]) - {user.pk for user in users}
            users += [_Nobody(pk) for pk in missing]
        return amend.copy(procedure, subject.pk, actor=actor, users=users, note=data["note"])

    every = {
        "send_back": i.StepInput(
            "send_back",
            "退回",
            (
                i.date("on", "退回日期", today=True),
                i.choice("to", "退回到", steps, options=returnable, invalid="请选择可退回的步骤。"),
                REASON_RETURN,
            ),
            send_back,
        ),
        "take_back": i.StepInput("take_back", "撤回", (REASON_TAKE_BACK,), take_back),
        "correct": i.StepInput(
            "correct",
            "更正",
            (
                i.record("record", "更正的记录", records),
                i.date("new_date", "更正后的日期"),
                i.text("reason", "更正理由", 300, blank=True),
                i.text("requested_by", "提出更正的单位或个人", 100, optional=True),
            ),
            correct,
            offered=may_correct,
        ),
        "press": i.StepInput(
            "press",
            "催办",
            (i.text("note", "催办说明", 500, blank=True),),
            press,
            offered=may_press,
        ),
        "copy": i.StepInput(
            "copy",
            "抄送",
            (
                i.records("users", "抄送对象", 50, staff),
                i.text("note", "说明", 500, optional=True),
            ),
            copy,
            offered=may_copy,
        ),
    }
    return {verb: every[verb] for verb in verbs}


class _Nobody:
    """A user id that is no user: refused as out of scope, like one of another county."""

    is_authenticated = True
    is_superuser = False
    person = None

    def __init__(self, pk: int) -> None:
        self.pk = pk


def _post(position) -> str:
    return f"{position.organisation.name}{position.get_title_display()}"
