"""Every write of the branch's organisational life goes through one of these services."""

from .meetings import Minutes, meeting_cancel, meeting_hold, meeting_plan, meeting_record

__all__ = ["Minutes", "meeting_cancel", "meeting_hold", "meeting_plan", "meeting_record"]
