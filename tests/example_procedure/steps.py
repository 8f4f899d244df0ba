"""A villager's letter to the branch (群众来信), the example procedure: received by the
branch, answered by it, closed by the township once it has read the answer. Each step once
(workflows.steps): its label, its role (the only place it is written), from which statuses
to which, the field it sets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.people import roles
from workflows import steps as records

from . import policy


class Status(models.TextChoices):
    RECEIVED = "received", _("已登记")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


BOOK = records.StepBook(
    (
        records.Step("receive", "登记来信", roles.Role.BRANCH, Status.RECEIVED),
        records.Step(
            "answer",
            "答复来信",
            roles.Role.BRANCH,
            Status.ANSWERED,
            source=(Status.RECEIVED,),
            sets=("answered_on", "reply"),
        ),
        records.Step(
            "close", "审核办结", roles.Role.UPPER, Status.CLOSED, source=(Status.ANSWERED,)
        ),
    ),
    permission_for=policy.permission_for,
)
