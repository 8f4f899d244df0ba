"""Writes of village matters: lock, check (chair, recorder, order, quorum, vote), transition,
save, audit, then announce after commit."""

from .acknowledgement import matter_read, matter_record_visits
from .deciding import (
    matter_consult,
    matter_deliberate,
    matter_propose,
    matter_propose_and_consult,
    matter_register,
    matter_resolve,
)
from .matters import MeetingInput
from .meeting_plans import matter_announce_villagers_meeting, matter_plan_villagers_meeting
from .outcomes import (
    matter_acknowledge,
    matter_archive,
    matter_decline,
    matter_publish_resolution,
    matter_publish_result,
    matter_record_progress,
    matter_withdraw,
)

__all__ = [
    "MeetingInput",
    "matter_acknowledge",
    "matter_announce_villagers_meeting",
    "matter_archive",
    "matter_consult",
    "matter_decline",
    "matter_deliberate",
    "matter_plan_villagers_meeting",
    "matter_propose",
    "matter_propose_and_consult",
    "matter_publish_resolution",
    "matter_publish_result",
    "matter_read",
    "matter_record_progress",
    "matter_record_visits",
    "matter_register",
    "matter_resolve",
    "matter_withdraw",
]
