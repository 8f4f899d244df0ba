"""The lifecycle of a member development case, read in one place: every transition with its
source, target, conditions and permission. Transitions change the status only; services
(services/*.py) lock, check the rules, call them, save, audit and notify."""

from __future__ import annotations

from django.db import models
from django_fsm import RETURN_VALUE, transition

from workflows import amend, pipeline
from workflows.rules import get_rulebook

from . import permissions
from .steps import BOOK, BY_CODE, RETURNABLE, Status, Variant

S = Status


def may_send_back(case, user) -> bool:
    """退回: who may take the step the case waits for, where that step may send it back."""
    pending = case.pending_step()
    return pending in RETURNABLE and permissions.may_act(case, user, BY_CODE[pending].role)


def may_take_back(case, user) -> bool:
    """撤回: only who recorded the last act, while it is the last and may be taken back."""
    return amend.may_take_back(pipeline.procedure_of(case), case, user)


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
    """Each step's transition is made from its record (steps.BOOK): from the record's
    statuses to its status, under its role; only the guards are written here."""

    class Meta:
        abstract = True

    @BOOK.transition("talk")
    def talk(self):
        pass

    @BOOK.transition("choose_activist")
    def choose_activist(self):
        pass

    @BOOK.transition("file_activist")
    def file_activist(self):
        pass

    @BOOK.transition("assign_mentors")
    def assign_mentors(self):
        pass

    @BOOK.transition("propose_candidate", conditions=[needs_candidate_notice])
    def propose_candidate(self):
        pass

    @BOOK.transition("choose_candidate", conditions=[no_candidate_notice])
    def choose_candidate(self):
        pass

    @BOOK.transition("file_candidate")
    def file_candidate(self):
        pass

    @BOOK.transition("assign_sponsors")
    def assign_sponsors(self):
        pass

    @BOOK.transition("record_review")
    def record_review(self):
        pass

    @BOOK.transition("record_training")
    def record_training(self):
        pass

    @BOOK.transition("committee_review")
    def committee_review(self):
        pass

    @BOOK.transition("pre_review")
    def pre_review(self):
        pass

    @BOOK.transition("publish_admission", conditions=[is_local_variant])
    def publish_admission(self):
        pass

    @BOOK.transition("fill_form", conditions=[standard_or_after_notice])
    def fill_form(self):
        pass

    @BOOK.transition("branch_admit")
    def branch_admit(self):
        pass

    @BOOK.transition("committee_talk")
    def committee_talk(self):
        pass

    @BOOK.transition("approve")
    def approve(self):
        pass

    @BOOK.transition("notify_admission", conditions=[is_local_variant])
    def notify_admission(self):
        pass

    @BOOK.transition("file_upper", conditions=[standard_or_after_notice])
    def file_upper(self):
        pass

    @BOOK.transition("assign_group")
    def assign_group(self):
        pass

    @BOOK.transition("take_oath")
    def take_oath(self):
        pass

    @BOOK.transition("apply_conversion")
    def apply_conversion(self):
        pass

    @BOOK.transition("publish_conversion", conditions=[is_local_variant])
    def publish_conversion(self):
        pass

    @BOOK.transition("branch_convert", conditions=[standard_or_after_notice])
    def branch_convert(self):
        pass

    @BOOK.transition("approve_conversion")
    def approve_conversion(self):
        pass

    @BOOK.transition("notify_conversion", conditions=[is_local_variant])
    def notify_conversion(self):
        pass

    @BOOK.transition("archive", conditions=[standard_or_after_notice])
    def archive(self):
        pass

    # Side exits, and a resolution the township can no longer approve (past the approval
    # period): back to the 支部大会 for 重新讨论 (the meeting and the talk stay in the record).
    @BOOK.transition("stop")
    def stop(self):
        pass

    @BOOK.transition("extend_probation", conditions=[not_yet_extended])
    def extend_probation(self):
        pass

    @BOOK.transition("cancel")
    def cancel(self):
        pass

    @BOOK.transition("rediscuss")
    def rediscuss(self):
        pass

    # Corrections (workflows.amend). 退回: the taker of the step the case waits for sends it
    # back to an earlier step (`steps.RETURNABLE`); 撤回: who recorded the last act takes it
    # back. Both return the status the steps that still stand give the case.
    @transition(
        "status",
        source=RETURNABLE_FROM,
        target=RETURN_VALUE(*TAKEN_BACK_FROM),
        permission=may_send_back,
    )
    def send_back(self, status: str) -> str:
        return status

    @transition(
        "status",
        source=TAKEN_BACK_FROM,
        target=RETURN_VALUE(*TAKEN_BACK_FROM),
        permission=may_take_back,
    )
    def take_back(self, status: str) -> str:
        return status
