"""Every write of the branch's organisational life and dues goes through these services."""

from .corrections import meeting_copy, meeting_correct, meeting_press, meeting_take_back
from .dues import Payment, dues_correct, dues_pay, lapse_decide
from .meetings import Minutes, meeting_cancel, meeting_hold, meeting_plan, meeting_record

__all__ = [
    "Minutes",
    "Payment",
    "dues_correct",
    "dues_pay",
    "lapse_decide",
    "meeting_cancel",
    "meeting_copy",
    "meeting_correct",
    "meeting_hold",
    "meeting_plan",
    "meeting_press",
    "meeting_record",
    "meeting_take_back",
]
