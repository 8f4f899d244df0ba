"""The lifecycle of a member development case, read in one place: every transition with its
source, target, conditions and permission. Transitions change the status only; services
(services/*.py) lock, check the rules, call them, save, audit and notify."""

from __future__ import annotations

from django.db import models
from django_fsm import RETURN_VALUE, transition

from workflows.rules import get_rulebook

from . import permissions
from .steps import BEFORE_ADMISSION, PROBATIONARY, Status, Variant

S = Status


def _rule_on(case, rule_id: str) -> bool:
    rulebook = get_rulebook(case.rulebook)
    return rule_id in rulebook and rulebook.rule(rule_id).enabled


def needs_candidate_notice(case) -> bool:
    return _rule_on(case, "candidate_notice")


def no_candidate_notice(case) -> bool:
    return case.status != S.CULTIVATING or not needs_candidate_notice(case)


def is_local_variant(case) -> bool:
    return case.variant == Variant.LOCAL


def standard_or_after_notice(case) -> bool:
    """Under the 29-step variant the step waits for its notice or notification; under 25
    it follows directly."""
    if case.status in (S.PRE_REVIEWED, S.CONVERSION_APPLIED, S.APPROVED, S.CONVERTED):
        return not is_local_variant(case)
    return True


def not_yet_extended(case) -> bool:
    return not case.probation_extended


# The rule a guard enforces, so that a refusal by the guard cites it: (rule id, its facts).
not_yet_extended.rule = ("extension_once", lambda case: {"extended": case.probation_extended})


# The statuses from which a step of RETURNABLE is awaited; every status but the ends.
RETURNABLE_FROM = [
    S.ACTIVIST,
    S.CANDIDATE,
    S.COMMITTEE_REVIEWED,
    S.BRANCH_ADMITTED,
    S.COMMITTEE_TALKED,
    S.APPROVED,
    S.ADMISSION_NOTIFIED,
    S.CONVERSION_VOTED,
]
TAKEN_BACK_FROM = [
    status for status in S.values if status not in (S.ARCHIVED, S.STOPPED, S.CANCELLED)
]


