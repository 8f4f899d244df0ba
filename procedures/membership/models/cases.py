"""A member development case: its protected status and the dates its steps set, and
its full record (全程纪实), one row per act."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from procedures.people.models import Organisation, Person
from workflows import amend
from workflows.compiled import Compiled

from .. import lifecycle
from ..rulebooks import RULEBOOK_CHOICES
from ..steps import (
    BY_CODE,
    NOT_TAKEN_BACK,
    RETURNS,
    SETS,
    Status,
    Variant,
    applicable_steps,
    steps_after,
)

# Records that are no step of the path: returns and withdrawals move the case back,
# corrections fix a date, pressing and copying tell someone.
NOT_STEPS = frozenset({"send_back", "take_back", "correct", "press", "copy"})
# Of those, the ones that are no act of the case itself (a new act may be dated before them).
NOT_ACTS = frozenset({"take_back", "correct", "press", "copy"})


class Act(NamedTuple):
    """A record as the case reads it."""

    pk: int
    step: str
    act_date: date
    outcome: str
    data: dict
    actor_id: int | None
    entered_at: datetime


class Case(ConcurrentTransitionMixin, lifecycle.CaseLifecycle, models.Model):
    """One person's development, under the rulebook and variant it started with."""

    person = models.ForeignKey(
        Person, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="development_cases"
    )
    branch = models.ForeignKey(
        Organisation, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="cases"
    )
    rulebook = models.CharField(_("规则集"), max_length=40)
    variant = models.CharField(_("流程规程"), max_length=20, choices=Variant.choices)
    status = FSMField(_("进度"), default=Status.APPLIED, choices=Status.choices, protected=True)

    applied_on = models.DateField(_("递交申请书日期"))
    talked_on = models.DateField(_("谈话日期"), null=True, blank=True)
    activist_on = models.DateField(_("确定为积极分子日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定为发展对象日期"), null=True, blank=True)
    pre_reviewed_on = models.DateField(_("预审日期"), null=True, blank=True)
    admitted_on = models.DateField(_("支部大会通过接收日期"), null=True, blank=True)
    # The person's record as it stood on the day the 支部大会 admitted him: statistics count
    # education and occupation at admission, not as edited since.
    admitted_education = models.CharField(
        _("接收时学历"), max_length=20, choices=Person.Education.choices, blank=True, default=""
    )
    admitted_occupation = models.CharField(
        _("接收时职业类别"),
        max_length=20,
        choices=Person.Occupation.choices,
        blank=True,
        default="",
    )
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    oath_on = models.DateField(_("宣誓日期"), null=True, blank=True)
    probation_ends_on = models.DateField(_("预备期满日期"), null=True, blank=True)
    probation_extended = models.BooleanField(_("已延长预备期"), default=False)
    conversion_voted_on = models.DateField(_("支部大会通过转正日期"), null=True, blank=True)
    converted_on = models.DateField(_("转正日期"), null=True, blank=True)
    closed_on = models.DateField(_("终止日期"), null=True, blank=True)
    closed_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    mentors = models.ManyToManyField(
        Person, verbose_name=_("培养联系人"), blank=True, related_name="mentored_cases"
    )
    sponsors = models.ManyToManyField(
        Person, verbose_name=_("入党介绍人"), blank=True, related_name="sponsored_cases"
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["status"]),
        ]
        verbose_name = _("发展党员案卷")
        verbose_name_plural = _("发展党员案卷")

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_status_display()}）"

    @property
    def rulebook_title(self) -> str:
        """The rulebook as users know it (《中国共产党发展党员工作细则》…), not its key."""
        return str(dict(RULEBOOK_CHOICES).get(self.rulebook, self.rulebook))

    @cached_property
    def _act_rows(self) -> list[Act]:
        """Every record of the case (steps, returns, corrections) in the order the acts
        happened. Read once per instance: a step's service holds the case locked and adds
        its own record (`note_act`), so the date checks and the projection of one step
        share one read."""
        return [Act(*row) for row in _acts_of(self.pk)]

    @staticmethod
    def read_acts(cases) -> None:
        """Read the records of many cases at once (a page listing them), as `_act_rows`
        reads one case's."""
        cases = {case.pk: case for case in cases}
        found: dict[int, list[Act]] = {pk: [] for pk in cases}
        rows = (
            StepRecord.objects.filter(case_id__in=list(cases))
            .values_list(
                "case_id", "pk", "step", "act_date", "outcome", "data", "actor_id", "entered_at"
            )
            .order_by("act_date", "pk")
        )
        for case_id, *row in rows:
            found[case_id].append(Act(*row))
        for pk, case in cases.items():
            case.__dict__["_act_rows"] = found[pk]

    @property
    def _standing_rows(self) -> list[tuple[Act, date]]:
        """The records that stand (not undone by a return or a withdrawal), each with its
        date as corrected."""
        rows = self._act_rows
        plain = [(row.pk, row.step, row.data) for row in rows]
        undone = amend.undone_records(plain)
        fixed = amend.corrections(plain)
        return [
            (row, amend.corrected_date(row.pk, row.act_date, fixed))
            for row in rows
            if row.pk not in undone
        ]

    @property
    def acts(self) -> dict[str, date]:
        """Each step that stands done, with the date of its act as corrected (a repeated
        step: its latest). A failed outcome (a vote that did not pass) did not do its step;
        a return (退回) or a withdrawal (撤回) undid the steps it names: they are in the
        history, marked so, and done again."""
        done: dict[str, date] = {}
        for row, act_date in self._standing_rows:
            if row.outcome != StepRecord.Outcome.DONE or row.step in NOT_STEPS:
                continue
            if row.step in RETURNS:  # 重新讨论, recorded before returns named their records
                for undone in steps_after(RETURNS[row.step]):
                    done.pop(undone, None)
            done[row.step] = act_date
        return done

    def forget(self, step: str) -> None:
        """Clear what `step` set on the case: it is undone, or to be done again."""
        for name in SETS.get(step, ()):
            setattr(self, name, self._meta.get_field(name).get_default())

    @property
    def last_act_on(self) -> date | None:
        """The date of the latest act that stands, failed ones and returns included: a new
        act may not be dated before it."""
        return max(
            (act_date for row, act_date in self._standing_rows if row.step not in NOT_ACTS),
            default=None,
        )

    @property
    def last_act(self) -> Act | None:
        """The last act that stands, as entered (for 撤回), or None when it is no step of
        the path, or one that cannot be taken back (it opened a public notice)."""
        standing = [row for row, _on in self._standing_rows if row.step not in NOT_ACTS]
        last = max(standing, key=lambda row: row.pk, default=None)
        if last is None or last.step not in BY_CODE or last.step in NOT_TAKEN_BACK:
            return None
        return last

    def path(self) -> list:
        """The steps the case goes through under its variant and rulebook, in order."""
        return applicable_steps(
            variant=self.variant, candidate_notice=lifecycle.needs_candidate_notice(self)
        )

    def pending_step(self) -> str | None:
        """The step of the path the case now waits for (None: at its end, or closed)."""
        steps = self.path()
        reached = [i for i, step in enumerate(steps) if step.reached == self.status]
        if not reached or reached[-1] + 1 >= len(steps):
            return None
        return steps[reached[-1] + 1].code

    def note_act(self, record: StepRecord) -> None:
        """An act was just recorded: keep `acts` true without reading it again."""
        if "_act_rows" in self.__dict__:
            self._act_rows.append(
                Act(
                    record.pk,
                    record.step,
                    record.act_date,
                    record.outcome,
                    record.data,
                    record.actor_id,
                    record.entered_at,
                )
            )


class StepRecord(models.Model):
    """One step as it happened: who, in which role, the date of the act and of the entry,
    and whether it did the step or was recorded as what really happened when it did not (a
    meeting whose vote failed, a political review not passed)."""

    class Outcome(models.TextChoices):
        DONE = "done", _("已办理")
        FAILED = "failed", _("未通过")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records")
    step = models.CharField(_("步骤"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("经办人"), max_length=100, blank=True)
    role = models.CharField(_("身份"), max_length=100, blank=True)
    act_date = models.DateField(_("发生日期"))
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    late = models.JSONField(_("超期情况"), default=list, blank=True, encoder=DjangoJSONEncoder)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.DONE
    )

    class Meta:
        ordering = ["act_date", "pk"]
        verbose_name = _("步骤记录")
        verbose_name_plural = _("步骤记录")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step}@{self.act_date}"


# A case's records in the order the acts happened (`Case._act_rows`), compiled once: every
# step reads them.
_acts_of = Compiled(
    lambda case_id: (
        StepRecord.objects.filter(case_id=case_id)
        .values_list("pk", "step", "act_date", "outcome", "data", "actor_id", "entered_at")
        .order_by("act_date", "pk")
    ),
    int,
)
