"""Every write of a member development case goes through one of these services."""

from .admission import (
    case_assign_sponsors,
    case_branch_admit,
    case_committee_review,
    case_committee_talk,
    case_fill_form,
    case_pre_review,
    case_publish_admission,
    case_record_review,
    case_record_training,
)
from .approval import case_approve, case_rediscuss
from .base import case_step_done
from .corrections import (
    case_copy,
    case_correct,
    case_press,
    case_send_back,
    case_take_back,
)
from .cultivation import (
    case_assign_mentors,
    case_choose_activist,
    case_choose_candidate,
    case_file,
    case_observe,
    case_open,
    case_propose_candidate,
    case_talk,
)
from .materials import case_add_material, review_materials
from .meetings import Attendance
from .plans import plan_set
from .probation import (
    case_apply_conversion,
    case_approve_conversion,
    case_archive,
    case_assign_group,
    case_branch_convert,
    case_cancel,
    case_extend_probation,
    case_publish_conversion,
    case_stop,
    case_take_oath,
    missing_materials,
)

__all__ = [
    "Attendance",
    "case_add_material",
    "case_apply_conversion",
    "case_approve",
    "case_approve_conversion",
    "case_archive",
    "case_assign_group",
    "case_assign_mentors",
    "case_assign_sponsors",
    "case_branch_admit",
    "case_branch_convert",
    "case_cancel",
    "case_choose_activist",
    "case_choose_candidate",
    "case_committee_review",
    "case_committee_talk",
    "case_copy",
    "case_correct",
    "case_extend_probation",
    "case_file",
    "case_fill_form",
    "case_observe",
    "case_open",
    "case_pre_review",
    "case_press",
    "case_propose_candidate",
    "case_publish_admission",
    "case_publish_conversion",
    "case_record_review",
    "case_record_training",
    "case_rediscuss",
    "case_send_back",
    "case_step_done",
    "case_stop",
    "case_take_back",
    "case_take_oath",
    "case_talk",
    "missing_materials",
    "plan_set",
    "review_materials",
]