class CaseLifecycle(models.Model):
    class Meta:
        abstract = True

    @transition("status", source=S.APPLIED, target=S.TALKED, permission=permissions.branch)
    def talk(self):
        pass

    @transition("status", source=S.TALKED, target=S.ACTIVIST, permission=permissions.branch)
    def choose_activist(self):
        pass

    @transition(
        "status", source=S.ACTIVIST, target=S.ACTIVIST_FILED, permission=permissions.township
    )
    def file_activist(self):
        pass

    @transition(
        "status", source=S.ACTIVIST_FILED, target=S.CULTIVATING, permission=permissions.branch
    )
    def assign_mentors(self):
        pass

    @transition(
        "status",
        source=S.CULTIVATING,
        target=S.CANDIDATE_NOTICE,
        conditions=[needs_candidate_notice],
        permission=permissions.branch,
    )
    def propose_candidate(self):
        pass

    @transition(
        "status",
        source=[S.CULTIVATING, S.CANDIDATE_NOTICE],
        target=S.CANDIDATE,
        conditions=[no_candidate_notice],
        permission=permissions.branch,
    )
    def choose_candidate(self):
        pass

    @transition(
        "status", source=S.CANDIDATE, target=S.CANDIDATE_FILED, permission=permissions.township
    )
    def file_candidate(self):
        pass

    @transition(
        "status", source=S.CANDIDATE_FILED, target=S.SPONSORED, permission=permissions.branch
    )
    def assign_sponsors(self):
        pass

    @transition("status", source=S.SPONSORED, target=S.REVIEWED, permission=permissions.branch)
    def record_review(self):
        pass

    @transition("status", source=S.REVIEWED, target=S.TRAINED, permission=permissions.township)
    def record_training(self):
        pass

    @transition(
        "status", source=S.TRAINED, target=S.COMMITTEE_REVIEWED, permission=permissions.branch
    )
    def committee_review(self):
        pass

    @transition(
        "status",
        source=S.COMMITTEE_REVIEWED,
        target=S.PRE_REVIEWED,
        permission=permissions.township,
    )
    def pre_review(self):
        pass

    @transition(
        "status",
        source=S.PRE_REVIEWED,
        target=S.ADMISSION_NOTICE,
        conditions=[is_local_variant],
        permission=permissions.township,
    )
    def publish_admission(self):
        pass

    @transition(
        "status",
        source=[S.PRE_REVIEWED, S.ADMISSION_NOTICE],
        target=S.FORM_FILLED,
        conditions=[standard_or_after_notice],
        permission=permissions.branch,
    )
    def fill_form(self):
        pass

    @transition(
        "status", source=S.FORM_FILLED, target=S.BRANCH_ADMITTED, permission=permissions.branch
    )
    def branch_admit(self):
        pass

    @transition(
        "status",
        source=S.BRANCH_ADMITTED,
        target=S.COMMITTEE_TALKED,
        permission=permissions.township,
    )
    def committee_talk(self):
        pass

    @transition(
        "status", source=S.COMMITTEE_TALKED, target=S.APPROVED, permission=permissions.township
    )
    def approve(self):
        pass

    @transition(
        "status",
        source=S.APPROVED,
        target=S.ADMISSION_NOTIFIED,
        conditions=[is_local_variant],
        permission=permissions.township,
    )
    def notify_admission(self):
        pass

    @transition(
        "status",
        source=[S.APPROVED, S.ADMISSION_NOTIFIED],
        target=S.FILED_UPPER,
        conditions=[standard_or_after_notice],
        permission=permissions.county,
    )
    def file_upper(self):
        pass

    @transition("status", source=S.FILED_UPPER, target=S.GROUPED, permission=permissions.branch)
    def assign_group(self):
        pass

    @transition("status", source=S.GROUPED, target=S.PROBATION, permission=permissions.branch)
    def take_oath(self):
        pass

    @transition(
        "status", source=S.PROBATION, target=S.CONVERSION_APPLIED, permission=permissions.branch
    )
    def apply_conversion(self):
        pass

    @transition(
        "status",
        source=S.CONVERSION_APPLIED,
        target=S.CONVERSION_NOTICE,
        conditions=[is_local_variant],
        permission=permissions.branch,
    )
    def publish_conversion(self):
        pass

    @transition(
        "status",
        source=[S.CONVERSION_APPLIED, S.CONVERSION_NOTICE],
        target=S.CONVERSION_VOTED,
        conditions=[standard_or_after_notice],
        permission=permissions.branch,
    )
    def branch_convert(self):
        pass

    @transition(
        "status", source=S.CONVERSION_VOTED, target=S.CONVERTED, permission=permissions.township
    )
    def approve_conversion(self):
        pass

    @transition(
        "status",
        source=S.CONVERTED,
        target=S.CONVERSION_NOTIFIED,
        conditions=[is_local_variant],
        permission=permissions.township,
    )
    def notify_conversion(self):
        pass

    @transition(
        "status",
        source=[S.CONVERTED, S.CONVERSION_NOTIFIED],
        target=S.ARCHIVED,
        conditions=[standard_or_after_notice],
        permission=permissions.branch,
    )
    def archive(self):
        pass

    # Side exits.
    @transition("status", source=BEFORE_ADMISSION, target=S.STOPPED, permission=permissions.branch)
    def stop(self):
        pass

    @transition(
        "status",
        source=[S.PROBATION, S.CONVERSION_APPLIED, S.CONVERSION_NOTICE],
        target=S.PROBATION,
        conditions=[not_yet_extended],
        permission=permissions.township,
    )
    def extend_probation(self):
        pass

    @transition("status", source=PROBATIONARY, target=S.CANCELLED, permission=permissions.township)
    def cancel(self):
        pass

    # A resolution the township can no longer approve (past the approval period): back to
    # the 支部大会 for 重新讨论. The meeting and the talk stay in the record.
    @transition(
        "status",
        source=[S.BRANCH_ADMITTED, S.COMMITTEE_TALKED],
        target=S.FORM_FILLED,
        permission=permissions.township,
    )
    def rediscuss(self):
        pass

    # Corrections (workflows.amend). 退回: the taker of the step the case waits for sends it
    # back to an earlier step (`steps.RETURNABLE`); 撤回: who recorded the last act takes it
    # back. Both return the status the steps that still stand give the case.
    @transition(
        "status",
        source=RETURNABLE_FROM,
        target=RETURN_VALUE(*TAKEN_BACK_FROM),
        permission=permissions.may_send_back,
    )
    def send_back(self, status: str) -> str:
        return status

    @transition(
        "status",
        source=TAKEN_BACK_FROM,
        target=RETURN_VALUE(*TAKEN_BACK_FROM),
        permission=permissions.may_take_back,
    )
    def take_back(self, status: str) -> str:
        return status
