"""Every write of the branch's organisational life and dues goes through these services."""

from .dues import Payment, dues_correct, dues_pay, lapse_decide
from .meetings import Minutes, meeting_cancel, meeting_hold, meeting_plan, meeting_record

__all__ = [
    "Minutes",
    "Payment",
    "dues_correct",
    "dues_pay",
    "lapse_decide",
    "meeting_cancel",
    "meeting_hold",
    "meeting_plan",
    "meeting_record",
]
