"""A member development case, its full record (全程纪实), its meetings and ballots."""

from .cases import NOT_ACTS, NOT_STEPS, Act, Case, StepRecord
from .county import DevelopmentPlan, DevelopmentSettings
from .meetings import Ballot, Meeting
from .records import Material, Observation

__all__ = [
    "NOT_ACTS",
    "NOT_STEPS",
    "Act",
    "Ballot",
    "Case",
    "DevelopmentPlan",
    "DevelopmentSettings",
    "Material",
    "Meeting",
    "Observation",
    "StepRecord",
]
