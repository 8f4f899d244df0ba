"""A matter's deadlines as rows (workflows.deadlines): the next step's deadline (publishing
the decision, recording 知晓), and, while a planned villagers' meeting has not been announced,
the last day to tell the villagers. Synchronised by the services after every change."""

from __future__ import annotations

from datetime import timedelta

from procedures.people import scopes
from workflows import deadlines

from .models import Matter
from .progress import PLANNABLE, next_step, rulebook_of, villagers_meeting_plan
from .steps import Step

__all__ = ["PLANNABLE", "desired", "rulebook_of", "sync"]

_STEP_RULES = {
    Step.PUBLISH_RESOLUTION: "publish_promptly",
    Step.ACKNOWLEDGE: "acknowledge_promptly",
}


def desired(matter: Matter) -> dict[str, dict]:
    """What should be open now: key -> fields for workflows.deadlines.open_deadline."""
    rulebook = rulebook_of(matter)
    name = f"{matter.village.name}{matter.title}"
    wanted: dict[str, dict] = {}
    upcoming = next_step(matter)
    if upcoming.due is not None:
        rule_id = _STEP_RULES.get(upcoming.step, "")
        wanted[f"step:{upcoming.step}"] = {
            "due_on": upcoming.due,
            "title": f"{name}：{upcoming.label}",
            "rule_id": rule_id,
            "citation": rulebook.citation(rule_id) if rule_id else None,
        }
    plan = villagers_meeting_plan(matter)
    if plan is not None and plan.announced_on is None and matter.status in PLANNABLE:
        days = rulebook.param("villagers_meeting_notice", "days")
        wanted["villagers_meeting_notice"] = {
            "due_on": plan.planned_on - timedelta(days=days),
            "title": f"{name}：通知村民会议（{plan.planned_on:%Y-%m-%d}召开）",
            "rule_id": "villagers_meeting_notice",
            "citation": rulebook.citation("villagers_meeting_notice"),
        }
    for fields in wanted.values():
        fields["audience"] = "branch"
        fields["scope_path"] = scopes.branch_of(matter.village).path
    return wanted


def sync(matter: Matter) -> None:
    deadlines.sync(matter, desired(matter))
